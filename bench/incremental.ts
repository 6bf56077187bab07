/**
 * Continuous compliance, measured (docs/continuous.md): on a generated organization (seed 7) in an
 * in-process emulator, a full sweep keeps the evidence; then 1% of the accounts change through the
 * Account API (PutAlternateContact, organizations context, as the management account), and each
 * change's CloudTrail record is handled by the real-time path (`handleContactEvent`, which writes
 * the `changes/` record), except a chosen fraction of them, dropped as a lost EventBridge delivery
 * would be. Then `sweep --incremental` and a full sweep of the same organization, side by side,
 * each keeping its reports and evidence (`--out`) as a scheduled run does: GetAlternateContact
 * reads and time of each, the incremental run's reasons, and whether every account's findings
 * agree. An account whose event was dropped may disagree until the rolling slice reaches it (at
 * most `maxEvidenceAgeDays`); an account whose event was handled never may. Then, when events were
 * dropped, one incremental run a day on the clock of the following days, until none differs: the
 * days it took (at most the bound). Last, a policy change from the evidence alone: its contact
 * reads (0) and its time.
 *
 *   npx tsx bench/incremental.ts                    # 10,000 accounts, quota x20
 *   BENCH_INCREMENTAL='{"accounts":1000}' npx tsx bench/incremental.ts
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountClient, PutAlternateContactCommand } from '@aws-sdk/client-account';
import { accountDirectory, cachedAuditorContext, handleContactEvent, memoryDedupe, type ContactEventDeps } from '../src/audit/event.ts';
import { maxEvidenceAgeDays } from '../src/audit/evidence.ts';
import { awsProviderSource, runSweepJob, type SweepJobInput } from '../src/audit/job.ts';
import { parseContactEvent } from '../src/contracts/contactEvent.ts';
import { generateOrganization, startEmulator, type CloudTrailRecord, type Emulator } from '@contact-auditor/aws-emulator';
import type { AccountResult, EvidenceSummary, Report } from '../src/model.ts';
import { policyFromDomains } from '../src/policy/load.ts';
import { createClients } from '../src/providers/aws/clients.ts';
import { ContactsAdapter } from '../src/providers/aws/contacts.ts';
import { IdentityAdapter } from '../src/providers/aws/identity.ts';
import { OrganizationsAdapter } from '../src/providers/aws/organizations.ts';
import { FileStore } from '../src/storage/reportStorage.ts';

const SEED = 7;
const QUOTA = 10;

export interface IncrementalOptions {
  accounts: number;
  quotaScale: number;
  /** Fraction of the active members changed through the API. */
  changedFraction: number;
  /** Fraction of those changes whose event is never handled. */
  droppedFraction: number;
}

interface Run {
  reads: number;
  seconds: number;
  report: Report;
}

export interface IncrementalFigures {
  accounts: number;
  quotaPerSecond: number;
  changed: number;
  eventsDropped: number;
  full: { reads: number; seconds: number };
  incremental: { reads: number; seconds: number; evidence: EvidenceSummary | undefined };
  fromEvidence: { reads: number; seconds: number };
  /** reads ÷ reads and time ÷ time of the full sweep over the incremental one. */
  readsRatio: number;
  timeRatio: number;
  /** 3 × (changed + new + slice) + 1% of the full sweep's reads: the ceiling of an incremental run's reads. */
  readsCeiling: number;
  /** Accounts whose findings differ from the full sweep's, and how many of those had their event handled (must be 0). */
  differing: number;
  differingAnnounced: number;
  /** With events dropped: the daily incremental runs after the first until every account agrees (≤ maxEvidenceAgeDays), and how many still differed after each. */
  catchUp?: { days: number; differingByDay: number[]; reads: number[] };
}

/** Every account's status, contacts and findings: what a full and an incremental report must agree on. */
const judged = (account: AccountResult) => JSON.stringify({ ...account, evidence: undefined });

async function timed(emu: Emulator, input: SweepJobInput): Promise<Run> {
  const before = emu.state().requestCounts.GetAlternateContact ?? 0;
  const start = performance.now();
  const { report } = await runSweepJob(input);
  return { report, seconds: (performance.now() - start) / 1000, reads: (emu.state().requestCounts.GetAlternateContact ?? 0) - before };
}

