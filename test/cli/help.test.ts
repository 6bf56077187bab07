/**
 * `contact-audit --help` and `contact-audit COMMAND --help` are where a user learns the options: each
 * command's page must list every option its parser takes, each with what it does, and no option the
 * parser would refuse. The parsers' own specs are the reference (COMMANDS' `load`).
 */
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.ts';
import { runMain } from './inProcess.ts';

const run = (args: string[]) => runMain(args, {});

/** The options a page's "Options:" section lists, with their text. */
function listedOptions(page: string): Map<string, string> {
  const section = page.split('\nOptions:\n')[1] ?? '';
  const listed = new Map<string, string>();
  for (const line of section.split('\n')) {
    const match = /^ {2}--([\w-]+)\S*(?: \S+)?\s{2,}(.*)$/.exec(line) ?? /^ {2}--([\w-]+)()$/.exec(line);
    if (match) listed.set(match[1]!, match[2]!.trim());
  }
  return listed;
}

const AWS_COMMANDS = ['sweep', 'event', 'test-alert', 'doctor'];

describe('COMMAND --help', () => {
  it.each(Object.keys(COMMANDS))('%s --help lists exactly the options its parser takes, each explained', async (name) => {
    const { options } = await COMMANDS[name]!.load();
    const { code, stdout } = await run([name, '--help']);

    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: contact-audit ${name}`));
    const listed = listedOptions(stdout);
    expect([...listed.keys()].sort()).toEqual(Object.keys(options).sort());
    for (const [option, text] of listed) expect(text, `--${option} has a description`).not.toBe('');
    // Every listed option is one the parser accepts (a string option given a value).
    for (const [option, spec] of Object.entries(options)) {
      const args = spec.type === 'string' ? [`--${option}`, 'x'] : [`--${option}`];
      expect(() => parseArgs({ args, options, strict: true, allowPositionals: true })).not.toThrow();
    }
  });

  it.each(AWS_COMMANDS)('%s takes the AWS CLI habits: --profile, --region, --no-color, --quiet', async (name) => {
    const listed = listedOptions((await run([name, '--help'])).stdout);
    for (const option of ['profile', 'region', 'no-color', 'quiet']) expect(listed.has(option), `${name} --${option}`).toBe(true);
  });

  it('help COMMAND is the same page; -h too', async () => {
    const page = (await run(['sweep', '--help'])).stdout;
    expect((await run(['help', 'sweep'])).stdout).toBe(page);
    expect((await run(['sweep', '-h'])).stdout).toBe(page);
  });

  it('the overview names every command with every option of its parser', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const start = stdout.indexOf(`  contact-audit ${name}`);
      expect(start, name).toBeGreaterThan(0);
      // The usage lines run to the command's summary, indented by six spaces.
      const rest = stdout.slice(start);
      const usage = rest.slice(0, rest.search(/\n {6}\S/));
      for (const option of Object.keys((await entry.load()).options)) expect(usage, `${name} --${option}`).toContain(`--${option}`);
    }
  });

  it('an unknown option is named, with where the options are listed (not parseArgs\' advice about "--")', async () => {
    const { code, stderr } = await run(['sweep', '--domain', 'example.com', '--colour']);
    expect(code).toBe(2);
    expect(stderr).toBe('contact-audit: sweep: unknown option --colour (contact-audit sweep --help lists its options)\n');
  });
});
