/** The alert vocabulary (SPEC.md §8). */
import type { AccountResult, Finding } from '../model.ts';

const ALERT_EVENT_TYPES = [
  'CONTACT_CHANGED',
  'CONTACT_CHANGE_DENIED',
  'VIOLATION_OPENED',
  'VIOLATION_RESOLVED',
  'SWEEP_SUMMARY',
  'NEW_ACCOUNT_NOT_COMPLIANT',
  'TEST',
] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

const SEVERITIES = ['INFO', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One SNS message, ready to publish. */
export interface Alert {
  eventType: AlertEventType;
  severity: Severity;
  /** Set when the alert concerns one account. */
  accountId?: string;
  /** SNS Subject: one line of printable ASCII, 1–99 characters. */
  subject: string;
  /** E-mail-readable text followed by the machine data as JSON. */
  message: string;
  /** SNS String message attributes: `event_type`, `severity`, and `account_id` when one account. */
  attributes: Record<string, string>;
  /** The machine data (also the JSON at the end of `message`). */
  data: Record<string, unknown>;
}

/** What changed between two sweeps (§8 VIOLATION_OPENED / VIOLATION_RESOLVED). */
export interface SweepDiff {
  opened: { account: AccountResult; newFindings: Finding[] }[];
  resolved: { accountId: string; name: string; resolved: Finding[] }[];
}