/** Changes `members` through the Account API and hands every change's record but the dropped ones to the real-time path. */
async function changeMembers(emu: Emulator, management: string, members: readonly string[], deps: ContactEventDeps, droppedEvery: number): Promise<Set<string>> {
  const admin = new AccountClient({ region: 'us-east-1', endpoint: emu.url, credentials: { accessKeyId: management, secretAccessKey: 'x' }, maxAttempts: 1 });
  const dropped = new Set<string>();
  for (const [i, accountId] of members.entries()) {
    await admin.send(new PutAlternateContactCommand({ AccountId: accountId, AlternateContactType: 'SECURITY', Name: 'SOC', Title: 'SOC', EmailAddress: 'soc@vendor.example.net', PhoneNumber: '+1 206 555 0199' }));
    const record = emu.state().cloudtrailEvents.at(-1) as CloudTrailRecord;
    if (droppedEvery > 0 && i % droppedEvery === 0) {
      dropped.add(accountId);
      continue;
    }
    const event = { version: '0', id: `bench-${i}`, 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.account', account: management, time: record.eventTime, region: 'us-east-1', resources: [], detail: record };
    await handleContactEvent(parseContactEvent(event), deps);
  }
  return dropped;
}

export async function measureIncremental(options: IncrementalOptions): Promise<IncrementalFigures> {
  const fixture = generateOrganization({ accounts: options.accounts, seed: SEED });
  const management = fixture.organization.managementAccountId;
  const emu = await startEmulator({ fixture, port: 0, quotaScale: options.quotaScale });
  const out = await mkdtemp(join(tmpdir(), 'contact-audit-bench-incremental-'));
  const fullOut = await mkdtemp(join(tmpdir(), 'contact-audit-bench-full-'));
  try {
    const clients = createClients({ endpoint: emu.url, credentials: { accessKeyId: management, secretAccessKey: 'x' }, forcePathStyle: true });
    const policy = policyFromDomains(['example.com']);
    const base: SweepJobInput = { policy, provider: awsProviderSource(QUOTA * options.quotaScale), clients, concurrency: 16 };
    const dir = { kind: 'dir' as const, path: out };
    await timed(emu, { ...base, out: dir });
    const members = fixture.accounts.filter((a) => a.state === 'ACTIVE' && a.id !== management).map((a) => a.id);
    const changed = members.filter((_, i) => i % Math.round(1 / options.changedFraction) === 0);
    const deps: ContactEventDeps = {
      policy,
      context: cachedAuditorContext(new IdentityAdapter(clients.sts), new OrganizationsAdapter(clients.organizations)),
      contacts: new ContactsAdapter(clients.account),
      accounts: accountDirectory(new OrganizationsAdapter(clients.organizations)),
      alerts: { publish: async () => undefined },
      changes: { storage: new FileStore(out), prefix: '' },
      dedupe: memoryDedupe(),
    };
    const dropped = await changeMembers(emu, management, changed, deps, options.droppedFraction > 0 ? Math.round(1 / options.droppedFraction) : 0);
    const incremental = await timed(emu, { ...base, out: dir, evidence: 'incremental' });
    // The full sweep keeps its reports and evidence too, in a store of its own.
    const full = await timed(emu, { ...base, out: { kind: 'dir', path: fullOut } });
    const catchUp = dropped.size > 0 ? await catchUpDays(emu, { ...base, out: dir, evidence: 'incremental' }, full.report, maxEvidenceAgeDays(policy)) : undefined;
    const fromEvidence = await timed(emu, { ...base, out: dir, evidence: 'from-evidence', policy: policyFromDomains(['example.com', 'example.org']) });
    return { ...figures(options, { changed, dropped, full, incremental, fromEvidence }), ...(catchUp ? { catchUp } : {}) };
  } finally {
    await emu.close();
    await rm(out, { recursive: true, force: true });
    await rm(fullOut, { recursive: true, force: true });
  }
}

/** Accounts whose findings differ between two reports. */
function differingIds(report: Report, truth: Report): string[] {
  const truthById = new Map(truth.accounts.map((a) => [a.accountId, judged(a)]));
  return report.accounts.filter((a) => truthById.get(a.accountId) !== judged(a)).map((a) => a.accountId);
}

/** One incremental run a day, on the clock of the days after, until its findings equal `truth` (the contacts change no more meanwhile). */
async function catchUpDays(emu: Emulator, input: SweepJobInput, truth: Report, bound: number): Promise<NonNullable<IncrementalFigures['catchUp']>> {
  const differingByDay: number[] = [];
  const reads: number[] = [];
  for (let day = 1; day <= bound + 1; day++) {
    const run = await timed(emu, { ...input, now: () => new Date(Date.now() + day * 86_400_000) });
    differingByDay.push(differingIds(run.report, truth).length);
    reads.push(run.reads);
    if (differingByDay.at(-1) === 0) return { days: day, differingByDay, reads };
  }
  return { days: Number.POSITIVE_INFINITY, differingByDay, reads };
}

function figures(options: IncrementalOptions, runs: { changed: string[]; dropped: Set<string>; full: Run; incremental: Run; fromEvidence: Run }): IncrementalFigures {
  const { full, incremental, fromEvidence, dropped } = runs;
  const differing = differingIds(incremental.report, full.report);
  const reasons = incremental.report.evidence?.reasons ?? {};
  const due = (reasons.changed ?? 0) + (reasons.new ?? 0) + (reasons.moved ?? 0) + (reasons.rolling ?? 0);
  return {
    accounts: options.accounts,
    quotaPerSecond: QUOTA * options.quotaScale,
    changed: runs.changed.length,
    eventsDropped: dropped.size,
    full: { reads: full.reads, seconds: round(full.seconds) },
    incremental: { reads: incremental.reads, seconds: round(incremental.seconds), evidence: incremental.report.evidence },
    fromEvidence: { reads: fromEvidence.reads, seconds: round(fromEvidence.seconds) },
    readsRatio: round(full.reads / Math.max(1, incremental.reads)),
    timeRatio: round(full.seconds / Math.max(0.001, incremental.seconds)),
    readsCeiling: 3 * due + Math.ceil(full.reads / 100),
    differing: differing.length,
    differingAnnounced: differing.filter((id) => !dropped.has(id)).length,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

if (import.meta.url === `file://${process.argv[1]}`) {
  const asked = JSON.parse(process.env.BENCH_INCREMENTAL ?? '{}') as Partial<IncrementalOptions>;
  console.log(JSON.stringify(await measureIncremental({ accounts: 10_000, quotaScale: 20, changedFraction: 0.01, droppedFraction: 0.2, ...asked })));
}
