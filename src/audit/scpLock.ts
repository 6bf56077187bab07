/**
 * Whether the organization's service control policies lock the alternate contacts: a Deny of
 * `account:PutAlternateContact` and `account:DeleteAlternateContact`, for every contact type
 * (no `account:AlternateContactTypes` condition, or one listing all three), attached to the root,
 * with at most the named pipeline role exempted (`aws:PrincipalArn` in an ArnNotLike/ArnNotEquals
 * condition). Pure: policies in, verdict out. IAM policy grammar: IAM user guide, "IAM JSON policy
 * element reference" and "Condition operators" (ARN operators match each of the six colon-separated
 * parts on its own, case-sensitively; StringNotLike matches the whole string); the condition key:
 * Account Management reference guide, "Condition keys".
 */
import { CONTACT_TYPES } from '../model.ts';
import { oneLine } from '../textHygiene.ts';

const LOCKED_ACTIONS = ['account:PutAlternateContact', 'account:DeleteAlternateContact'] as const;

export interface ScpInput {
  id: string;
  name: string;
  content: string;
  targets: { id: string; type: string }[];
}

export interface ScpVerdict {
  outcome: 'PASS' | 'WARN' | 'FAIL';
  detail: string;
  /** The policy that locks the contacts best, when one does at all. */
  policyId?: string;
}

type Json = Record<string, unknown>;
const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Counts the steps of {@link iamMatch}, so a test can hold the matcher to its bound. */
export interface MatchSteps {
  steps: number;
}

/**
 * IAM wildcard match: `*` any run, `?` one character; case-insensitive as IAM compares actions.
 * Two pointers and one saved position (the last `*`), never a regular expression: every step
 * moves forward in the value or the pattern, or restarts after the last `*` one character further
 * on, so a match takes at most (|pattern| + 1) × (|value| + 1) steps, however many `*` the pattern
 * has (a backtracking `.*` per `*` is exponential in them).
 */
export function iamMatch(pattern: string, value: string, caseInsensitive = true, counter?: MatchSteps): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  let steps = 0;
  while (i < v.length) {
    steps++;
    if (j < p.length && (p[j] === '?' || p[j] === v[i])) {
      i++;
      j++;
    } else if (j < p.length && p[j] === '*') {
      star = j++;
      resume = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++resume;
    } else {
      break;
    }
  }
  while (i === v.length && j < p.length && p[j] === '*') {
    steps++;
    j++;
  }
  if (counter) counter.steps += steps;
  return i === v.length && j === p.length;
}

/** The six colon-separated parts of an ARN (the last keeps its own colons), or undefined for fewer. */
function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** ArnLike / ArnEquals: each part matched on its own, case-sensitively (wildcards never cross a colon). */
function arnMatch(pattern: string, arn: string): boolean {
  const p = arnParts(pattern);
  const a = arnParts(arn);
  return p !== undefined && a !== undefined && p.every((part, k) => iamMatch(part, a[k]!, false));
}

const WILDCARD = /[*?]/;

/** One `aws:PrincipalArn` value of a negated condition: the principals it exempts from the Deny. */
export interface Exemption {
  operator: 'ArnNotLike' | 'ArnNotEquals' | 'StringNotLike' | 'StringNotEquals';
  value: string;
}

/** The pipeline role, as doctor knows it: its ARN and whether its account is in the organization. */
export interface PipelineRole {
  arn: string;
  /** false when Organizations does not know the account; undefined when it could not be asked. */
  inOrganization?: boolean;
}

/** Whether the exemption exempts the principal `arn`. */
function exempts(e: Exemption, arn: string): boolean {
  if (e.operator === 'StringNotEquals') return e.value === arn;
  if (e.operator === 'StringNotLike') return iamMatch(e.value, arn, false);
  return arnMatch(e.value, arn);
}

