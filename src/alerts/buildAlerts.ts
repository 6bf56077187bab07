/**
 * Builders of the §8 alerts. Each returns a complete SNS message: subject, body (human lines,
 * then the machine data as JSON) and the filterable message attributes.
 */
import type { AccountResult, AccountStatus, ContactEventName, Finding, Report } from '../model.ts';
import { clean, composeMessage, safeSubject } from './messageText.ts';
import type { Alert, AlertEventType, Severity, SweepDiff } from './types.ts';

const PREFIX = '[contact-auditor]';
/** Longest list of account IDs written out in the human part; the JSON always has them all. */
const MAX_LISTED = 50;

function alert(
  eventType: AlertEventType,
  severity: Severity,
  subject: string,
  human: readonly string[],
  data: Record<string, unknown>,
  accountId?: string,
): Alert {
  const attributes: Record<string, string> = { event_type: eventType, severity };
  // SNS rejects empty attribute values; an alert about no particular account has no account_id.
  if (accountId !== undefined && accountId !== '') attributes.account_id = accountId;
  const machine = { eventType, severity, ...(accountId ? { accountId } : {}), ...data };
  return {
    eventType,
    severity,
    ...(accountId ? { accountId } : {}),
    subject: safeSubject(subject),
    message: composeMessage(human, machine),
    attributes,
    data: machine,
  };
}

/** A finding as machine data: stable keys, `null` for what does not apply. */
function findingData(f: Finding): Record<string, unknown> {
  return {
    contactType: f.contactType,
    code: f.code,
    message: f.message,
    errorCode: f.errorCode ?? null,
    exemption: f.exemption ?? null,
  };
}

function findingLines(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return ['  (none)'];
  return findings.map(
    (f) =>
      `  - ${clean(f.contactType)} ${clean(f.code)}: ${clean(f.message)}` +
      (f.errorCode ? ` (${clean(f.errorCode)})` : '') +
      (f.exemption ? ` [exempt until ${clean(f.exemption.expires)}]` : ''),
  );
}

function accountLabel(accountId: string, name?: string): string {
  return name ? `${clean(accountId)} (${clean(name)})` : clean(accountId);
}

function listIds(ids: readonly string[]): string {
  if (ids.length === 0) return 'none';
  const shown = ids.slice(0, MAX_LISTED).map(clean).join(', ');
  return ids.length > MAX_LISTED ? `${shown} and ${ids.length - MAX_LISTED} more (see the JSON below)` : shown;
}

function whatToDo(status: AccountStatus): string {
  switch (status) {
    case 'NON_COMPLIANT':
      return 'What to do: set the missing or wrong alternate contacts to company addresses, or confirm who made this change and why.';
    case 'UNKNOWN':
      return 'What to do: the contacts could not all be read; check the auditor role permissions and confirm the change was expected.';
    default:
      return 'What to do: nothing if this change was expected; otherwise ask the person named above.';
  }
}

export interface ContactChangedInput {
  eventId: string;
  eventName: ContactEventName;
  accountId: string;
  accountName?: string;
  contactType?: string;
  actorArn?: string;
  sourceIp?: string;
  eventTime: string;
  /** The account re-evaluated after the change. */
  result: AccountResult;
  /** The changed contact before and after, when the change trail held the old value. */
  change?: { before: string | null; after: string | null };
}

const VERB: Record<string, string> = {
  PutAlternateContact: 'updated',
  DeleteAlternateContact: 'deleted',
  PutContactInformation: 'updated',
  StartPrimaryEmailUpdate: 'asked to change (pending acceptance)',
  AcceptPrimaryEmailUpdate: 'changed',
};

/** How an alert names what changed: "SECURITY alternate contact", "primary contact", "root user e-mail". */
function subjectLabel(contactType: string | undefined): string {
  if (contactType === 'PRIMARY') return 'primary contact';
  if (contactType === 'ROOT_EMAIL') return 'root user e-mail';
  return contactType ? `${clean(contactType)} alternate contact` : 'alternate contact';
}

