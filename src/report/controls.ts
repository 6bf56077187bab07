/**
 * Which published controls each finding code evidences: the one compliance mapping every report
 * format reads (ASFF `Compliance.RelatedRequirements`, OCSF `compliance.requirements`, the CSV
 * column, the HTML and the Markdown). docs/findings.md lists the same table for auditors.
 *
 * Sources (looked up, not recalled):
 * - CIS AWS Foundations Benchmark 1.1 "Maintain current contact details" and 1.2 "Ensure security
 *   contact information is registered": AWS Config, "Operational Best Practices for CIS AWS
 *   Foundations Benchmark v1.4"; Security Hub user guide, "CIS AWS Foundations Benchmark" (v3.0.0
 *   includes Account.1) and "Security Hub controls for AWS accounts" (Account.1 related
 *   requirements: CIS v5.0.0/1.2).
 * - AWS Foundational Security Best Practices Account.1 "Security contact information should be
 *   provided for an AWS account", which AWS maps to NIST SP 800-53 Rev. 5 CM-2 and CM-2(2)
 *   (same user guide page).
 *
 * A control may be evidenced only by findings about some subjects: CIS 1.2 and Account.1 are about
 * the SECURITY alternate contact, so a missing BILLING contact does not evidence them.
 */
import { FINDING_SUBJECTS, type FindingCode, type FindingSubject } from '../model.ts';

export interface Control {
  /** The standard's name as its publisher writes it. */
  standard: string;
  /** The standard's version, e.g. "v3.0.0" or "Rev. 5". */
  version: string;
  /** The control's identifier within that version, e.g. "1.2", "Account.1", "CM-2(2)". */
  id: string;
  title: string;
  /** How Security Hub writes the requirement in `Compliance.RelatedRequirements` ("CIS AWS Foundations Benchmark v3.0.0/1.2"). */
  ref: string;
}

const CIS = 'CIS AWS Foundations Benchmark';
const cis = (version: string, id: string, title: string): Control => ({ standard: CIS, version, id, title, ref: `${CIS} ${version}/${id}` });

const CIS_1_1_TITLE = 'Maintain current contact details';
const CIS_1_2_TITLE = 'Ensure security contact information is registered';

/** Every control the auditor can evidence, by a short key used in {@link CONTROL_MAP}. */
export const CONTROLS = {
  'cis-1.4.0-1.1': cis('v1.4.0', '1.1', CIS_1_1_TITLE),
  'cis-1.4.0-1.2': cis('v1.4.0', '1.2', CIS_1_2_TITLE),
  'cis-3.0.0-1.1': cis('v3.0.0', '1.1', CIS_1_1_TITLE),
  'cis-3.0.0-1.2': cis('v3.0.0', '1.2', CIS_1_2_TITLE),
  'cis-5.0.0-1.2': cis('v5.0.0', '1.2', CIS_1_2_TITLE),
  'fsbp-account.1': {
    standard: 'AWS Foundational Security Best Practices',
    version: 'v1.0.0',
    id: 'Account.1',
    title: 'Security contact information should be provided for an AWS account',
    ref: 'AWS Foundational Security Best Practices v1.0.0/Account.1',
  },
  'nist-cm-2': { standard: 'NIST SP 800-53', version: 'Rev. 5', id: 'CM-2', title: 'Baseline Configuration', ref: 'NIST.800-53.r5 CM-2' },
  'nist-cm-2.2': {
    standard: 'NIST SP 800-53',
    version: 'Rev. 5',
    id: 'CM-2(2)',
    title: 'Baseline Configuration | Automation Support for Accuracy and Currency',
    ref: 'NIST.800-53.r5 CM-2(2)',
  },
} as const satisfies Record<string, Control>;

type ControlKey = keyof typeof CONTROLS;

/** One row of the mapping: the controls a code evidences, optionally only for findings about `subjects`. */
interface Mapping {
  controls: readonly ControlKey[];
  subjects?: readonly FindingSubject[];
}

/**
 * 1.1 asks that every contact be current and reach more than one person: every AWS contact value the
 * policy judges (another cloud's contact types evidence no AWS benchmark).
 */
