/**
 * docs/deployment.md carries the first-deploy steps a real organization needs, and the parameters
 * it names exist in serverless.yml (a renamed parameter must not leave the guide behind).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './packaged.ts';

const guide = readFileSync(join(ROOT, 'docs/deployment.md'), 'utf8');
const serverless = readFileSync(join(ROOT, 'serverless.yml'), 'utf8');

describe('docs/deployment.md', () => {
  it('has the one-time set-up of the management account, StackSets included', () => {
    expect(guide).toContain('aws cloudformation activate-organizations-access');
    expect(guide).toMatch(/register-delegated-administrator[^`]*--service-principal member\.org\.stacksets\.cloudformation\.amazonaws\.com/);
    expect(guide).toMatch(/register-delegated-administrator[^`]*--service-principal account\.amazonaws\.com/);
    expect(guide).toContain('--param="stackSetCallAs=DELEGATED_ADMIN"');
  });

  it('names an organization CloudTrail trail as a prerequisite of real-time alerts', () => {
    expect(guide).toMatch(/organization CloudTrail trail/i);
    expect(guide).toContain('--is-organization-trail');
  });

  it('has a post-deploy check: confirmed subscription, test alert, an alarm, the StackSet instances', () => {
    const check = guide.slice(guide.indexOf('### Post-deploy check'));
    expect(check).toContain('list-subscriptions-by-topic');
    expect(check).toContain('contact-audit test-alert --topic-arn');
    expect(check).toContain('set-alarm-state');
    expect(check).toContain('list-stack-instances');
  });

  it('explains the reserved-concurrency parameter and names only parameters that exist', () => {
    expect(guide).toContain('reserveConcurrency=false');
    const rows = guide.slice(guide.indexOf('### Parameters')).split('\n').filter((l) => l.startsWith('| `'));
    const names = rows.flatMap((r) => [...r.split('|')[1]!.matchAll(/`(\w+)`/g)].map((m) => m[1]!));
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(serverless, name).toMatch(new RegExp(`^    ${name}:`, 'm'));
  });
});