/** CONTACT_CHANGED (§7): HIGH when the account is now NON_COMPLIANT, MEDIUM when UNKNOWN, else LOW. */
export function contactChangedAlert(input: ContactChangedInput): Alert {
  const { result } = input;
  const severity: Severity = result.status === 'NON_COMPLIANT' ? 'HIGH' : result.status === 'UNKNOWN' ? 'MEDIUM' : 'LOW';
  const verb = VERB[input.eventName] ?? 'changed';
  const what = input.contactType ? `${input.contactType} contact` : 'Alternate contact';
  const name = input.accountName ?? result.name;
  const change = input.change;
  const human = [
    `The ${subjectLabel(input.contactType)} of account ${accountLabel(input.accountId, name)} was ${verb}.`,
    ...(change ? ['', `Was:        ${clean(change.before ?? '(none)')}`, `Now:        ${clean(change.after ?? '(none)')}`] : []),
    '',
    `Changed by: ${clean(input.actorArn)}`,
    `Source IP:  ${clean(input.sourceIp)}`,
    `Time:       ${clean(input.eventTime)}`,
    `API call:   ${clean(input.eventName)}`,
    `Event ID:   ${clean(input.eventId)}`,
    '',
    `The account is now ${clean(result.status)}. Findings:`,
    ...findingLines(result.findings),
    // Notes judge nothing, but a StartPrimaryEmailUpdate is exactly when one says PENDING.
    ...((result.notes ?? []).length > 0 ? ['', 'Notes (not findings):', ...(result.notes ?? []).map((n) => `  - ${clean(n.contactType)} ${clean(n.code)}: ${clean(n.message)}`)] : []),
    '',
    whatToDo(result.status),
  ];
  return alert(
    'CONTACT_CHANGED',
    severity,
    `${PREFIX} ${what} ${verb} on ${input.accountId} (now ${result.status})`,
    human,
    {
      eventId: input.eventId,
      eventName: input.eventName,
      accountName: name ?? null,
      contactType: input.contactType ?? null,
      actorArn: input.actorArn ?? null,
      sourceIp: input.sourceIp ?? null,
      eventTime: input.eventTime,
      status: result.status,
      findings: result.findings.map(findingData),
      ...(result.notes && result.notes.length > 0 ? { notes: result.notes.map((n) => ({ contactType: n.contactType, code: n.code, message: n.message, errorCode: n.errorCode ?? null })) } : {}),
      ...(change ? { previousValue: change.before, currentValue: change.after } : {}),
    },
    input.accountId,
  );
}

export interface ContactChangeDeniedInput {
  eventId: string;
  eventName: string;
  accountId: string;
  contactType?: string;
  actorArn?: string;
  sourceIp?: string;
  eventTime: string;
  errorCode: string;
  errorMessage?: string;
}

/** CONTACT_CHANGE_DENIED (§7): an attempt to change a contact that AWS refused. MEDIUM. */
export function contactChangeDeniedAlert(input: ContactChangeDeniedInput): Alert {
  const action = input.eventName === 'DeleteAlternateContact' ? 'delete' : 'change';
  const what = input.contactType ? `${input.contactType} contact` : 'an alternate contact';
  const human = [
    `An attempt to ${action} ${input.contactType ? `the ${subjectLabel(input.contactType)}` : 'an alternate contact'} of account ${clean(input.accountId)} was denied by AWS.`,
    '',
    `Attempted by: ${clean(input.actorArn)}`,
    `Source IP:    ${clean(input.sourceIp)}`,
    `Time:         ${clean(input.eventTime)}`,
    `API call:     ${clean(input.eventName)}`,
    `Error:        ${clean(input.errorCode)}${input.errorMessage ? `: ${clean(input.errorMessage)}` : ''}`,
    `Event ID:     ${clean(input.eventId)}`,
    '',
    'The contacts were not changed. What to do: confirm with the person named above whether this attempt was expected.',
  ];
  return alert(
    'CONTACT_CHANGE_DENIED',
    'MEDIUM',
    `${PREFIX} Denied attempt to ${action} ${what} on ${input.accountId} (${input.errorCode})`,
    human,
    {
      eventId: input.eventId,
      eventName: input.eventName,
      contactType: input.contactType ?? null,
      actorArn: input.actorArn ?? null,
      sourceIp: input.sourceIp ?? null,
      eventTime: input.eventTime,
      errorCode: input.errorCode,
      errorMessage: input.errorMessage ?? null,
    },
    input.accountId,
  );
}

