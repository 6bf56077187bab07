/**
 * The deployed sweep's efficiency: the packaged state machine executed by the ASL interpreter, its
 * tasks bound to the Lambda bundles (test/stack/localStateMachine.ts), against the emulator at a
 * scaled quota, with the template's pacing scaled alike — while a real-time reader spends its own
 * share (the contactChange function's GetAlternateContact share for the template's Map width,
 * src/providers/aws/quotas.ts `deployedShares`: a steady stream of events, three reads each) on the same
 * caller's quota.
 *
 * Efficiency = answered reads of the batches ÷ (quota × read phase), the read phase from the first
 * GetAlternateContact request after the Distributed Map started to the last answer (timed by a
 * proxy in front of the emulator; the real-time reader goes around it). The list step's one probe
 * read and what comes before the Map are left out, as for the CLI's listing: their few seconds are
 * nothing beside a 52-minute sweep at the real quota, but 20 times too much at ×20. `eff. total`
 * is the whole execution, list and finalize included. Throttled = the emulator's 429s to anyone: 0 means sweep and
 * real-time together never exceeded 10/s burst 15 (scaled).
 *
 * `npx tsx bench/deployed.ts [accounts[:scale]…]` runs the given sizes alone (default 100 1000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AccountClient } from '@aws-sdk/client-account';
import { ContactsAdapter } from '../src/providers/aws/contacts.ts';
import { Pacer } from '../src/calls/pacer.ts';
import { deployedShares } from '../src/providers/aws/quotas.ts';
import { generateOrganization, startEmulator } from '@contact-auditor/aws-emulator';
import { buildBundles, createStackResources, LocalSweepStack, ReadRecorder, stackResourceNames } from '../test/stack/localStateMachine.ts';
import { packaged } from '../test/stack/packaged.ts';

const QUOTA = 10;
const SEED = 7;

export interface DeployedCase {
  accounts: number;
  quotaScale: number;
}

export interface DeployedFigures {
  name: string;
  accounts: number;
  quotaPerSecond: number;
  batches: number;
  status: string;
  reportAccounts: number;
  unknown: number;
  sweepAnswered: number;
  realtimeReads: number;
  throttled: number;
  readS: number;
  totalS: number;
  ratePerSecond: number;
  efficiency: number;
  /** The same with the sweep's burst taken off the reads ((answered − burst) ÷ quota ÷ read phase). */
  strictEfficiency: number;
  efficiencyTotal: number;
}

/** A steady stream of real-time events, paced as the deployed function paces (its share, scaled). */
async function realtimeStream(endpoint: string, caller: string, targets: string[], rate: number, burst: number, stop: { done: boolean }): Promise<number> {
  const contacts = new ContactsAdapter(
    new AccountClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: caller, secretAccessKey: 'x' }, maxAttempts: 1 }),
    { pacer: new Pacer(rate, burst) },
  );
  let reads = 0;
  for (let i = 0; !stop.done; i++) {
    const accountId = targets[i % targets.length]!;
    await contacts.readAll({ accountId, callerAccountId: caller, managementAccountId: '' }, ['BILLING', 'OPERATIONS', 'SECURITY']);
    reads += 3;
  }
  return reads;
}

