/**
 * `contact-audit --help` (and `contact-audit COMMAND --help`, which prints the same page) is where a
 * user learns a command's options: every option each command accepts must be on its lines of the page.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_OPTIONS } from '../../src/cli/demo.ts';
import { DOCTOR_OPTIONS } from '../../src/cli/doctor.ts';
import { main } from '../../src/cli/main.ts';
import { POLICY_AND_OUTPUT_OPTIONS, type CliIo } from '../../src/cli/options.ts';
import { SWEEP_OPTIONS } from '../../src/cli/sweep.ts';
import { TEST_ALERT_OPTIONS } from '../../src/cli/testAlert.ts';
import { EMULATOR_OPTIONS } from '../../src/emulator/command.ts';

const COMMAND_OPTIONS: Record<string, object> = {
  sweep: SWEEP_OPTIONS,
  event: POLICY_AND_OUTPUT_OPTIONS,
  'test-alert': TEST_ALERT_OPTIONS,
  doctor: DOCTOR_OPTIONS,
  emulator: EMULATOR_OPTIONS,
  demo: DEMO_OPTIONS,
};

async function helpPage(args: string[]): Promise<string> {
  const out: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: () => {}, env: {}, stderrIsTTY: false, stdoutIsTTY: false };
  expect(await main(args, io)).toBe(0);
  return out.join('');
}

/** The usage lines of one command: its `contact-audit NAME` line and the indented lines after it. */
function usageOf(page: string, command: string): string {
  const lines = page.split('\n');
  const start = lines.findIndex((line) => line.trimStart().startsWith(`contact-audit ${command} `) || line.trim() === `contact-audit ${command}`);
  expect(start, `--help has a usage line for ${command}`).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => !/^\s{10,}\S/.test(line));
  return [lines[start], ...rest.slice(0, end === -1 ? rest.length : end)].join('\n');
}

describe('contact-audit --help', () => {
  it.each(Object.keys(COMMAND_OPTIONS))('lists every option %s accepts', async (command) => {
    const usage = usageOf(await helpPage(['--help']), command);
    for (const option of Object.keys(COMMAND_OPTIONS[command]!)) expect(usage, `${command} --${option}`).toContain(`--${option}`);
  });

  it('is what COMMAND --help prints too', async () => {
    expect(await helpPage(['emulator', '--help'])).toBe(await helpPage(['--help']));
  });
});