/** VIOLATION_OPENED (§8): an account newly NON_COMPLIANT, or with new findings. HIGH. */
export function violationOpenedAlert(account: AccountResult, newFindings: Finding[], runId: string): Alert {
  const n = newFindings.length;
  const human = [
    `Account ${accountLabel(account.accountId, account.name)} has ${n} new finding${n === 1 ? '' : 's'} in sweep ${clean(runId)}; it is ${clean(account.status)}.`,
    '',
    'New findings:',
    ...findingLines(newFindings),
    '',
    'All current findings:',
    ...findingLines(account.findings),
    '',
    whatToDo(account.status),
  ];
  return alert(
    'VIOLATION_OPENED',
    'HIGH',
    `${PREFIX} Violation opened on ${account.accountId} (${account.name}): ${n} new finding${n === 1 ? '' : 's'}`,
    human,
    {
      runId,
      accountName: account.name,
      status: account.status,
      newFindings: newFindings.map(findingData),
      findings: account.findings.map(findingData),
    },
    account.accountId,
  );
}

/** VIOLATION_RESOLVED (§8): findings of the previous run that are gone now. INFO. */
export function violationResolvedAlert(accountId: string, name: string, resolved: Finding[], runId: string): Alert {
  const n = resolved.length;
  const human = [
    `Account ${accountLabel(accountId, name)}: ${n} finding${n === 1 ? '' : 's'} of the previous sweep ${n === 1 ? 'is' : 'are'} no longer open in sweep ${clean(runId)}.`,
    '',
    'Resolved:',
    ...findingLines(resolved),
    '',
    'No action needed.',
  ];
  return alert(
    'VIOLATION_RESOLVED',
    'INFO',
    `${PREFIX} Violation resolved on ${accountId} (${name}): ${n} finding${n === 1 ? '' : 's'}`,
    human,
    { runId, accountName: name, resolved: resolved.map(findingData) },
    accountId,
  );
}

/** The human-readable lines of SWEEP_SUMMARY: the sums, what opened and resolved, what the cap held back. */
function sweepSummaryText(
  report: Report,
  opened: readonly string[],
  resolved: readonly string[],
  suppressed: { opened: string[]; resolved: string[] },
  reportLocation: string,
): string[] {
  const s = report.summary;
  const human = [
    `Sweep ${clean(report.runId)} of organization ${clean(report.organizationId)} checked ${s.accounts} account${s.accounts === 1 ? '' : 's'}.`,
    `Started ${clean(report.startedAt)}, finished ${clean(report.finishedAt)}, from account ${clean(report.callerAccountId)}.`,
    '',
    `Non-compliant: ${s.nonCompliant}`,
    `Unknown:       ${s.unknown}`,
    `Exempt:        ${s.exempt}`,
    `Compliant:     ${s.compliant}`,
    `Skipped:       ${s.skipped}`,
    '',
    `Newly opened violations: ${listIds(opened)}`,
    `Resolved violations:     ${listIds(resolved)}`,
  ];
  if (suppressed.opened.length + suppressed.resolved.length > 0) {
    human.push(
      '',
      'Per-account alerts not sent because of the per-sweep limit:',
      `  opened:   ${listIds(suppressed.opened)}`,
      `  resolved: ${listIds(suppressed.resolved)}`,
    );
  }
  human.push('', `Full report: ${clean(reportLocation)}`);
  return human;
}

/**
 * SWEEP_SUMMARY (§8): once per sweep. INFO when no account is NON_COMPLIANT or UNKNOWN, else MEDIUM.
 * `suppressed` names the accounts whose per-account alert was not sent because of the cap.
 */
