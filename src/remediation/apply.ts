/**
 * Applies a remediation plan (README "Remediation"), exactly as written and nothing else:
 *   1. refuses a plan older than `maxAgeHours` (or dated in the future);
 *   2. reads every planned contact and refuses the whole plan, writing nothing, when one no longer
 *      holds the value the plan read (someone changed it since, or it cannot be read);
 *   3. without `confirm` (the default) stops there: a dry run that says what it would write;
 *   4. with it, writes each contact (PutAlternateContact, paced under its quota), reads it back
 *      and reports VERIFIED only when AWS holds the desired value.
 */
import type { Contact, ContactRead, ContactType } from '../model.ts';
import { sameContact, type PlanChange, type RemediationPlan } from './plan.ts';

/** Who reads and writes, about which account (contacts.ts `ReadTarget`). */
interface Target {
  accountId: string;
  callerAccountId: string;
  managementAccountId: string;
}

export interface RemediationPorts {
  read(target: Target, type: ContactType): Promise<ContactRead>;
  write(target: Target, type: ContactType, contact: Contact): Promise<void>;
  /** The AWS error code of what a write threw. */
  errorCode(error: unknown): string;
}

/** The plan cannot be applied as it is: nothing was written. */
export class PlanRefusedError extends Error {
  override readonly name = 'PlanRefusedError';
}

type RemediationOutcome = 'WOULD_WRITE' | 'VERIFIED' | 'NOT_VERIFIED' | 'FAILED';

interface RemediationResult {
  accountId: string;
  contactType: ContactType;
  outcome: RemediationOutcome;
  errorCode?: string;
}

/** The remediation report: who applied which plan, when, and each result. */
export interface RemediationReport {
  kind: 'contact-audit/remediation-report';
  planSha256: string;
  planCreatedAt: string;
  ranBy: string;
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  results: RemediationResult[];
}

export interface ApplyOptions {
  planSha256: string;
  callerArn: string;
  callerAccountId: string;
  confirm: boolean;
  maxAgeHours: number;
  now?: () => Date;
}

/** A plan made a little ahead of this machine's clock is the clocks' skew, not a forgery. */
const CLOCK_SKEW_MS = 5 * 60_000;

function checkAge(plan: RemediationPlan, now: Date, maxAgeHours: number): void {
  const ageMs = now.getTime() - Date.parse(plan.createdAt);
  if (ageMs < -CLOCK_SKEW_MS) throw new PlanRefusedError(`the plan is dated ${plan.createdAt}, in the future: make a new plan`);
  if (ageMs > maxAgeHours * 3_600_000) {
    throw new PlanRefusedError(`the plan was made at ${plan.createdAt}, ${(ageMs / 3_600_000).toFixed(1)} hours ago, more than --max-age-hours ${maxAgeHours}: make a new plan (contact-audit remediate --plan FILE)`);
  }
}

function describeRead(read: ContactRead): string {
  if (read.kind === 'failed') return `could not be read (${read.errorCode})`;
  return read.kind === 'missing' ? 'is not set' : `is now ${read.contact.emailAddress}`;
}

/** Step 2: every planned contact still holds what the plan read. */
async function checkCurrent(plan: RemediationPlan, ports: RemediationPorts, targetOf: (c: PlanChange) => Target): Promise<void> {
  const stale: string[] = [];
  for (const change of plan.changes) {
    const read = await ports.read(targetOf(change), change.contactType);
    const now = read.kind === 'present' ? read.contact : read.kind === 'missing' ? null : undefined;
    if (now === undefined || !sameContact(now, change.current)) stale.push(`${change.accountId} ${change.contactType} ${describeRead(read)}`);
  }
  if (stale.length > 0) {
    const shown = stale.slice(0, 10).join('; ');
    throw new PlanRefusedError(`${stale.length} planned contact${stale.length === 1 ? '' : 's'} no longer hold${stale.length === 1 ? 's' : ''} the value the plan read (${shown}${stale.length > 10 ? '; …' : ''}): nothing was written; make a new plan`);
  }
}

/** Step 4 for one contact: write, read back, compare. */
async function writeAndVerify(change: PlanChange, target: Target, ports: RemediationPorts): Promise<RemediationResult> {
  const base = { accountId: change.accountId, contactType: change.contactType };
  try {
    await ports.write(target, change.contactType, change.desired);
  } catch (error) {
    return { ...base, outcome: 'FAILED', errorCode: ports.errorCode(error) };
  }
  const read = await ports.read(target, change.contactType);
  if (read.kind === 'failed') return { ...base, outcome: 'NOT_VERIFIED', errorCode: read.errorCode };
  return { ...base, outcome: read.kind === 'present' && sameContact(read.contact, change.desired) ? 'VERIFIED' : 'NOT_VERIFIED' };
}

/** @throws PlanRefusedError (nothing written) when the plan is too old or no longer matches what AWS holds. */
export async function applyPlan(plan: RemediationPlan, ports: RemediationPorts, options: ApplyOptions): Promise<RemediationReport> {
  const now = options.now ?? (() => new Date());
  const started = now();
  checkAge(plan, started, options.maxAgeHours);
  const targetOf = (change: PlanChange): Target => ({ accountId: change.accountId, callerAccountId: options.callerAccountId, managementAccountId: plan.managementAccountId });
  await checkCurrent(plan, ports, targetOf);
  const results: RemediationResult[] = [];
  for (const change of plan.changes) {
    results.push(options.confirm ? await writeAndVerify(change, targetOf(change), ports) : { accountId: change.accountId, contactType: change.contactType, outcome: 'WOULD_WRITE' });
  }
  return {
    kind: 'contact-audit/remediation-report',
    planSha256: options.planSha256,
    planCreatedAt: plan.createdAt,
    ranBy: options.callerArn,
    dryRun: !options.confirm,
    startedAt: started.toISOString(),
    finishedAt: now().toISOString(),
    results,
  };
}
