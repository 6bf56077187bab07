/**
 * The report as OCSF 1.3 Compliance Finding events (class_uid 2003, category Findings), one per
 * account and subject (alternate contact type, primary contact, root e-mail), as a JSON array: for
 * security lakes and SIEMs that read OCSF (Amazon Security Lake custom sources among them).
 * `finding_info.uid` is stable per account and subject, like the ASFF finding Id; the member
 * account is both `cloud.account` and the resource.
 *
 * `cloud` and `resources[].cloud_partition` / `region` belong to the OCSF `cloud` profile, so
 * `metadata.profiles` names it (OCSF 1.3.0 profiles/cloud.json, objects/resource_details.json).
 * Recommended attributes are filled where the auditor knows them: `timezone_offset` (times are
 * UTC), `status_code` / `status_detail`, `metadata.tenant_uid` (the organization),
 * `finding_info.analytic` (the rule), `cloud.region`, `remediation` for a failing check, and the
 * compliance mapping in `compliance.requirements` / `compliance.standards` (src/report/controls.ts).
 */
import type { Report } from '../../model.ts';
import { checkDescription, clip, contactChecks, partitionOf, remediation, severityOf, subjectLabel, type CheckOutcome, type ContactCheck } from './findingsOut.ts';

const OCSF_VERSION = '1.3.0';
const OCSF_CLASS_UID = 2003;
const OCSF_CATEGORY_UID = 2;
/** Finding activity 1 = Create; type_uid = class_uid × 100 + activity_id. */
const ACTIVITY_CREATE = 1;
/** analytic.type_id 1 = Rule: a check of the policy, not a behavioural or learned detection. */
const ANALYTIC_RULE = 1;
/** The standard the auditor's own policy is, for checks no published control covers. */
const OWN_STANDARD = 'contact-auditor contacts policy';

const SEVERITY: Record<string, [number, string]> = {
  INFORMATIONAL: [1, 'Informational'],
  LOW: [2, 'Low'],
  MEDIUM: [3, 'Medium'],
  HIGH: [4, 'High'],
};

/** compliance.status_id: 0 Unknown, 1 Pass, 2 Warning, 3 Fail. */
const COMPLIANCE: Record<CheckOutcome, [number, string]> = {
  PASSED: [1, 'Pass'],
  WARNING: [2, 'Warning'],
  FAILED: [3, 'Fail'],
  NOT_AVAILABLE: [0, 'Unknown'],
};

/** Finding status_id: 1 New, 4 Resolved. */
const STATUS: Record<CheckOutcome, [number, string]> = {
  PASSED: [4, 'Resolved'],
  WARNING: [1, 'New'],
  FAILED: [1, 'New'],
  NOT_AVAILABLE: [4, 'Resolved'],
};

function epochMs(time: string): number {
  const t = Date.parse(time);
  return Number.isNaN(t) ? 0 : t;
}

export interface OcsfOptions {
  /** The product version written to metadata.product.version. */
  productVersion?: string;
  /** The region the events are about (cloud.region), as for ASFF; default us-east-1, where Account Management events arrive. */
  region?: string;
}


/** What every event of one report shares. */
interface EventFrame {
  report: Report;
  opts: OcsfOptions;
  time: number;
  created: number;
  region: string;
  partition: string;
}

/** The OCSF Compliance Finding events of a report. */
export function ocsfFindings(report: Report, opts: OcsfOptions = {}): Record<string, unknown>[] {
  const region = opts.region ?? 'us-east-1';
  const frame: EventFrame = { report, opts, time: epochMs(report.finishedAt), created: epochMs(report.startedAt), region, partition: partitionOf(region) };
  return contactChecks(report).map((check) => ocsfEvent(check, frame));
}