export function sweepSummaryAlert(
  report: Report,
  diff: SweepDiff,
  reportLocation: string,
  suppressed: { opened: string[]; resolved: string[] },
): Alert {
  const s = report.summary;
  const severity: Severity = s.nonCompliant === 0 && s.unknown === 0 ? 'INFO' : 'MEDIUM';
  const opened = diff.opened.map((o) => o.account.accountId);
  const resolved = diff.resolved.map((r) => r.accountId);
  const nonCompliant = report.accounts.filter((a) => a.status === 'NON_COMPLIANT').map((a) => a.accountId);
  const unknown = report.accounts.filter((a) => a.status === 'UNKNOWN').map((a) => a.accountId);
  const human = sweepSummaryText(report, opened, resolved, suppressed, reportLocation);
  // SNS takes at most 256 KB: in a large organization the ID lists are cut, and say so.
  const truncated: Record<string, number> = {};
  const capped = (name: string, ids: readonly string[]): string[] => {
    if (ids.length <= MAX_IDS_IN_SUMMARY) return [...ids];
    truncated[name] = ids.length;
    return ids.slice(0, MAX_IDS_IN_SUMMARY);
  };
  const subject =
    s.nonCompliant === 0 && s.unknown === 0
      ? `${PREFIX} Sweep ${report.runId}: all ${s.accounts} accounts OK`
      : `${PREFIX} Sweep ${report.runId}: ${s.nonCompliant} non-compliant, ${s.unknown} unknown of ${s.accounts}`;
  return alert('SWEEP_SUMMARY', severity, subject, human, {
    runId: report.runId,
    organizationId: report.organizationId,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    summary: { ...s },
    nonCompliantAccountIds: capped('nonCompliantAccountIds', nonCompliant),
    unknownAccountIds: capped('unknownAccountIds', unknown),
    opened: capped('opened', opened),
    resolved: capped('resolved', resolved),
    suppressed: { opened: capped('suppressed.opened', suppressed.opened), resolved: capped('suppressed.resolved', suppressed.resolved) },
    // List name → its full length, for each list cut to MAX_IDS_IN_SUMMARY IDs; the report has them all.
    truncated,
    reportLocation,
  });
}

export interface NewAccountNotCompliantInput {
  accountId: string;
  accountName?: string;
  /** How the account was found new: CreateAccountResult, AcceptHandshake or sweep. */
  source: string;
  arrivedAt: string;
  graceHours: number;
  /** When the account was checked. */
  checkedAt: string;
  /** The account as evaluated at the check. */
  result: AccountResult;
}

/** "25 hours", "3 days": how long between two ISO times, rounded down, for a person. */
function elapsed(from: string, to: string): string {
  const hours = Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / 3_600_000));
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.floor(hours / 24);
  return `${days} days`;
}

const ARRIVAL: Record<string, string> = {
  CreateAccountResult: 'was created in the organization (CreateAccountResult)',
  AcceptHandshake: 'joined the organization by accepting an invitation (AcceptHandshake)',
  sweep: 'was first seen by a sweep',
};

/**
 * NEW_ACCOUNT_NOT_COMPLIANT (README, "New accounts"): an account that joined the organization
 * still has missing or wrong contacts once its grace period is over. HIGH.
 */
export function newAccountNotCompliantAlert(input: NewAccountNotCompliantInput): Alert {
  const { result } = input;
  const name = input.accountName ?? (result.name !== '' ? result.name : undefined);
  const ago = elapsed(input.arrivedAt, input.checkedAt);
  const n = result.findings.length;
  const human = [
    `Account ${accountLabel(input.accountId, name)} ${ARRIVAL[input.source] ?? 'joined the organization'} ${ago} ago, at ${clean(input.arrivedAt)}.`,
    `Its grace period of ${input.graceHours} hour${input.graceHours === 1 ? '' : 's'} is over and its contacts are still ${clean(result.status)}. Missing or wrong:`,
    ...findingLines(result.findings),
    '',
    `Checked:    ${clean(input.checkedAt)}`,
    '',
    whatToDo(result.status),
  ];
  return alert(
    'NEW_ACCOUNT_NOT_COMPLIANT',
    'HIGH',
    `${PREFIX} New account ${input.accountId} still not compliant after ${ago}: ${n} finding${n === 1 ? '' : 's'}`,
    human,
    {
      accountName: name ?? null,
      source: input.source,
      arrivedAt: input.arrivedAt,
      graceHours: input.graceHours,
      checkedAt: input.checkedAt,
      status: result.status,
      findings: result.findings.map(findingData),
    },
    input.accountId,
  );
}

/** IDs per list in a sweep summary's data: six full lists stay far under SNS's 256 KB. */
export const MAX_IDS_IN_SUMMARY = 500;

/** TEST (§8): proves the alert path works end to end. INFO. */
export function testAlert(input: { topicArn: string; time: string }): Alert {
  return alert(
    'TEST',
    'INFO',
    `${PREFIX} Test alert`,
    [
      `This is a test alert from contact-auditor, sent at ${clean(input.time)} to ${clean(input.topicArn)}.`,
      '',
      'If you can read this, alerts reach you. No action needed.',
    ],
    { topicArn: input.topicArn, time: input.time },
  );
}
