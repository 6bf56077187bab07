/**
 * `contact-audit policy check FILE`, as CI would run it: offline (no AWS variables at all), exit 0
 * for a valid policy, and for a bad one the very message and exit code `sweep --config FILE` gives.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../e2e/cli.ts';
import { runMain } from './inProcess.ts';

const examplePolicy = new URL('../../examples/policy.yaml', import.meta.url).pathname;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'contact-audit-policy-check-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Policies each wrong in one way the loader checks. */
const BAD: Record<string, string> = {
  'no company domain': 'companyDomains: []\n',
  'an unknown key': 'companyDomains: [example.com]\nrequireDistinct: true\n',
  'a regex that does not compile': 'companyDomains: [example.com]\nemailLocalPartPatterns:\n  SECURITY: "^(security$"\n',
  'an impossible date': 'companyDomains: [example.com]\nexemptions:\n  - accountId: "111122223333"\n    reason: closing\n    expires: "2027-02-30"\n',
  'an override key that is no OU, root or account': 'companyDomains: [example.com]\noverrides:\n  prod: { requiredContactTypes: [SECURITY] }\n',
  'not YAML': 'companyDomains: [example.com\n',
};

describe('contact-audit policy check FILE', () => {
  it('a valid policy, as CI runs it (the real binary): exit 0 and what it holds, with no AWS environment', async () => {
    const run = await runCli(['policy', 'check', examplePolicy], {});
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${examplePolicy}: valid policy \\(\\d+ company domains?, \\d+ required contact types?, \\d+ exemptions?, \\d+ overrides?\\)\\n$`));
  });

  it('a bad policy: exit 2 and the message naming the field', async () => {
    const file = join(work, 'bad.yaml');
    await writeFile(file, BAD['an impossible date']!);
    const run = await runMain(['policy', 'check', file], {});
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^contact-audit: policy file ${file}: exemptions\\[0\\]\\.expires`));
  });

  it.each(Object.keys(BAD))('%s: the same message and exit code as sweep --config', async (name) => {
    const file = join(work, `${name.replaceAll(' ', '-')}.yaml`);
    await writeFile(file, BAD[name]!);
    const check = await runMain(['policy', 'check', file], {});
    const sweep = await runMain(['sweep', '--config', file], {});
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(new RegExp(`^contact-audit: policy file ${file}: `));
    expect(check.stderr).toBe(sweep.stderr);
    expect(sweep.code).toBe(2);
  });

  it('a missing file, a missing action or argument: usage errors', async () => {
    expect((await runMain(['policy', 'check', join(work, 'none.yaml')], {})).stderr).toContain('cannot be read');
    expect((await runMain(['policy'], {})).stderr).toBe('contact-audit: policy: what to do? contact-audit policy check FILE\n');
    expect((await runMain(['policy', 'check'], {})).code).toBe(2);
    expect((await runMain(['policy', 'lint', examplePolicy], {})).stderr).toContain('unknown action "lint"');
  });
});
