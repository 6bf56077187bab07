/**
 * The fault matrix's shared pieces: run the real CLI (`main()`) against the emulator, and the
 * checks every case makes of the report it gets back, against the fixture the emulator serves.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { Emulator, Fixture } from '@contact-auditor/aws-emulator';
import { CONTACT_TYPES, type AccountResult, type ContactReads, type Report } from '../../src/model.ts';
import { policyFromDomains } from '../../src/policy/load.ts';
import type { Policy } from '../../src/policy/types.ts';
import { evaluateAccount } from '../../src/rules/evaluate.ts';

const DOMAIN = 'example.com';
const POLICY: Policy = policyFromDomains([DOMAIN]);

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The report printed on stdout (the runs use --format json), when there is one. */
  report?: Report;
}

/**
 * Runs `contact-audit sweep --domain example.com --format json …` as `caller`, through the real
 * SDK clients: the SDK takes endpoint and credentials from the process environment, as it would
 * from a shell, so they are set there for the run.
 */
/** The matrix's emulator quota scale, which its `--rate` matches (matrix.test.ts). */
const QUOTA_SCALE = 10;

export async function cliSweep(emu: Emulator, caller: string, args: string[]): Promise<CliRun> {
  const env = {
    AWS_ENDPOINT_URL: emu.url,
    AWS_ACCESS_KEY_ID: caller,
    AWS_SECRET_ACCESS_KEY: 'fault-matrix',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // The rate the matrix asks for is its scale's quota; the CLI holds --rate to the scaled quota.
    CONTACT_AUDIT_QUOTA_SCALE: String(QUOTA_SCALE),
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
  let stdout = '';
  let stderr = '';
  try {
    const exitCode = await main(['sweep', '--domain', DOMAIN, '--format', 'json', ...args], {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      env: { ...process.env },
      stderrIsTTY: false,
      stdoutIsTTY: false,
    });
    let report: Report | undefined;
    try {
      report = JSON.parse(stdout) as Report;
    } catch {
      report = undefined;
    }
    return { exitCode, stdout, stderr, ...(report ? { report } : {}) };
  } finally {
    vi.unstubAllEnvs();
  }
}

/** The README's exit codes for a run that completed: 1 any NON_COMPLIANT, else 3 any UNKNOWN, else 0. */
export function expectedExit(report: Report): number {
  if (report.summary.nonCompliant > 0) return 1;
  if (report.summary.unknown > 0) return 3;
  return 0;
}

/** What the account's status is when all its contacts are read as the fixture holds them. */
export function truth(fixture: Fixture, accountId: string, today: string): AccountResult {
  const account = fixture.accounts.find((a) => a.id === accountId);
  if (!account) throw new Error(`${accountId} is not in the fixture`);
  const reads: ContactReads = {};
  for (const type of POLICY.requiredContactTypes) {
    const contact = account.contacts[type];
    reads[type] = contact ? { kind: 'present', contact } : { kind: 'missing' };
  }
  return evaluateAccount(account, reads, POLICY, today);
}

export interface InvariantOptions {
  /** The caller; when it is the delegated admin, the management account must be UNKNOWN with AccessDenied. */
  caller: string;
  /** Accounts whose state changed during the run: checked for presence only. */
  changed?: readonly string[];
  /** Under a throttling storm the management account's reads may run out of retries before AWS denies them. */
  managementMayBeThrottled?: boolean;
}

/**
 * The checks every case makes:
 * - every account of the organization is in the report exactly once, and nothing else is;
 * - an account without CHECK_FAILED has exactly the status and contacts the fixture gives it;
 * - an account with a CHECK_FAILED is never COMPLIANT or EXEMPT, carries an error code on every
 *   CHECK_FAILED, and whatever it did read matches the fixture (so NON_COMPLIANT is real);
 * - COMPLIANT only for an account compliant in the fixture, with its three contacts read;
 * - the summary counts what the accounts say.
 */
export function checkReport(report: Report, fixture: Fixture, options: InvariantOptions): void {
  const ids = report.accounts.map((a) => a.accountId);
  expect(new Set(ids).size, 'no account twice').toBe(ids.length);
  expect([...ids].sort(), 'every account of the organization, nothing else').toEqual(fixture.accounts.map((a) => a.id).sort());

  const today = report.startedAt.slice(0, 10);
  const changed = new Set(options.changed ?? []);
  const { managementAccountId } = fixture.organization;
  for (const account of report.accounts) {
    if (changed.has(account.accountId)) continue;
    const expected = truth(fixture, account.accountId, today);
    const failed = account.findings.filter((f) => f.code === 'CHECK_FAILED');
    const where = `account ${account.accountId}`;
    expect(account.state, where).toBe(expected.state);
    if (failed.length === 0) {
      expect(account.status, where).toBe(expected.status);
      expect(account.contacts, where).toEqual(expected.contacts);
      expect(account.findings, where).toEqual(expected.findings);
    } else {
      expect(['UNKNOWN', 'NON_COMPLIANT'], where).toContain(account.status);
      if (account.status === 'NON_COMPLIANT') expect(expected.status, where).toBe('NON_COMPLIANT');
      for (const f of failed) expect(f.errorCode, `${where} ${f.contactType}`).toMatch(/^[A-Za-z][A-Za-z0-9]+$/);
      for (const type of CONTACT_TYPES) {
        if (type in account.contacts) expect(account.contacts[type], `${where} ${type}`).toEqual(expected.contacts[type]);
      }
    }
    if (account.status === 'COMPLIANT') {
      expect(expected.status, where).toBe('COMPLIANT');
      expect(Object.keys(account.contacts).sort(), where).toEqual([...POLICY.requiredContactTypes].sort());
    }
  }
  if (options.caller !== managementAccountId) {
    const management = report.accounts.find((a) => a.accountId === managementAccountId)!;
    expect(management.status).toBe('UNKNOWN');
    expect(management.findings.map((f) => f.code)).toEqual(POLICY.requiredContactTypes.map(() => 'CHECK_FAILED'));
    const allowed = options.managementMayBeThrottled ? ['AccessDeniedException', 'TooManyRequestsException'] : ['AccessDeniedException'];
    for (const f of management.findings) expect(allowed).toContain(f.errorCode);
  }
  const count = (status: string) => report.accounts.filter((a) => a.status === status).length;
  expect(report.summary).toEqual({
    accounts: report.accounts.length,
    compliant: count('COMPLIANT'),
    nonCompliant: count('NON_COMPLIANT'),
    unknown: count('UNKNOWN'),
    exempt: count('EXEMPT'),
    skipped: count('SKIPPED'),
  });
}

/** Accounts UNKNOWN for a reason other than the one AWS always gives the delegated admin about the management account. */
export function unexpectedUnknown(report: Report, fixture: Fixture): AccountResult[] {
  return report.accounts.filter((a) => a.status === 'UNKNOWN' && a.accountId !== fixture.organization.managementAccountId);
}

/**
 * Calls `action` once, as soon as `ready` holds for the emulator's request counts: how a case
 * injects a fault or changes an account in the middle of a run. Polls every millisecond.
 */
export function when(emu: Emulator, ready: (counts: Record<string, number>) => boolean, action: (counts: Record<string, number>) => void): { fired: Promise<Record<string, number>>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let cancel = (): void => {};
  const fired = new Promise<Record<string, number>>((resolve, reject) => {
    cancel = () => {
      clearInterval(timer);
      reject(new Error('the condition never held during the run'));
    };
    timer = setInterval(() => {
      const counts = emu.state().requestCounts;
      if (!ready(counts)) return;
      clearInterval(timer);
      action(counts);
      resolve(counts);
    }, 1);
  });
  fired.catch(() => {});
  return { fired, cancel };
}

/** A fresh folder for a case's reports. */
export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'faults-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}
