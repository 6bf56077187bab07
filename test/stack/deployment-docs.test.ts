/**
 * docs/deployment.md carries the first-deploy steps a real organization needs, and the parameters
 * it names exist in serverless.yml (a renamed parameter must not leave the guide behind).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeScps } from '../../src/audit/scpLock.ts';
import { ROOT } from './packaged.ts';

const guide = readFileSync(join(ROOT, 'docs/deployment.md'), 'utf8');
const serverless = readFileSync(join(ROOT, 'serverless.yml'), 'utf8');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The `npx osls deploy …` command of a document, continuation lines included. */
function deployCommand(doc: string): string {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.startsWith('npx osls deploy'));
  const end = lines.findIndex((l, i) => i >= start && !l.endsWith('\\'));
  return start < 0 ? '' : lines.slice(start, end + 1).join('\n');
}

describe('docs/deployment.md', () => {
  it("gives the README's deploy command, delegated administrator's StackSets parameter included", () => {
    expect(deployCommand(guide)).toContain('--param="stackSetCallAs=DELEGATED_ADMIN"');
    expect(deployCommand(readme)).toBe(deployCommand(guide));
  });

  it('says the template defaults to CallAs SELF, for the management account', () => {
    expect(serverless).toMatch(/^ {4}stackSetCallAs: SELF$/m);
    expect(guide).toMatch(/\| `stackSetCallAs` \| `SELF` \|/);
    expect(guide).toMatch(/template's default\s+is `SELF`, right for the management account: when deploying from there, leave `stackSetCallAs` out/);
  });

  it("has the management account's forwarder step and the contact lock with its pipeline role", () => {
    const forwarder = guide.slice(guide.indexOf("### The management account's forwarder"));
    expect(forwarder).toContain('--template-file serverless/member-forwarder.yml');
    expect(forwarder).toContain('CentralEventBusArn=');
    const lock = guide.slice(guide.indexOf('## The contact lock'));
    expect(lock).toContain('--pipeline-role');
    expect(lock).toContain('"account:PutAlternateContact"');
    expect(lock).toContain('"account:DeleteAlternateContact"');
    expect(lock).toContain('aws:PrincipalArn');
    expect(guide).toContain('](deployer-policy.json)');
  });

  it("gives a contact lock SCP that doctor's check passes when attached to the root", () => {
    const lock = guide.slice(guide.indexOf('## The contact lock'));
    const scp = /```json\n([\s\S]*?)```/.exec(lock)?.[1] ?? '';
    const role = /"aws:PrincipalArn": "([^"]+)"/.exec(scp)?.[1] ?? '';
    const verdict = judgeScps([{ id: 'p-lock', name: 'contact-lock', content: scp, targets: [{ id: 'r-ab12', type: 'ROOT' }] }], ['r-ab12'], { arn: role, inOrganization: true });
    expect(verdict.outcome, verdict.detail).toBe('PASS');
  });

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
