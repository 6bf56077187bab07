/**
 * The report as AWS Security Finding Format (ASFF) findings, ready for Security Hub
 * BatchImportFindings: `{"Findings": [...]}`, one finding per account and contact type.
 *
 * Identity: `Id` is `contact-auditor/<member account>/<contact type>`, stable across runs, so a
 * re-import updates the same finding and its `Compliance.Status` flips between FAILED and PASSED
 * instead of piling up new findings. The finding codes are in `ProductFields`.
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
import { checkDescription, clip, contactChecks, type CheckOutcome, type ContactCheck } from './findingsOut.ts';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** ASFF limits (Security Hub user guide, "Required top-level attributes"). */
export const ASFF_LIMITS = { id: 512, generatorId: 512, title: 256, description: 1024 } as const;
export const ASFF_GENERATOR_ID = 'contact-auditor/alternate-contacts';

type SeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** The subset of AwsSecurityFinding the auditor fills in. */
export interface AsffFinding {
  SchemaVersion: string;
  Id: string;
  ProductArn: string;
  GeneratorId: string;
  AwsAccountId: string;
  Types: string[];
  CreatedAt: string;
  UpdatedAt: string;
  Severity: { Label: SeverityLabel };
  Title: string;
  Description: string;
  ProductName: string;
  CompanyName: string;
  Region: string;
  Resources: { Type: 'AwsAccount'; Id: string; Partition: string; Region: string; Details?: { Other: Record<string, string> } }[];
  Compliance: { Status: CheckOutcome };
  Workflow: { Status: 'NEW' | 'RESOLVED' };
  RecordState: 'ACTIVE' | 'ARCHIVED';
  ProductFields: Record<string, string>;
  Remediation?: { Recommendation: { Text: string } };
}

export interface AsffOptions {
  /** Region of the Security Hub the findings go to (default us-east-1, where Account Management events arrive). */
  region?: string;
}

function severity(check: ContactCheck): SeverityLabel {
  if (check.outcome === 'FAILED') return check.contactType === 'SECURITY' && check.codes.includes('MISSING_CONTACT') ? 'HIGH' : 'MEDIUM';
  if (check.outcome === 'WARNING') return 'LOW';
  return 'INFORMATIONAL';
}

/** A time Security Hub accepts (RFC 3339 with Z); the report's own when valid, else now is not used: the run start. */
function iso(time: string, fallback: string): string {
  const t = new Date(time);
  return Number.isNaN(t.getTime()) ? fallback : t.toISOString();
}

/** The ASFF findings of a report. */
export function asffFindings(report: Report, opts: AsffOptions = {}): AsffFinding[] {
  const region = opts.region ?? 'us-east-1';
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const caller = report.callerAccountId;
  const productArn = `arn:${partition}:securityhub:${region}:${caller}:product/${caller}/default`;
  const finished = iso(report.finishedAt, new Date(0).toISOString());
  const started = iso(report.startedAt, finished);
  return contactChecks(report).map((check) => {
    const id = check.account.accountId;
    const type = check.contactType ?? 'ALL';
    const title = check.outcome === 'FAILED'
      ? `${type} alternate contact of account ${id} does not meet the policy`
      : check.outcome === 'WARNING'
        ? `${type} alternate contact of account ${id} could not be checked`
        : check.outcome === 'NOT_AVAILABLE'
          ? `Account ${id} was not checked (${check.account.state})`
          : `${type} alternate contact of account ${id} meets the policy`;
    const finding: AsffFinding = {
      SchemaVersion: ASFF_SCHEMA_VERSION,
      Id: clip(`contact-auditor/${id}/${type}`, ASFF_LIMITS.id),
      ProductArn: productArn,
      GeneratorId: ASFF_GENERATOR_ID,
      AwsAccountId: caller,
      Types: ['Software and Configuration Checks/AWS Security Best Practices'],
      CreatedAt: started,
      UpdatedAt: finished,
      Severity: { Label: severity(check) },
      Title: clip(title, ASFF_LIMITS.title),
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
      Compliance: { Status: check.outcome },
      Workflow: { Status: check.outcome === 'PASSED' ? 'RESOLVED' : 'NEW' },
      RecordState: check.outcome === 'NOT_AVAILABLE' ? 'ARCHIVED' : 'ACTIVE',
      ProductFields: {
        'contact-auditor/AccountId': id,
        'contact-auditor/ContactType': type,
        'contact-auditor/AccountStatus': check.account.status,
        'contact-auditor/Codes': check.codes.join(',') || 'NONE',
        'contact-auditor/RunId': clip(report.runId, 128),
        ...(report.organizationId ? { 'contact-auditor/OrganizationId': clip(report.organizationId, 64) } : {}),
      },
    };
    if (check.outcome === 'FAILED') {
      finding.Remediation = {
        Recommendation: {
          Text: clip(
            `Set the ${type} alternate contact of account ${id} to a company address: aws account put-alternate-contact --account-id ${id} --alternate-contact-type ${type} --email-address … --name … --phone-number … --title …`,
            512,
          ),
        },
      };
    }
    return finding;
  });
}

/** `{"Findings": [...]}`: the BatchImportFindings request body (import in batches of at most 100). */
export function renderAsff(report: Report, opts: AsffOptions = {}): string {
  return `${JSON.stringify({ Findings: asffFindings(report, opts) }, null, 2)}\n`;
}
