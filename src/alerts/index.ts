/** Alert messages and diffs between runs (SPEC.md §8). */
export * from './types.ts';
export { MACHINE_MARKER } from './messageText.ts';
export { contactChangedAlert, contactChangeDeniedAlert, newAccountNotCompliantAlert, testAlert } from './buildAlerts.ts';
