/**
 * A stable fingerprint of the policy a run applied, so a report says which rules judged it: two
 * runs under the same rules carry the same hash whatever the file's layout, key order, comments or
 * YAML-versus-JSON, and any change to a rule (a domain, an exemption, a pattern) changes it.
 */
import { createHash } from 'node:crypto';
import type { AppliedPolicy } from './types.ts';

/**
 * JSON with object keys sorted at every level and `undefined` members left out, so equal values give
 * equal text (the order a YAML file or a schema default put the keys in does not count). Array order
 * is kept: it is part of the value.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `sha256:<64 hex>` of the canonical JSON of the parsed policy (defaults filled in, as it was applied). */
export function policyHash(policy: AppliedPolicy): string {
  return `sha256:${createHash('sha256').update(canonicalJson(policy), 'utf8').digest('hex')}`;
}