export async function benchDeployed(cases: readonly DeployedCase[], log: (text: string) => void = () => {}): Promise<DeployedFigures[]> {
  const { template } = await packaged();
  const dir = mkdtempSync(join(tmpdir(), 'contact-auditor-bench-deployed-'));
  const figures: DeployedFigures[] = [];
  try {
    await buildBundles(dir, ['sweepList', 'sweepBatch', 'sweepFinalize']);
    const parallel = Number(template.Resources.SweepBatchLambdaFunction?.Properties?.Environment?.Variables?.CONTACT_AUDIT_SWEEP_PARALLEL);
    const shares = deployedShares('aws', parallel);
    const realtimeShare = shares.realtime.GetAlternateContact;
    const sweepBurst = parallel * shares.batch.GetAlternateContact.burst;
    for (const c of cases) {
      const quotaPerSecond = QUOTA * c.quotaScale;
      log(`bench: deployed sweep of ${c.accounts.toLocaleString('en')} accounts, quota x${c.quotaScale} (minimum ${((c.accounts * 3) / quotaPerSecond).toFixed(0)} s)…`);
      const fixture = generateOrganization({ accounts: c.accounts, seed: SEED });
      const caller = fixture.organization.managementAccountId;
      const emulator = await startEmulator({ fixture, port: 0, quotaScale: c.quotaScale, seed: SEED });
      const recorder = new ReadRecorder(emulator.url);
      const names = stackResourceNames(caller);
      createStackResources(emulator, names);
      const stack = new LocalSweepStack({
        template,
        bundleDir: dir,
        endpoint: await recorder.start(),
        callerAccountId: caller,
        ...names,
        quotaScale: c.quotaScale,
        env: { POWERTOOLS_LOG_LEVEL: 'ERROR', CONTACT_AUDIT_COMPANY_DOMAINS: 'example.com' },
      });
      const stop = { done: false };
      const active = fixture.accounts.filter((a) => a.state === 'ACTIVE' && a.id !== caller).map((a) => a.id);
      try {
        const stream = realtimeStream(
          emulator.url,
          caller,
          active,
          realtimeShare.ratePerSecond * c.quotaScale,
          realtimeShare.burst * c.quotaScale,
          stop,
        );
        const outcome = await stack.execute(`bench-${c.accounts}`);
        stop.done = true;
        const realtimeReads = await stream;
        const measured = recorder.efficiency(quotaPerSecond, outcome.mapStartedAt);
        const whole = recorder.efficiency(quotaPerSecond);
        const result = (outcome.output as { result?: { summary?: { accounts: number; unknown: number } } } | undefined)?.result;
        const totalS = (outcome.finishedAt - outcome.startedAt) / 1000;
        figures.push({
          name: `${c.accounts.toLocaleString('en')} accounts, quota x${c.quotaScale}`,
          accounts: c.accounts,
          quotaPerSecond,
          batches: outcome.mapItems,
          status: outcome.status === 'SUCCEEDED' ? 'SUCCEEDED' : `${outcome.status} ${outcome.error}`,
          reportAccounts: result?.summary?.accounts ?? 0,
          unknown: result?.summary?.unknown ?? -1,
          sweepAnswered: measured.answered,
          realtimeReads,
          throttled: emulator.state().throttledCounts.GetAlternateContact ?? 0,
          readS: Math.round(measured.readSeconds * 100) / 100,
          totalS: Math.round(totalS * 100) / 100,
          ratePerSecond: Math.round(measured.ratePerSecond * 10) / 10,
          efficiency: Math.round(measured.efficiency * 1000) / 1000,
          strictEfficiency:
            Math.round((Math.max(0, measured.answered - sweepBurst * c.quotaScale) / (quotaPerSecond * measured.readSeconds)) * 1000) / 1000,
          efficiencyTotal: Math.round((whole.answered / (quotaPerSecond * totalS)) * 1000) / 1000,
        });
      } finally {
        stop.done = true;
        await stack.close();
        await recorder.close();
        await emulator.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

// Standalone: `npx tsx bench/deployed.ts 100 1000`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `accounts[:scale]`, e.g. `100:4 1000:10`; the scale defaults to 4 up to 100 accounts, else 20.
  const args = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['100', '1000'];
  const cases = args.map((arg) => {
    const [accounts, scale] = arg.split(':').map(Number) as [number, number | undefined];
    return { accounts, quotaScale: scale ?? (accounts <= 100 ? 4 : 20) };
  });
  const figures = await benchDeployed(cases, (t) => process.stderr.write(`${t}\n`));
  for (const f of figures) process.stdout.write(`${JSON.stringify(f)}\n`);
  process.exit(0);
}
