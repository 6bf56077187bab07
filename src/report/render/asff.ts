/**
 * The report as AWS Security Finding Format (ASFF) findings, ready for Security Hub
 * BatchImportFindings: JSON Lines, each line one valid request body `{"Findings": [...]}`, one
 * finding per account and subject (alternate contact type, primary contact, root e-mail).
 *
 * Identity: `Id` is `contact-auditor/<member account>/<subject>`, stable across runs, so a
 * re-import updates the same finding and its `Compliance.Status` flips between FAILED and PASSED
 * instead of piling up new findings. The finding codes are in `ProductFields`, the controls the
 * check evidences in `Compliance.RelatedRequirements` (src/report/controls.ts).
 *
 * Import limits (Security Hub partner guide, "Guidelines for using the BatchImportFindings API"):
 * at most 100 findings, 240 KB per finding and 6 MB per request; hence one request per line.
 *
 * Provider-owned fields: `Severity` and `Types` go in `FindingProviderFields`, and `Workflow` is
 * not sent: BatchImportFindings cannot update Workflow after a finding is created, and finding
 * providers update Severity and Types through FindingProviderFields (API reference,
 * BatchImportFindings).
 *
 * AwsAccountId rule: with the default product ARN of a custom integration
 * (`arn:aws:securityhub:REGION:ACCOUNT:product/ACCOUNT/default`), BatchImportFindings must be
 * called by the account named in each finding's `AwsAccountId` (Security Hub API reference,
 * BatchImportFindings); only allow-listed partner products may import for other accounts. The
 * auditor imports from the account it runs in, so `AwsAccountId` is the caller (the delegated
 * admin or management account) and the member account is the resource:
 * `Resources: [{ Type: "AwsAccount", Id: "AWS::::Account:<member>" }]`.
 */
import type { Report } from '../../model.ts';
import { InvariantError } from '../../errors.ts';
import { checkDescription, clip, contactChecks, partitionOf, remediation, severityOf, subjectLabel, type CheckOutcome, type ContactCheck } from './findingsOut.ts';

const ASFF_SCHEMA_VERSION = '2018-10-08';
/** ASFF limits (Security Hub user guide, "Required top-level attributes"). */
const ASFF_LIMITS = { id: 512, generatorId: 512, title: 256, description: 1024 } as const;
/** BatchImportFindings limits (partner guide, "Guidelines for using the BatchImportFindings API"); KB taken as 1,000 bytes to stay on the safe side. */
export const ASFF_IMPORT_LIMITS = { findings: 100, findingBytes: 240_000, requestBytes: 6_000_000 } as const;
const TYPE_BEST_PRACTICES = 'Software and Configuration Checks/AWS Security Best Practices';
const TYPE_CIS = 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark';
const ASFF_GENERATOR_ID = 'contact-auditor/alternate-contacts';

type SeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** The subset of AwsSecurityFinding the auditor fills in. */
export interface AsffFinding {
  SchemaVersion: string;
  Id: string;
  ProductArn: string;
  GeneratorId: string;
  AwsAccountId: string;
  CreatedAt: string;
  UpdatedAt: string;
  FindingProviderFields: { Severity: { Label: SeverityLabel; Original: string }; Types: string[] };
  Title: string;
  Description: string;
  ProductName: string;
  CompanyName: string;
  Region: string;
  Resources: { Type: 'AwsAccount'; Id: string; Partition: string; Region: string; Details?: { Other: Record<string, string> } }[];
  Compliance: { Status: CheckOutcome; RelatedRequirements?: string[] };
  RecordState: 'ACTIVE' | 'ARCHIVED';
  ProductFields: Record<string, string>;
  Remediation?: { Recommendation: { Text: string } };
}

export interface AsffOptions {
  /** Region of the Security Hub the findings go to (default us-east-1, where Account Management events arrive). */
  region?: string;
}

/** A time Security Hub accepts (RFC 3339 with Z); the report's own when valid, else now is not used: the run start. */
function iso(time: string, fallback: string): string {
  const t = new Date(time);
  return Number.isNaN(t.getTime()) ? fallback : t.toISOString();
}

/** What every finding of one report shares. */
interface FindingFrame {
  report: Report;
  region: string;
  partition: string;
  productArn: string;
  started: string;
  finished: string;
}

/** The ASFF findings of a report. */
export function asffFindings(report: Report, opts: AsffOptions = {}): AsffFinding[] {
  const region = opts.region ?? 'us-east-1';
  const partition = partitionOf(region);
  const caller = report.callerAccountId;
  const finished = iso(report.finishedAt, new Date(0).toISOString());
  const frame: FindingFrame = {
    report,
    region,
    partition,
    productArn: `arn:${partition}:securityhub:${region}:${caller}:product/${caller}/default`,
    started: iso(report.startedAt, finished),
    finished,
  };
  return contactChecks(report).map((check) => asffFinding(check, frame));
}

