/**
 * The README's "IAM permissions of the caller" is what a user grants before a first sweep: it must
 * name every action the local sweep's adapters declare (src/audit/job.ts composes them), the
 * pre-flight check of the outputs included.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SWEEP_JOB_ADAPTERS } from '../../src/audit/job.ts';
import { actionsOf } from '../../src/providers/aws/iam.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('### IAM permissions of the caller'), readme.indexOf('### What AWS allows'));

describe('README: IAM permissions of the caller', () => {
  it('names every action of the adapters a local sweep uses', () => {
    expect(section.length).toBeGreaterThan(100);
    for (const action of actionsOf(SWEEP_JOB_ADAPTERS)) expect(section, action).toContain(`\`${action}\``);
  });
});