/** One account and subject as a Compliance Finding event (class 2003, activity Create). */
function ocsfEvent(check: ContactCheck, frame: EventFrame): Record<string, unknown> {
  const { report, time, region } = frame;
  const id = check.account.accountId;
  const detail = clip(checkDescription(check), 1024);
  const [severityId, severityName] = SEVERITY[severityOf(check)] as [number, string];
  const [statusId, statusName] = STATUS[check.outcome];
  return {
    class_uid: OCSF_CLASS_UID,
    class_name: 'Compliance Finding',
    category_uid: OCSF_CATEGORY_UID,
    category_name: 'Findings',
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    type_uid: OCSF_CLASS_UID * 100 + ACTIVITY_CREATE,
    type_name: 'Compliance Finding: Create',
    time,
    timezone_offset: 0,
    severity_id: severityId,
    severity: severityName,
    status_id: statusId,
    status: statusName,
    status_code: check.codes.join(',') || 'NONE',
    status_detail: detail,
    message: detail,
    metadata: eventMetadata(check, frame),
    finding_info: findingInfo(check, frame, detail),
    compliance: complianceOf(check),
    cloud: { provider: 'AWS', region, account: { uid: id, type_id: 10, type: 'AWS Account', name: clip(check.account.name, 256) } },
    resources: [{ uid: id, type: 'AWS::::Account', name: clip(check.account.name, 256), cloud_partition: frame.partition, region }],
    ...(check.outcome === 'FAILED' ? { remediation: { desc: clip(remediation(check), 1024) } } : {}),
    unmapped: { account_status: check.account.status, account_state: check.account.state, organization_id: report.organizationId },
  };
}

function eventMetadata(check: ContactCheck, { report, opts }: EventFrame): Record<string, unknown> {
  return {
    version: OCSF_VERSION,
    profiles: ['cloud'],
    product: { name: 'contact-auditor', vendor_name: 'contact-auditor', ...(opts.productVersion ? { version: opts.productVersion } : {}) },
    uid: clip(`${report.runId}/${check.account.accountId}/${check.contactType ?? 'ALL'}`, 256),
    correlation_uid: clip(report.runId, 256),
    ...(report.organizationId ? { tenant_uid: clip(report.organizationId, 64) } : {}),
  };
}

function findingInfo(check: ContactCheck, { created, time }: EventFrame, detail: string): Record<string, unknown> {
  const id = check.account.accountId;
  const type = check.contactType ?? 'ALL';
  const what = subjectLabel(check);
  const title =
    check.outcome === 'PASSED'
      ? `The ${what} of account ${id} meets the policy`
      : check.outcome === 'NOT_AVAILABLE'
        ? `Account ${id} was not checked (${check.account.state})`
        : `The ${what} of account ${id}: ${check.codes.join(', ')}`;
  return {
    uid: `contact-auditor/${id}/${type}`,
    title: clip(title, 256),
    desc: detail,
    types: check.codes.length > 0 ? check.codes : ['NONE'],
    analytic: { uid: `contact-auditor/${type}`, name: `contact-auditor ${what} check`, type_id: ANALYTIC_RULE, type: 'Rule' },
    created_time: created,
    first_seen_time: created,
    last_seen_time: time,
  };
}

/** The compliance object: the controls the check evidences (src/report/controls.ts) and its verdict. */
function complianceOf(check: ContactCheck): Record<string, unknown> {
  const standards = [...new Set(check.controls.map((c) => `${c.standard} ${c.version}`))];
  const [complianceId, complianceName] = COMPLIANCE[check.outcome];
  return {
    standards: standards.length > 0 ? standards : [OWN_STANDARD],
    ...(check.controls.length > 0 ? { requirements: check.controls.map((c) => c.ref) } : {}),
    control: `contact-auditor/${check.contactType ?? 'ALL'}`,
    status_id: complianceId,
    status: complianceName,
    ...(check.codes.length > 0 ? { status_code: check.codes.join(',') } : {}),
  };
}

/** A JSON array of OCSF Compliance Finding events. */
export function renderOcsf(report: Report, opts: OcsfOptions = {}): string {
  return `${JSON.stringify(ocsfFindings(report, opts), null, 2)}\n`;
}
