/**
 * `contact-audit completion bash|zsh`: the script, sourced in a real bash, completes the commands,
 * each command's options (those its parser takes) and the fixed values of --format and --cloud.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.ts';
import { REPORT_FORMATS } from '../../src/report/render/index.ts';
import { runCli } from '../e2e/cli.ts';
import { runMain } from './inProcess.ts';

const run = promisify(execFile);

/** What bash's completion function offers for the words typed so far (the last one being completed). */
async function complete(script: string, words: string[]): Promise<string[]> {
  const program = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _contact_audit; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await run('bash', ['--norc', '--noprofile', '-c', program], { cwd: '/' });
  return stdout.split('\n').filter((line) => line !== '').sort();
}

describe('contact-audit completion bash', () => {
  it('completes commands, every option of each command, and fixed values', async () => {
    // The script as the README has it made: `eval "$(npx contact-audit completion bash)"`, the real binary.
    const { stdout: script, code } = await runCli(['completion', 'bash'], {});
    expect(code).toBe(0);

    expect(await complete(script, ['contact-audit', ''])).toEqual([...Object.keys(COMMANDS), '--help', '--version'].sort());
    expect(await complete(script, ['contact-audit', 'po'])).toEqual(['policy']);
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const options = Object.keys((await entry.load()).options).map((o) => `--${o}`);
      const offered = await complete(script, ['contact-audit', name, '--']);
      expect(offered, name).toEqual([...options, '--help'].sort());
    }
    expect(await complete(script, ['contact-audit', 'sweep', '--format', ''])).toEqual([...REPORT_FORMATS].sort());
    expect(await complete(script, ['contact-audit', 'sweep', '--cloud', 'a'])).toEqual(['alibaba', 'aws']);
    expect(await complete(script, ['contact-audit', 'doctor', '--format', ''])).toEqual(['json', 'text']);
    expect(await complete(script, ['contact-audit', 'completion', ''])).toEqual(['--help', 'bash', 'zsh']);
  });

  it('zsh: a #compdef script naming every command; an unknown shell is a usage error', async () => {
    const { stdout } = await runMain(['completion', 'zsh'], {});
    expect(stdout.startsWith('#compdef contact-audit\n')).toBe(true);
    for (const name of Object.keys(COMMANDS)) expect(stdout).toContain(`    ${name}) _arguments`);
    const fish = await runMain(['completion', 'fish'], {});
    expect(fish.code).toBe(2);
    expect(fish.stderr).toBe('contact-audit: completion: expected bash or zsh, got "fish"\n');
  });
});