const CURRENT: Mapping = { controls: ['cis-1.4.0-1.1', 'cis-3.0.0-1.1'], subjects: FINDING_SUBJECTS };
/** 1.2 asks for a registered, current security contact. */
const SECURITY_REGISTERED: Mapping = { controls: ['cis-1.4.0-1.2', 'cis-3.0.0-1.2', 'cis-5.0.0-1.2'], subjects: ['SECURITY'] };
/** Account.1 (and the NIST controls AWS maps it to) checks only that a security contact exists. */
const SECURITY_PRESENT: Mapping = { controls: ['fsbp-account.1', 'nist-cm-2', 'nist-cm-2.2'], subjects: ['SECURITY'] };

const VALUE = [CURRENT, SECURITY_REGISTERED] as const;

/**
 * The table: finding code → the controls it evidences. CHECK_FAILED evidences nothing (the
 * contact was not read); the Alibaba-only codes have no AWS control.
 */
export const CONTROL_MAP: Readonly<Record<FindingCode, readonly Mapping[]>> = {
  MISSING_CONTACT: [CURRENT, SECURITY_REGISTERED, SECURITY_PRESENT],
  INVALID_EMAIL: VALUE,
  EMAIL_NOT_COMPANY_DOMAIN: VALUE,
  EMAIL_PATTERN_MISMATCH: VALUE,
  INVALID_PHONE: VALUE,
  PHONE_NOT_COMPANY: VALUE,
  PLACEHOLDER_PHONE: VALUE,
  CONTACT_VALUE_MISMATCH: VALUE,
  CONTACTS_NOT_DISTINCT: VALUE,
  EMAIL_REUSED_ACROSS_ACCOUNTS: VALUE,
  PRIMARY_CONTACT_MISSING: [CURRENT],
  PRIMARY_CONTACT_COMPANY_NAME_MISMATCH: [CURRENT],
  PRIMARY_CONTACT_INVALID_PHONE: [CURRENT],
  PRIMARY_CONTACT_PHONE_NOT_COMPANY: [CURRENT],
  PRIMARY_CONTACT_PLACEHOLDER_PHONE: [CURRENT],
  PRIMARY_PHONE_NOT_VERIFIED: [CURRENT],
  ROOT_EMAIL_NOT_COMPANY_DOMAIN: [CURRENT],
  CHECK_FAILED: [],
  CONTACT_NOT_VERIFIED: [],
  NO_SECURE_MOBILE_PHONE: [],
};

const ORDER = Object.keys(CONTROLS) as ControlKey[];

function collect(keys: Iterable<ControlKey>): Control[] {
  const set = new Set(keys);
  return ORDER.filter((k) => set.has(k)).map((k) => CONTROLS[k]);
}

/**
 * The controls a finding code evidences, in the order of {@link CONTROLS}. With `subject`, only
 * those that apply to a finding about it (a BILLING `MISSING_CONTACT` evidences CIS 1.1, not 1.2).
 */
export function controlsFor(code: FindingCode, subject?: FindingSubject | string): Control[] {
  const keys: ControlKey[] = [];
  for (const m of CONTROL_MAP[code] ?? []) {
    if (subject === undefined || m.subjects === undefined || (m.subjects as readonly string[]).includes(subject)) keys.push(...m.controls);
  }
  return collect(keys);
}

/** {@link controlsOfSubject} by subject: a sweep asks once per account and subject. */
const bySubject = new Map<string, Control[]>();

/**
 * Every control a check of `subject` evidences, whether it passes or fails: a passing SECURITY
 * check is the evidence that CIS 1.2 is met. The union over every code.
 */
export function controlsOfSubject(subject: FindingSubject | string): Control[] {
  const known = bySubject.get(subject);
  if (known !== undefined) return known;
  const keys: ControlKey[] = [];
  for (const mappings of Object.values(CONTROL_MAP)) {
    for (const m of mappings) if (m.subjects === undefined || (m.subjects as readonly string[]).includes(subject)) keys.push(...m.controls);
  }
  const controls = collect(keys);
  bySubject.set(subject, controls);
  return controls;
}
