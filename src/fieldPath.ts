/**
 * Where in a document a schema found a problem, as a person writes it: `exemptions[1].expires`.
 * The policy's errors (src/policy/load.ts) and the sweep's work-file errors (src/contracts/sweepWork.ts)
 * both name fields this way.
 */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}
