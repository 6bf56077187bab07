/**
 * One benchmark sweep, run in its own process by bench/run.ts so that its memory figures are the
 * sweep's alone (the emulator answers from the parent process). It runs the product's
 * `runSweepJob` with the real SDK clients and prints one line `BENCH_RESULT {json}` on stdout.
 *
 * Input: the environment variable BENCH_SWEEP (JSON of {@link SweepBenchInput}).
 * Timing comes from middleware on the SDK clients, so the read phase (first to last
 * GetAlternateContact) is told apart from the listing phase (ListAccounts pages).
 */
import { createClients } from '../src/providers/aws/clients.ts';
import { pathToFileURL } from 'node:url';
import { awsProviderSource, parseDestination, runSweepJob } from '../src/audit/job.ts';
import { policyFromDomains } from '../src/policy/load.ts';
import { MemorySampler, type MemoryPeak } from './memory.ts';

export interface SweepBenchInput {
  endpoint: string;
  /** The caller: a 12-digit key is that account (the emulator's rule). */
  accessKeyId: string;
  ratePerSecond: number;
  concurrency: number;
  /** Write the reports here (a folder or s3://bucket/prefix); none when absent. */
  out?: string;
}

export interface SweepBenchResult {
  /** Wall time of runSweepJob, listing and reads (and finalize when `out` is set). */
  totalMs: number;
  /** First ListAccounts request to last ListAccounts answer. */
  listingMs: number;
  listPages: number;
  /** First GetAlternateContact request to last GetAlternateContact answer (the probe read included). */
  readMs: number;
  stats: { calls: number; retries: number; throttled: number; failed: number };
  summary: { accounts: number; compliant: number; nonCompliant: number; unknown: number; exempt: number; skipped: number };
  /** Every account ID in the report, in report order (bench/run.ts compares them with the organization). */
  accountIds: string[];
  /** Error codes of CHECK_FAILED findings, with counts. */
  checkFailedCodes: Record<string, number>;
  memory: MemoryPeak;
}

interface Span {
  first: number;
  last: number;
  count: number;
}

const newSpan = (): Span => ({ first: Number.POSITIVE_INFINITY, last: 0, count: 0 });

/** Middleware that widens `span` around every call the client sends. */
function timeCalls(client: { middlewareStack: { add: (...args: never[]) => void } }, name: string, span: Span, only?: string): void {
  const add = client.middlewareStack.add as unknown as (
    mw: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize'; name: string },
  ) => void;
  add(
    (next, context) => async (args) => {
      if (only && context.commandName !== only) return next(args);
      span.first = Math.min(span.first, performance.now());
      span.count++;
      try {
        return await next(args);
      } finally {
        span.last = Math.max(span.last, performance.now());
      }
    },
    { step: 'initialize', name },
  );
}

export async function benchSweep(input: SweepBenchInput): Promise<SweepBenchResult> {
  const sampler = new MemorySampler();
  const clients = createClients({
    endpoint: input.endpoint,
    credentials: { accessKeyId: input.accessKeyId, secretAccessKey: 'bench' },
    forcePathStyle: true,
  });
  const reads = newSpan();
  const listing = newSpan();
  timeCalls(clients.account, 'benchTimeReads', reads, 'GetAlternateContactCommand');
  timeCalls(clients.organizations, 'benchTimeListing', listing, 'ListAccountsCommand');

  sampler.start();
  const started = performance.now();
  const out = input.out ? parseDestination(input.out) : undefined;
  const outcome = await runSweepJob({
    policy: policyFromDomains(['example.com']),
    clients,
    provider: awsProviderSource(input.ratePerSecond),
    concurrency: input.concurrency,
    ...(out ? { out } : {}),
  });
  const totalMs = performance.now() - started;
  const memory = sampler.stop();

  const checkFailedCodes: Record<string, number> = {};
  for (const account of outcome.report.accounts) {
    for (const finding of account.findings) {
      if (finding.code !== 'CHECK_FAILED') continue;
      const code = finding.errorCode ?? '(none)';
      checkFailedCodes[code] = (checkFailedCodes[code] ?? 0) + 1;
    }
  }
  return {
    totalMs,
    listingMs: listing.count > 0 ? listing.last - listing.first : 0,
    listPages: listing.count,
    readMs: reads.count > 0 ? reads.last - reads.first : 0,
    stats: { ...outcome.stats },
    summary: { ...outcome.report.summary },
    accountIds: outcome.report.accounts.map((a) => a.accountId),
    checkFailedCodes,
    memory,
  };
}

// Run as a child process by bench/run.ts.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const raw = process.env.BENCH_SWEEP;
  if (!raw) throw new Error('bench/sweep.ts: set BENCH_SWEEP to the JSON input');
  const result = await benchSweep(JSON.parse(raw) as SweepBenchInput);
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}
