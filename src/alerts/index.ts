/** Alert messages and diffs between runs (SPEC.md §8). */
export * from './types.ts';
export { safeSubject, MACHINE_MARKER, MAX_SUBJECT_LENGTH, FALLBACK_SUBJECT } from './text.ts';
export {
  contactChangedAlert,
  contactChangeDeniedAlert,
  violationOpenedAlert,
  violationResolvedAlert,
  sweepSummaryAlert,
  testAlert,
} from './build.ts';
export type { ContactChangedInput, ContactChangeDeniedInput, ContactEventName } from './build.ts';
export { diffReports, openFindings } from './diff.ts';
export { planSweepAlerts } from './sweep.ts';