/**
 * Whether the exemption's account is a wildcard: a role of that name in any account (one a member
 * account's administrator can create) would be exempt. ARN operators keep wildcards inside one
 * part; StringNotLike lets a `*` before the account cross into it.
 */
function anyAccount(e: Exemption): boolean {
  if (e.operator === 'StringNotEquals') return false;
  if (e.operator === 'StringNotLike') {
    const parts = e.value.split(':');
    return parts.length < 6 || WILDCARD.test(parts.slice(0, 5).join(':'));
  }
  const parts = arnParts(e.value);
  return parts === undefined || WILDCARD.test(parts[4]!);
}

/**
 * Why one exemption is not the pipeline role of the organization's own accounts: FAIL when it
 * opens the lock to any account, WARN when it exempts more than (or other than) that role or cannot
 * be judged; undefined when it is exactly the pipeline role.
 */
export function judgeExemption(e: Exemption, role: PipelineRole | undefined): { outcome: 'WARN' | 'FAIL'; reason: string } | undefined {
  const wildcards = e.operator !== 'StringNotEquals' && WILDCARD.test(e.value);
  if (anyAccount(e)) return { outcome: 'FAIL', reason: `exempts ${e.value} (${e.operator}), which matches principals in any account, so the lock locks nothing a member account's administrator cannot undo` };
  if (role === undefined) return { outcome: 'WARN', reason: `exempts ${e.value}: name the pipeline role with --pipeline-role ARN to check that it is the only one exempted` };
  if (!exempts(e, role.arn)) return { outcome: 'WARN', reason: `also exempts ${e.value}, which is not the pipeline role` };
  if (wildcards) return { outcome: 'WARN', reason: `exempts every principal matching ${e.value}, not only the pipeline role ${role.arn}` };
  if (role.inOrganization === false) return { outcome: 'WARN', reason: `exempts the pipeline role ${role.arn}, whose account is not in the organization` };
  return undefined;
}

function coversAction(statement: Json, action: string): boolean {
  if (statement.Action !== undefined) return asList(statement.Action).some((p) => typeof p === 'string' && iamMatch(p, action));
  if (statement.NotAction !== undefined) return !asList(statement.NotAction).some((p) => typeof p === 'string' && iamMatch(p, action));
  return false;
}

interface StatementReading {
  covers: boolean;
  problems: string[];
  warnings: string[];
  exemptions: Exemption[];
}

/** What one Deny statement does to the locked actions. */
function readStatement(statement: Json, role: PipelineRole | undefined): StatementReading {
  const out: StatementReading = { covers: false, problems: [], warnings: [], exemptions: [] };
  if (statement.Effect !== 'Deny') return out;
  const missing = LOCKED_ACTIONS.filter((a) => !coversAction(statement, a));
  if (missing.length === LOCKED_ACTIONS.length) return out;
  out.covers = true;
  if (missing.length > 0) out.problems.push(`does not deny ${missing.join(', ')}`);
  const resources = asList(statement.Resource);
  if (statement.NotResource !== undefined || (resources.length > 0 && !resources.some((r) => r === '*'))) out.warnings.push('is limited to some resources');
  const condition = (typeof statement.Condition === 'object' && statement.Condition !== null ? statement.Condition : {}) as Record<string, Json>;
  for (const [operator, block] of Object.entries(condition)) {
    for (const [key, raw] of Object.entries(block ?? {})) {
      const values = asList(raw).filter((v): v is string => typeof v === 'string');
      const op = operator.replace(/IfExists$/, '');
      if (key.toLowerCase() === 'aws:principalarn' && /^(ArnNotLike|ArnNotEquals|StringNotLike|StringNotEquals)$/.test(op)) {
        out.exemptions.push(...values.map((value) => ({ operator: op as Exemption['operator'], value: oneLine(value) })));
      } else if (key.toLowerCase() === 'account:alternatecontacttypes' && /^(ForAnyValue:)?(StringEquals|StringLike)$/.test(op)) {
        const uncovered = CONTACT_TYPES.filter((t) => !values.some((v) => iamMatch(v, t, false)));
        if (uncovered.length > 0) out.problems.push(`leaves ${uncovered.join(', ')} open (account:AlternateContactTypes)`);
      } else {
        out.warnings.push(`has a further condition ${operator} ${key} this check cannot judge`);
      }
    }
  }
  if (role !== undefined) {
    if (out.exemptions.length === 0) out.problems.push(`denies the pipeline role ${role.arn} too (no aws:PrincipalArn exemption)`);
    else if (!out.exemptions.some((e) => exempts(e, role.arn))) out.problems.push(`exempts ${out.exemptions.map((e) => e.value).join(', ')} but not the pipeline role ${role.arn}`);
  }
  for (const exemption of out.exemptions) {
    const judged = judgeExemption(exemption, role);
    if (judged) (judged.outcome === 'FAIL' ? out.problems : out.warnings).push(judged.reason);
  }
  return out;
}

