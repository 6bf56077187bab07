/**
 * A remediation plan (README "Remediation"): for each non-compliant account, the alternate
 * contacts whose values differ from what the policy's `expect` wants there (after the overrides of
 * its OUs and its own ID), with the value read and the value to write. Pure: the report, the
 * policy and the accounts' places in the tree in, the plan out. A contact the policy gives no
 * complete desired value for is left alone, with the reason.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { CONTACT_TYPES, type AccountResult, type Contact, type ContactType, type OrgAccount, type Report } from '../model.ts';
import { effectivePolicy } from '../policy/overrides.ts';
import type { Policy } from '../policy/types.ts';
import { phoneDigits } from '../rules/phone.ts';

const PLAN_KIND = 'contact-audit/remediation-plan';

/** PutAlternateContact's input constraints (botocore account 2021-02-01, shapes Name … PhoneNumber). */
const PUT_LIMITS: Record<keyof Contact, { max: number; pattern?: RegExp }> = {
  name: { max: 64 },
  title: { max: 50 },
  emailAddress: { max: 254, pattern: /^[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*$/u },
  phoneNumber: { max: 25, pattern: /^[\s0-9()+-]+$/ },
};
const FIELDS = Object.keys(PUT_LIMITS) as (keyof Contact)[];

const contact = z.object({ name: z.string(), title: z.string(), emailAddress: z.string(), phoneNumber: z.string() });

const planChangeSchema = z.object({
  accountId: z.string().check(z.regex(/^\d{12}$/, 'expected a 12-digit account ID')),
  accountName: z.string(),
  contactType: z.enum(CONTACT_TYPES),
  /** What the plan read: `null` when the contact was not set. */
  current: z.nullable(contact),
  desired: contact,
});

const planSchema = z.object({
  kind: z.literal(PLAN_KIND),
  version: z.literal(1),
  createdAt: z.iso.datetime(),
  organizationId: z.string(),
  managementAccountId: z.string().check(z.regex(/^\d{12}$/)),
  /** The run whose reads the plan was made from. */
  sourceRunId: z.string(),
  changes: z.array(planChangeSchema),
  leftAlone: z.array(z.object({ accountId: z.string(), contactType: z.enum(CONTACT_TYPES), reason: z.string() })),
});

export type RemediationPlan = z.infer<typeof planSchema>;
export type PlanChange = z.infer<typeof planChangeSchema>;

/** The SHA-256 of the plan file's bytes: the name the remediation report and the alerts give the plan. */
export function planHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Whether two contacts are the same values as AWS stores them (exact, field by field). */
export function sameContact(a: Contact | null, b: Contact | null): boolean {
  if (a === null || b === null) return a === b;
  return FIELDS.every((key) => a[key] === b[key]);
}

/** Whether the contact already holds every value `expect` sets (as CONTACT_VALUE_MISMATCH compares them). */
function meetsExpectation(current: Contact, expected: Partial<Contact>): boolean {
  return FIELDS.every((key) => {
    const want = expected[key];
    if (want === undefined) return true;
    if (key === 'emailAddress') return current[key].trim().toLowerCase() === want.trim().toLowerCase();
    if (key === 'phoneNumber') return phoneDigits(current[key]) === phoneDigits(want);
    return current[key].trim() === want.trim();
  });
}

/** Why PutAlternateContact would refuse the desired value, or undefined. */
function putProblem(desired: Contact): string | undefined {
  for (const key of FIELDS) {
    const value = desired[key];
    if (value.trim() === '') return `no ${key} to write: neither the policy's expect nor the current contact gives one`;
    const limit = PUT_LIMITS[key];
    if ([...value].length > limit.max) return `${key} is longer than PutAlternateContact takes (${limit.max})`;
    if (limit.pattern && !limit.pattern.test(value)) return `${key} is not in the form PutAlternateContact takes`;
  }
  return undefined;
}

type Decision = { change: PlanChange } | { leftAlone: string } | undefined;

/** One contact of one account: a change, left alone (with why), or nothing to do. */
function decide(result: AccountResult, type: ContactType, expected: Partial<Contact> | undefined): Decision {
  if (expected === undefined) return undefined;
  if (!(type in result.contacts)) return { leftAlone: 'the contact could not be read: run the plan again once it can' };
  const current = result.contacts[type] ?? null;
  if (current !== null && meetsExpectation(current, expected)) return undefined;
  const finding = result.findings.find((f) => f.contactType === type && (f.code === 'CONTACT_VALUE_MISMATCH' || f.code === 'MISSING_CONTACT'));
  if (finding?.exemption) return { leftAlone: `exempt (${finding.exemption.reason}, until ${finding.exemption.expires})` };
  const desired: Contact = { name: '', title: '', emailAddress: '', phoneNumber: '', ...current, ...stripUndefined(expected) };
  const problem = putProblem(desired);
  if (problem) return { leftAlone: problem };
  return { change: { accountId: result.accountId, accountName: result.name, contactType: type, current, desired } };
}

function stripUndefined(values: Partial<Contact>): Partial<Contact> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/**
 * The plan for a report's non-compliant accounts. `placements` gives each account's OU IDs from the
 * root down, where the policy has OU-keyed overrides (without them an account's policy is the
 * top-level one or its own override).
 */
export function buildPlan(report: Report, policy: Policy, placements: ReadonlyMap<string, OrgAccount['ou']>, now: Date): RemediationPlan {
  const changes: PlanChange[] = [];
  const leftAlone: RemediationPlan['leftAlone'] = [];
  for (const result of report.accounts) {
    if (result.status !== 'NON_COMPLIANT') continue;
    const ou = placements.get(result.accountId);
    const own = effectivePolicy(policy, { id: result.accountId, ...(ou ? { ou } : {}) });
    for (const type of own.requiredContactTypes) {
      const decision = decide(result, type, own.expect?.[type]);
      if (decision && 'change' in decision) changes.push(decision.change);
      else if (decision) leftAlone.push({ accountId: result.accountId, contactType: type, reason: decision.leftAlone });
    }
  }
  return {
    kind: PLAN_KIND,
    version: 1,
    createdAt: now.toISOString(),
    organizationId: report.organizationId,
    managementAccountId: report.managementAccountId,
    sourceRunId: report.runId,
    changes,
    leftAlone,
  };
}

/** Reads a plan file's text: the schema's first problem, by its path, when it is not a plan. */
export function parsePlan(text: string): RemediationPlan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RangeError(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const result = planSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new RangeError(`${issue.path.length ? issue.path.join('.') : 'the plan'}: ${issue.message}`);
}
