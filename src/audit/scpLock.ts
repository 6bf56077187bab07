/**
 * Whether the organization's service control policies lock the alternate contacts: a Deny of
 * `account:PutAlternateContact` and `account:DeleteAlternateContact`, for every contact type
 * (no `account:AlternateContactTypes` condition, or one listing all three), attached to the root,
 * with at most the named pipeline role exempted (`aws:PrincipalArn` in an ArnNotLike/ArnNotEquals
 * condition). Pure: policies in, verdict out. IAM policy grammar: IAM user guide, "IAM JSON policy
 * element reference"; the condition key: Account Management reference guide, "Condition keys".
 */
import { CONTACT_TYPES } from '../model.ts';

export const LOCKED_ACTIONS = ['account:PutAlternateContact', 'account:DeleteAlternateContact'] as const;

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

/** IAM wildcard match: `*` any run, `?` one character; case-insensitive as IAM compares actions. */
export function iamMatch(pattern: string, value: string, caseInsensitive = true): boolean {
  const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, caseInsensitive ? 'i' : '');
  return re.test(value);
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
  exemptions: string[];
}

/** What one Deny statement does to the locked actions. */
function readStatement(statement: Json, pipelineRoleArn: string | undefined): StatementReading {
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
        out.exemptions.push(...values);
      } else if (key.toLowerCase() === 'account:alternatecontacttypes' && /^(ForAnyValue:)?(StringEquals|StringLike)$/.test(op)) {
        const uncovered = CONTACT_TYPES.filter((t) => !values.some((v) => iamMatch(v, t, false)));
        if (uncovered.length > 0) out.problems.push(`leaves ${uncovered.join(', ')} open (account:AlternateContactTypes)`);
      } else {
        out.warnings.push(`has a further condition ${operator} ${key} this check cannot judge`);
      }
    }
  }
  if (pipelineRoleArn !== undefined) {
    if (out.exemptions.length === 0) out.problems.push(`denies the pipeline role ${pipelineRoleArn} too (no aws:PrincipalArn exemption)`);
    else if (!out.exemptions.some((p) => iamMatch(p, pipelineRoleArn))) out.problems.push(`exempts ${out.exemptions.join(', ')} but not the pipeline role ${pipelineRoleArn}`);
    const broad = out.exemptions.filter((p) => !iamMatch(p, pipelineRoleArn) || /\*/.test(p.slice(p.lastIndexOf('/') + 1)));
    if (broad.length > 0) out.warnings.push(`also exempts ${broad.join(', ')}`);
  }
  return out;
}

/**
 * The verdict over all SCPs. PASS: a statement locks both actions for every type, attached to the
 * root, exempting only the pipeline role (when one is named). WARN: it does, but is attached below
 * the root or carries conditions or exemptions this check cannot fully judge. FAIL: no such statement.
 */
export function judgeScps(policies: readonly ScpInput[], rootIds: readonly string[], pipelineRoleArn?: string): ScpVerdict {
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
      const s = readStatement(raw as Json, pipelineRoleArn);
      if (!s.covers) continue;
      const where = `SCP ${policy.name} (${policy.id})`;
      if (s.problems.length > 0) {
        consider({ outcome: 'FAIL', detail: `${where} ${s.problems.join('; ')}`, policyId: policy.id });
        continue;
      }
      const warnings = [...s.warnings];
      if (policy.targets.length === 0) {
        consider({ outcome: 'FAIL', detail: `${where} would lock the contacts but is attached nowhere`, policyId: policy.id });
        continue;
      }
      if (!attachedToRoot) warnings.push(`is attached to ${policy.targets.map((t) => t.id).join(', ')}, not the root: other accounts are not locked`);
      const exempt = s.exemptions.length > 0 ? `, except ${s.exemptions.join(', ')}` : ', for every principal';
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
