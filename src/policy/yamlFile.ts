/**
 * Reading policy files and text, YAML or JSON (SPEC.md §2), for the command line only. Kept apart
 * from ./load.ts so the Lambda bundles, which import that module, never see the YAML parser.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { Policy } from './types.ts';
import { errorText } from '../errors.ts';
import { PolicyError, parsePolicy } from './load.ts';

/**
 * Reads a policy file, YAML or JSON (decided by content, not by extension).
 * @throws PolicyError naming the path when the file is missing, unreadable, not YAML, or invalid.
 */
export async function loadPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = errorText(error);
    throw new PolicyError(`policy file ${path}: cannot be read (${reason})`, { cause: error });
  }
  return parsePolicyText(text, `policy file ${path}`);
}

/**
 * Parses policy text, YAML or JSON (YAML 1.2 is a superset of JSON, so one parser reads both).
 * @param source names the origin in error messages (`policy file x.yaml`, `CONTACT_AUDIT_POLICY`).
 * @throws PolicyError when the text is not YAML or the policy is invalid.
 */
export function parsePolicyText(text: string, source: string): Policy {
  let document: unknown;
  try {
    // Core schema (the default): unquoted dates stay strings; duplicate keys are errors.
    document = parseYaml(text);
  } catch (error) {
    const reason = errorText(error).split('\n')[0];
    throw new PolicyError(`${source}: not valid YAML or JSON (${reason})`, { cause: error });
  }
  return parsePolicy(document, source);
}
