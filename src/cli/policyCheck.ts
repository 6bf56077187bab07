/**
 * `contact-audit policy check FILE`: validates a policy file offline, so CI can check a policy
 * before it is uploaded. It reads the file with the loader `sweep --config` uses (the schema, the
 * regular expressions, the dates, the OU and account keys of `overrides`), so it fails with the
 * same message and the same exit code (2) a sweep would, and touches no AWS API.
 */
import { parseArgs } from 'node:util';
import { loadPolicyFile } from '../policy/yamlFile.ts';
import type { Policy } from '../policy/types.ts';
import { EXIT, UsageError, type CliIo } from './options.ts';

/** The options of `policy` (node:util parseArgs): none but --quiet. */
export const POLICY_OPTIONS = { quiet: { type: 'boolean' } } as const;

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** What the valid policy holds, in one line. */
function describe(policy: Policy): string {
  return [
    count(policy.companyDomains.length, 'company domain'),
    count(policy.requiredContactTypes.length, 'required contact type'),
    count(policy.exemptions.length, 'exemption'),
    count(Object.keys(policy.overrides ?? {}).length, 'override'),
  ].join(', ');
}

export async function policyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: POLICY_OPTIONS });
  const [action, file, extra] = positionals;
  if (action !== 'check') throw new UsageError(action === undefined ? 'policy: what to do? contact-audit policy check FILE' : `policy: unknown action "${action.slice(0, 100)}" (expected check)`);
  if (file === undefined) throw new UsageError('policy check: which file? contact-audit policy check FILE');
  if (extra !== undefined) throw new UsageError(`policy check: unexpected argument "${extra.slice(0, 100)}"`);
  // A PolicyError goes up to main, which prints it and exits 2, as for `sweep --config FILE`.
  const policy = await loadPolicyFile(file);
  if (values.quiet !== true) io.stdout(`${file}: valid policy (${describe(policy)})\n`);
  return EXIT.OK;
}
