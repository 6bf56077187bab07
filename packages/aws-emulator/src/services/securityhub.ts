/**
 * AWS Security Hub (restJson1): BatchImportFindings, `POST /findings/import`, as the securityhub
 * 2018-10-26 model and the API reference describe it.
 *
 * - The request: `Findings` is required, 1 to 100 findings (shape BatchImportFindingsRequestFindingList);
 *   anything else is an InvalidInputException (400) for the whole request.
 * - Each finding: the members AwsSecurityFinding requires (SchemaVersion, Id, ProductArn,
 *   GeneratorId, AwsAccountId, CreatedAt, UpdatedAt, Title, Description, Resources, each Resource
 *   with Type and Id) as non-empty strings (NonEmptyString: `.*\S.*`), the enums the auditor's
 *   findings carry (SeverityLabel, ComplianceStatus, RecordState), at most 240 KB (API reference).
 *   A finding that breaks a rule is returned in `FailedFindings`, the others are imported.
 * - The default product ARN (`arn:…:securityhub:REGION:ACCOUNT:product/ACCOUNT/default`) imports only
 *   for the calling account: `AwsAccountId` must be the caller (API reference, BatchImportFindings).
 * - Throttling: 10 requests per second with a burst of 30 per account and Region (partner guide,
 *   "Guidelines for using the BatchImportFindings API"), answered as LimitExceededException (429).
 *
 * The `ErrorCode` strings of FailedFindings are free text in the model; the emulator uses
 * InvalidInput and AccessDeniedException.
 */
import { jsonObjectBody, restJsonError, restJsonReply, type Reply, type RequestContext, type ServiceHandler } from '../protocol.ts';
import type { Store } from '../store.ts';
import { TokenBucket } from './account.ts';

const REQUIRED = ['SchemaVersion', 'Id', 'ProductArn', 'GeneratorId', 'AwsAccountId', 'CreatedAt', 'UpdatedAt', 'Title', 'Description'] as const;
const NON_EMPTY = /\S/u;
const MAX_FINDINGS = 100;
const MAX_FINDING_BYTES = 240 * 1024;
const ENUMS: [string[], readonly string[]][] = [
  [['Severity', 'Label'], ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']],
  [['FindingProviderFields', 'Severity', 'Label'], ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']],
  [['Compliance', 'Status'], ['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE']],
  [['RecordState'], ['ACTIVE', 'ARCHIVED']],
];
/** Requests per second and burst, per calling account and Region. */
const SECURITY_HUB_IMPORT_QUOTA: [number, number] = [10, 30];

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && NON_EMPTY.test(v);

function at(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const p of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

/** Why one finding cannot be imported for `caller`, or undefined when it can. */
function findingProblem(finding: unknown, caller: string): { code: string; message: string } | undefined {
  if (typeof finding !== 'object' || finding === null || Array.isArray(finding)) return { code: 'InvalidInput', message: 'Finding must be an object' };
  const f = finding as Record<string, unknown>;
  for (const name of REQUIRED) if (!nonEmpty(f[name])) return { code: 'InvalidInput', message: `Finding does not adhere to Amazon Security Finding Format. ${name} is required and must be a non-empty string.` };
  if (!Array.isArray(f.Resources) || f.Resources.length === 0) return { code: 'InvalidInput', message: 'Finding does not adhere to Amazon Security Finding Format. Resources is required.' };
  for (const r of f.Resources) {
    if (!nonEmpty(at(r, ['Type'])) || !nonEmpty(at(r, ['Id']))) return { code: 'InvalidInput', message: 'Finding does not adhere to Amazon Security Finding Format. Resources[].Type and Resources[].Id are required.' };
  }
  for (const [path, values] of ENUMS) {
    const v = at(f, path);
    if (v !== undefined && !values.includes(v as string)) return { code: 'InvalidInput', message: `${path.join('.')} must be one of ${values.join(', ')}` };
  }
  if (Buffer.byteLength(JSON.stringify(f), 'utf8') > MAX_FINDING_BYTES) return { code: 'InvalidInput', message: 'Finding exceeds the maximum size of 240 KB' };
  if (f.AwsAccountId !== caller) return { code: 'AccessDeniedException', message: `The caller ${caller} cannot import findings for account ${String(f.AwsAccountId)} with the default product` };
  const product = /^arn:aws(?:-cn|-us-gov)?:securityhub:[a-z0-9-]+:(\d{12}):product\/(\d{12})\/default$/.exec(f.ProductArn as string);
  if (product === null || product[1] !== caller || product[2] !== caller) return { code: 'AccessDeniedException', message: `The product ${String(f.ProductArn)} is not the caller's default product` };
  return undefined;
}

export class SecurityHubService implements ServiceHandler {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly store: Store) {}

  operation(ctx: RequestContext): string {
    return ctx.method === 'POST' && ctx.url.pathname === '/findings/import' ? 'BatchImportFindings' : 'Unknown';
  }

  internalError(ctx: RequestContext): Reply {
    return restJsonError(ctx, 'InternalException', 500, 'Internal service error.');
  }

  throttle(ctx: RequestContext): Reply {
    return restJsonError(ctx, 'LimitExceededException', 429, 'Rate exceeded');
  }

  handle(ctx: RequestContext, op: string): Reply {
    if (op === 'Unknown') return restJsonError(ctx, 'InvalidInputException', 404, `The operation ${ctx.method} ${ctx.url.pathname} is not emulated.`);
    const key = `${ctx.callerAccountId}/${ctx.region}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(...SECURITY_HUB_IMPORT_QUOTA);
      this.buckets.set(key, bucket);
    }
    if (!bucket.take()) return this.throttle(ctx);
    const body = jsonObjectBody(ctx);
    const findings = body?.Findings;
    if (!Array.isArray(findings)) return restJsonError(ctx, 'InvalidInputException', 400, 'Findings is required and must be a list.');
    if (findings.length < 1 || findings.length > MAX_FINDINGS) {
      return restJsonError(ctx, 'InvalidInputException', 400, `Findings must have between 1 and ${MAX_FINDINGS} items, got ${findings.length}.`);
    }
    const failed: { Id: string; ErrorCode: string; ErrorMessage: string }[] = [];
    for (const finding of findings) {
      const problem = findingProblem(finding, ctx.callerAccountId);
      const id = nonEmpty(at(finding, ['Id'])) ? (at(finding, ['Id']) as string) : '-';
      if (problem) failed.push({ Id: id, ErrorCode: problem.code, ErrorMessage: problem.message });
      else this.store.importFinding(ctx.region, finding as Record<string, unknown>);
    }
    return restJsonReply(ctx, { FailedCount: failed.length, SuccessCount: findings.length - failed.length, FailedFindings: failed });
  }
}
