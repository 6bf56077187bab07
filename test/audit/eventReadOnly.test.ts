/** Read-only CloudTrail records (GetAlternateContact, `readOnly: true`) are ignored with a logged reason (SPEC §7). */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { parseContactEvent } from '../../src/contracts/contactEvent.ts';
import { handleContactEvent, memoryDedupe, type ContactEventDeps } from '../../src/audit/event.ts';
import { policyFromDomains } from '../../src/policy/load.ts';

type Json = Record<string, any>;
const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`../events/${name}.json`, import.meta.url), 'utf8'));

function deps() {
  const publish = vi.fn(async () => 'message-id');
  const readAll = vi.fn(async () => ({}));
  const info = vi.fn();
  const d: ContactEventDeps = {
    policy: policyFromDomains(['example.com']),
    context: async () => ({ callerAccountId: '111111111111', managementAccountId: '111111111111', organizationId: 'o-aa111bb222' }),
    contacts: { readAll },
    accounts: { describe: async () => undefined },
    alerts: { publish },
    dedupe: memoryDedupe(),
    log: { info, warn: vi.fn(), error: vi.fn() },
  };
  return { d, publish, readAll, info };
}

describe('read-only events', () => {
  it("ignores the guide's Example 1 (GetAlternateContact, readOnly) with a logged reason and no alert", async () => {
    const { d, publish, readAll, info } = deps();
    const outcome = await handleContactEvent(parseContactEvent(fixture('guide-example-1-get-alternate-contact')), d);
    expect(outcome).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/read-only/) });
    expect(publish).not.toHaveBeenCalled();
    expect(readAll).not.toHaveBeenCalled();
    expect(info).toHaveBeenCalledWith('Event ignored', expect.objectContaining({ reason: expect.stringMatching(/read-only/) }));
  });

  it('ignores any record marked readOnly: true, even one named like a change', () => {
    const event = fixture('guide-example-2-put-alternate-contact');
    event.detail.readOnly = true;
    expect(parseContactEvent(event)).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/read-only/) });
    event.detail.readOnly = false;
    expect(parseContactEvent(event)).toMatchObject({ kind: 'change' });
  });
});
