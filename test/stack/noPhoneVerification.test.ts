/**
 * The auditor never verifies a phone: SendPhoneNumberVerification texts a one-time passcode to a
 * person and VerifyPhoneNumber submits it (AWS Account Management API reference). No IAM role or
 * policy the product ships allows either (no wildcard that covers them either), no adapter declares
 * them, and no source file sends them, by SDK command or by their REST paths. The packaged template
 * is held to FORBIDDEN_ACTIONS too, by test/stack/iam.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_ADAPTER_ACTIONS, FORBIDDEN_ACTIONS } from '../../src/providers/aws/iam.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const SMS_ACTIONS = ['account:SendPhoneNumberVerification', 'account:VerifyPhoneNumber'];

/** Every file under `dir` whose name ends with one of `endings`. */
function files(dir: string, endings: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...files(path, endings));
    else if (endings.some((e) => name.endsWith(e))) out.push(path);
  }
  return out;
}

const text = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Whether an IAM action pattern (`account:*`, `account:Send*`, `*`, `account:?erify*`) allows `action` (IAM is case-insensitive on actions). */
function allows(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(action);
}

/** The action-like words of a policy text: `service:Action`, with wildcards, and a bare `*` given as an action. */
function actionWords(source: string): string[] {
  const words = [...source.matchAll(/(?<![\w:/-])([a-z0-9-]+:[A-Za-z0-9*?]+)(?![\w:/-])/g)].map((m) => m[1]!);
  const bare = [...source.matchAll(/Action"?\s*:\s*\[?\s*["']?\*["']?/g)].map(() => '*');
  return [...words, ...bare];
}

const POLICY_FILES = ['serverless.yml', ...files('serverless', ['.yml', '.yaml', '.json']), 'docs/deployer-policy.json'];

describe('no phone verification, ever', () => {
  it('is forbidden, and no adapter declares it', () => {
    for (const action of SMS_ACTIONS) {
      expect(FORBIDDEN_ACTIONS).toContain(action);
      expect(ALL_ADAPTER_ACTIONS.some((declared) => allows(declared, action)), action).toBe(false);
    }
  });

  it('the checker sees what it must: wildcards and exact names', () => {
    expect(actionWords('Action: [account:GetPrimaryEmail, account:Send*]')).toEqual(['account:GetPrimaryEmail', 'account:Send*']);
    expect(allows('account:Send*', 'account:SendPhoneNumberVerification')).toBe(true);
    expect(allows('account:*', 'account:VerifyPhoneNumber')).toBe(true);
    expect(allows('ACCOUNT:verifyphonenumber', 'account:VerifyPhoneNumber')).toBe(true);
    expect(allows('account:GetPrimaryEmail', 'account:VerifyPhoneNumber')).toBe(false);
    expect(actionWords('{"Action": "*"}')).toEqual(['*']);
  });

  it.each(POLICY_FILES)('%s allows neither, not even by a wildcard', (path) => {
    const words = actionWords(text(path));
    expect(words.length, `${path} names no IAM action at all`).toBeGreaterThan(0);
    for (const action of SMS_ACTIONS) expect(words.filter((w) => allows(w, action)), `${path}: ${action}`).toEqual([]);
  });

  it('the README and the docs grant neither', () => {
    for (const path of ['README.md', ...files('docs', ['.md'])]) {
      // Every IAM table row: `| \`service:Action\` … | why |`.
      const rows = text(path).split('\n').filter((line) => line.startsWith('|'));
      for (const row of rows) for (const action of SMS_ACTIONS) expect(actionWords(row).filter((w) => allows(w, action)), `${path}: ${row}`).toEqual([]);
    }
  });

  it('no source file sends either: no SDK command, no REST path', () => {
    // Prepare: everything that ships or runs (the CLI, the handlers, the emulator, the deploy plugins, the scripts).
    const sources = [...files('src', ['.ts']), ...files('handlers', ['.ts']), ...files('bin', ['.js']), ...files('serverless', ['.cjs', '.mjs', '.js']), ...files('scripts', ['.ts'])];
    expect(sources.length).toBeGreaterThan(50);
    // Act
    const offending = sources.filter((path) => /SendPhoneNumberVerificationCommand|VerifyPhoneNumberCommand|\/sendPhoneNumberVerification|\/verifyPhoneNumber/i.test(text(path)));
    // Assess
    expect(offending.map((p) => relative('.', p))).toEqual([]);
  });
});