/**
 * The verdict over all SCPs. PASS: a statement locks both actions for every type, attached to the
 * root, exempting only the pipeline role of the organization's own accounts (or no one). WARN: it
 * does, but is attached below the root, carries conditions this check cannot judge, or exempts
 * more than the pipeline role (or anyone, when the role is not named). FAIL: no such statement, or
 * one whose exemption matches principals in any account. Names and values from the policies are
 * made display-safe ({@link oneLine}): they reach the terminal.
 */
export function judgeScps(policies: readonly ScpInput[], rootIds: readonly string[], pipelineRole?: PipelineRole): ScpVerdict {
  let best: ScpVerdict | undefined;
  const rank = { PASS: 0, WARN: 1, FAIL: 2 } as const;
  const consider = (v: ScpVerdict) => {
    if (!best || rank[v.outcome] < rank[best.outcome]) best = v;
  };
  for (const policy of policies) {
    let doc: Json;
    try {
      doc = JSON.parse(policy.content) as Json;
    } catch {
      continue;
    }
    const attachedToRoot = policy.targets.some((t) => t.type === 'ROOT' || rootIds.includes(t.id));
    for (const raw of asList(doc.Statement)) {
      if (typeof raw !== 'object' || raw === null) continue;
      const s = readStatement(raw as Json, pipelineRole);
      if (!s.covers) continue;
      const where = `SCP ${oneLine(policy.name)} (${oneLine(policy.id)})`;
      if (s.problems.length > 0) {
        consider({ outcome: 'FAIL', detail: `${where} ${s.problems.join('; ')}`, policyId: policy.id });
        continue;
      }
      const warnings = [...s.warnings];
      if (policy.targets.length === 0) {
        consider({ outcome: 'FAIL', detail: `${where} would lock the contacts but is attached nowhere`, policyId: policy.id });
        continue;
      }
      if (!attachedToRoot) warnings.push(`is attached to ${policy.targets.map((t) => oneLine(t.id)).join(', ')}, not the root: other accounts are not locked`);
      const exempt = s.exemptions.length > 0 ? `, except ${s.exemptions.map((e) => e.value).join(', ')}` : ', for every principal';
      consider({
        outcome: warnings.length > 0 ? 'WARN' : 'PASS',
        detail: `${where} denies ${LOCKED_ACTIONS.join(' and ')}${exempt}${warnings.length > 0 ? `; but it ${warnings.join('; ')}` : ''}`,
        policyId: policy.id,
      });
    }
  }
  return best ?? { outcome: 'FAIL', detail: `no service control policy denies ${LOCKED_ACTIONS.join(' and ')}` };
}

/** The SCP document the fix command creates: Deny both actions to all but the pipeline role. */
export function lockPolicyDocument(pipelineRoleArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'LockAlternateContacts',
        Effect: 'Deny',
        Action: [...LOCKED_ACTIONS],
        Resource: '*',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': pipelineRoleArn } },
      },
    ],
  });
}
