import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALIBABA_ONLY_FINDING_CODES, FINDING_CODES, type Report } from '../../src/model.ts';
import { runCli } from '../e2e/cli.ts';

describe('npm start (contact-audit demo)', () => {
  it('sweeps the sample organization, writes ./reports/ and exits 0', async () => {
    // Prepare: a fresh folder as the user's working directory.
    const cwd = await mkdtemp(join(tmpdir(), 'contact-audit-demo-'));
    // Act: the demo paces at the real quota (about 15 s for 49 accounts).
    const run = await runCli(['demo'], {}, { cwd });
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/49 accounts: \d+ non-compliant, 1 unknown, 1 exempt, \d+ compliant, 2 skipped/);
    const htmlPath = join(cwd, 'reports', 'latest', 'report.html');
    expect(run.stdout).toContain(htmlPath);
    expect(existsSync(htmlPath)).toBe(true);
    const report = JSON.parse(await readFile(join(cwd, 'reports', 'latest', 'report.json'), 'utf8')) as Report;
    const statuses = new Set(report.accounts.map((a) => a.status));
    expect([...statuses].sort()).toEqual(['COMPLIANT', 'EXEMPT', 'NON_COMPLIANT', 'SKIPPED', 'UNKNOWN']);
    const codes = new Set(report.accounts.flatMap((a) => a.findings.map((f) => f.code)));
    // Every AWS finding code, those of the primary contact, root e-mail, overrides and reuse included.
    expect([...codes].sort()).toEqual(FINDING_CODES.filter((c) => !(ALIBABA_ONLY_FINDING_CODES as readonly string[]).includes(c)).sort());
    await rm(cwd, { recursive: true, force: true });
  }, 60_000);
});
