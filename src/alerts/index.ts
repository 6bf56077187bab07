/** Alert messages and diffs between runs (SPEC.md §8). */
export * from './types.ts';
export { MACHINE_MARKER } from './text.ts';
export { contactChangedAlert, contactChangeDeniedAlert, testAlert } from './build.ts';
