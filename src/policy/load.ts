/**
 * Validating the policy (SPEC.md §2). Every failure is a {@link PolicyError} whose message names
 * the field (and the file), so the CLI can print it and exit 2.
 *
 * No file reading and no YAML here: the Lambdas import this module (they read JSON, see
 * src/policy/deployed.ts), so their bundles never carry the YAML parser. Policy files are
 * read by ./yamlFile.ts, which only the command line imports.
 */
import * as z from 'zod/mini';
import { PolicyError } from '../errors.ts';
import { fieldPath } from '../fieldPath.ts';
import type { Policy } from './types.ts';
import { policySchema } from './schema.ts';

export { PolicyError };

const TOP_LEVEL_KEYS = Object.keys(policySchema.def.shape);

/**
 * Validates a parsed policy document and fills every default.
 * @param source how the message names where the policy came from (`policy`, `policy file x.yaml`).
 * @throws PolicyError naming each offending field.
 */
export function parsePolicy(input: unknown, source = 'policy'): Policy {
  const result = z.safeParse(policySchema, withoutEmptyOptionals(input), { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.flatMap(describeIssue);
    throw new PolicyError(`${source}: ${problems.join('; ')}`, { cause: result.error });
  }
  return result.data;
}

/** The policy of a quick run with `--domain` (every default), validated like a file. */
export function policyFromDomains(domains: string[]): Policy {
  return parsePolicy({ companyDomains: domains }, 'policy (--domain)');
}

/**
 * YAML reads a key with nothing after it (`exemptions:` above commented-out entries) as null.
 * For optional settings that means "not set", so such keys get their default.
 */
function withoutEmptyOptionals(input: unknown): unknown {
  if (!isMapping(input)) return input;
  const dropNulls = (mapping: Record<string, unknown>, keep: readonly string[]) =>
    Object.fromEntries(Object.entries(mapping).filter(([key, value]) => value !== null || keep.includes(key)));
  const top = dropNulls(input, ['companyDomains']);
  // `rootEmail:` with nothing after it asks for the check with every default.
  if (Object.hasOwn(input, 'rootEmail') && input.rootEmail === null) top.rootEmail = {};
  if (isMapping(top.phone)) top.phone = dropNulls(top.phone, []);
  if (Array.isArray(top.exemptions)) {
    top.exemptions = top.exemptions.map((exemption: unknown) =>
      isMapping(exemption) ? dropNulls(exemption, ['accountId', 'reason', 'expires']) : exemption,
    );
  }
  return top;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const where = fieldPath(issue.path);
  const at = (path: string) => (path === '' ? '' : `${path}: `);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const path = where === '' ? key : `${where}.${key}`;
        const hint = where === '' ? suggest(key, TOP_LEVEL_KEYS) : undefined;
        return `${path}: unknown key${hint ? ` (did you mean ${hint}?)` : ''}`;
      });
    case 'invalid_type':
      if (issue.input === undefined) return [`${at(where)}required`];
      if (where === '') return [`expected a mapping of settings at the top level, got ${typeName(issue.input)}`];
      return [`${where}: expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${typeName(issue.input)}`];
    case 'invalid_value':
    case 'invalid_union':
    case 'custom':
    case 'too_small':
    case 'too_big':
      // Every such check in schema.ts carries its own message.
      return [`${at(where)}${issue.message}`];
    default:
      return [`${at(where)}${issue.message || 'invalid value'}`];
  }
}

const EXPECTED: Record<string, string> = {
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
};

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}

/** The known key a typo most likely meant: same letters ignoring case, or a prefix of one another. */
function suggest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  return known.find((candidate) => {
    const other = candidate.toLowerCase();
    return other === lower || (lower.length >= 4 && (other.startsWith(lower) || lower.startsWith(other)));
  });
}