function findingTitle(check: ContactCheck): string {
  const id = check.account.accountId;
  const what = subjectLabel(check);
  const title =
    check.outcome === 'FAILED'
      ? `${what} of account ${id} does not meet the policy`
      : check.outcome === 'WARNING'
        ? `${what} of account ${id} could not be checked`
        : check.outcome === 'NOT_AVAILABLE'
          ? `Account ${id} was not checked (${check.account.state})`
          : `${what} of account ${id} meets the policy`;
  return clip(title.charAt(0).toUpperCase() + title.slice(1), ASFF_LIMITS.title);
}

/** One account and subject as an AwsSecurityFinding (botocore securityhub 2018-10-26). */
function asffFinding(check: ContactCheck, { report, region, partition, productArn, started, finished }: FindingFrame): AsffFinding {
  const id = check.account.accountId;
  const type = check.contactType ?? 'ALL';
  const label = severityOf(check);
  const requirements = check.controls.map((c) => c.ref);
  const finding: AsffFinding = {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: clip(`contact-auditor/${id}/${type}`, ASFF_LIMITS.id),
    ProductArn: productArn,
    GeneratorId: ASFF_GENERATOR_ID,
    AwsAccountId: report.callerAccountId,
    CreatedAt: started,
    UpdatedAt: finished,
    FindingProviderFields: {
      Severity: { Label: label, Original: label },
      Types: check.controls.some((c) => c.standard.startsWith('CIS ')) ? [TYPE_BEST_PRACTICES, TYPE_CIS] : [TYPE_BEST_PRACTICES],
    },
    Title: findingTitle(check),
    Description: clip(checkDescription(check), ASFF_LIMITS.description),
    ProductName: 'contact-auditor',
    CompanyName: 'contact-auditor',
    Region: region,
    Resources: [
      {
        Type: 'AwsAccount',
        Id: `AWS::::Account:${id}`,
        Partition: partition,
        Region: region,
        Details: { Other: { AccountName: clip(check.account.name, 1024) || '-', State: clip(check.account.state, 64) || '-' } },
      },
    ],
    Compliance: { Status: check.outcome, ...(requirements.length > 0 ? { RelatedRequirements: requirements } : {}) },
    RecordState: check.outcome === 'NOT_AVAILABLE' ? 'ARCHIVED' : 'ACTIVE',
    ProductFields: productFields(check, report),
  };
  if (check.outcome === 'FAILED') finding.Remediation = { Recommendation: { Text: clip(remediation(check), 512) } };
  return finding;
}

function productFields(check: ContactCheck, report: Report): Record<string, string> {
  return {
    'contact-auditor/AccountId': check.account.accountId,
    'contact-auditor/ContactType': check.contactType ?? 'ALL',
    'contact-auditor/AccountStatus': check.account.status,
    'contact-auditor/Codes': check.codes.join(',') || 'NONE',
    ...(check.notes.length > 0 ? { 'contact-auditor/Notes': check.notes.map((n) => n.code).join(',') } : {}),
    'contact-auditor/RunId': clip(report.runId, 128),
    ...(report.organizationId ? { 'contact-auditor/OrganizationId': clip(report.organizationId, 64) } : {}),
  };
}

/**
 * The findings cut into BatchImportFindings requests within the import limits: at most 100
 * findings and 6 MB a request, each finding serialized once. A finding over 240 KB cannot be
 * imported at all; the renderer clips every text field, so one is a bug, not bad input.
 * @throws InvariantError for a finding over the per-finding limit.
 */
function cut(findings: readonly AsffFinding[]): { findings: AsffFinding[]; json: string[] }[] {
  const batches: { findings: AsffFinding[]; json: string[] }[] = [];
  let batch: { findings: AsffFinding[]; json: string[] } = { findings: [], json: [] };
  // `{"Findings":[` + `]}` around the findings, one comma between two.
  let size = 15;
  for (const finding of findings) {
    const json = JSON.stringify(finding);
    const n = Buffer.byteLength(json, 'utf8');
    if (n > ASFF_IMPORT_LIMITS.findingBytes) throw new InvariantError(`ASFF finding ${finding.Id} is ${n} bytes, over the ${ASFF_IMPORT_LIMITS.findingBytes}-byte import limit`);
    if (batch.findings.length === ASFF_IMPORT_LIMITS.findings || size + n + 1 > ASFF_IMPORT_LIMITS.requestBytes) {
      batches.push(batch);
      batch = { findings: [], json: [] };
      size = 15;
    }
    batch.findings.push(finding);
    batch.json.push(json);
    size += n + 1;
  }
  if (batch.findings.length > 0) batches.push(batch);
  return batches;
}

/** {@link cut}: the findings of each BatchImportFindings request. */
export function asffBatches(findings: readonly AsffFinding[]): AsffFinding[][] {
  return cut(findings).map((b) => b.findings);
}

/**
 * JSON Lines: one BatchImportFindings request body `{"Findings": [...]}` per line, each within
 * the import limits, so `while read -r line; do aws securityhub batch-import-findings --cli-input-json "$line"; done`
 * imports every finding. A report of at most 100 checks is one line: one JSON document.
 */
export function renderAsff(report: Report, opts: AsffOptions = {}): string {
  return cut(asffFindings(report, opts))
    .map((b) => `{"Findings":[${b.json.join(',')}]}\n`)
    .join('');
}
