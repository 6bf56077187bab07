/**
 * The finalize step alone, run in its own process by bench/run.ts: build the report of a
 * generated organization, render it in every format and write it to a temporary folder with the
 * product's `finalizeSweep`, alerts included (to a sink that only measures them). This is what
 * the deployed finalize function holds in memory, so its peak must fit in 256 MB.
 *
 * The baseline is the same organization with every account compliant, so every violation is
 * "opened": the largest SWEEP_SUMMARY the organization can produce.
 *
 * Input: BENCH_FINALIZE = JSON {accounts, seed}. Output: one line `BENCH_RESULT {json}`.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { finalizeSweep } from '../src/audit/finalize.ts';
import { FileStore, type ReportStorage } from '../src/storage/reportStorage.ts';
import { generateOrganization } from '@contact-auditor/aws-emulator';
import type { AccountResult, ContactReads, Report } from '../src/model.ts';
import { CONTACT_TYPES } from '../src/model.ts';
import { policyFromDomains } from '../src/policy/load.ts';
import { buildReport } from '../src/report/buildReport.ts';
import { latestReportKeys } from '../src/report/layout.ts';
import { evaluateAccount } from '../src/rules/evaluate.ts';
import { MemorySampler, type MemoryPeak } from './memory.ts';

export interface FinalizeBenchResult {
  accounts: number;
  /** Building the report (evaluating every account) and finalizing it, ms. */
  buildMs: number;
  finalizeMs: number;
  /** Sizes of latest/report.* in bytes. */
  fileBytes: Record<string, number>;
  /** Accounts NON_COMPLIANT in the report: every one of them is a newly opened violation here. */
  nonCompliant: number;
  alerts: number;
  /** The largest SNS message body of the sweep (the SWEEP_SUMMARY), bytes; SNS accepts 262,144. */
  largestAlertBytes: number;
  memory: MemoryPeak;
}

export async function benchFinalize(input: { accounts: number; seed: number }): Promise<FinalizeBenchResult> {
  const fixture = generateOrganization({ accounts: input.accounts, seed: input.seed });
  const policy = policyFromDomains(['example.com']);
  const dir = await mkdtemp(join(tmpdir(), 'bench-finalize-'));
  const sampler = new MemorySampler();
  sampler.start();
  try {
    const builtAt = performance.now();
    const today = new Date().toISOString().slice(0, 10);
    const results: AccountResult[] = fixture.accounts.map((account) => {
      const reads: ContactReads = {};
      for (const type of CONTACT_TYPES) {
        const contact = account.contacts[type];
        reads[type] = contact ? { kind: 'present', contact } : { kind: 'missing' };
      }
      return evaluateAccount(account, reads, policy, today);
    });
    const meta = {
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
      organizationId: fixture.organization.id,
      managementAccountId: fixture.organization.managementAccountId,
      callerAccountId: fixture.organization.managementAccountId,
      policy,
    };
    const report = buildReport({ ...meta, runId: '2026-01-01T00-00-00Z-bench1' }, results);
    const baseline: Report = buildReport(
      { ...meta, runId: '2025-12-31T00-00-00Z-bench0' },
      results.map((r) => (r.status === 'NON_COMPLIANT' ? { ...r, status: 'COMPLIANT', findings: [] } : r)),
    );
    const buildMs = performance.now() - builtAt;

    let alerts = 0;
    let largestAlertBytes = 0;
    const storage: ReportStorage = new FileStore(dir);
    // The previous run, where finalize looks for it (written before the clock starts).
    await storage.put(latestReportKeys('').json, JSON.stringify(baseline), 'application/json');
    const finalizedAt = performance.now();
    await finalizeSweep({
      report,
      storage,
      prefix: '',
      maxAlertsPerSweep: policy.maxAlertsPerSweep,
      alerts: {
        publish: async (alert) => {
          alerts++;
          largestAlertBytes = Math.max(largestAlertBytes, Buffer.byteLength(alert.message, 'utf8'));
        },
      },
    });
    const finalizeMs = performance.now() - finalizedAt;
    const memory = sampler.stop();

    const fileBytes: Record<string, number> = {};
    for (const [ext, key] of Object.entries(latestReportKeys(''))) fileBytes[ext] = (await stat(join(dir, key))).size;
    return { accounts: report.accounts.length, buildMs, finalizeMs, fileBytes, nonCompliant: report.summary.nonCompliant, alerts, largestAlertBytes, memory };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const raw = process.env.BENCH_FINALIZE;
  if (!raw) throw new Error('bench/finalize.ts: set BENCH_FINALIZE to the JSON input');
  const result = await benchFinalize(JSON.parse(raw) as { accounts: number; seed: number });
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}
