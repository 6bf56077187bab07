/**
 * Real time: PutContactInformation, StartPrimaryEmailUpdate and AcceptPrimaryEmailUpdate
 * recorded by the emulator's CloudTrail alert like alternate-contact changes, with old → new
 * where the change trail holds the previous value.
 */
import { AcceptPrimaryEmailUpdateCommand, PutContactInformationCommand, StartPrimaryEmailUpdateCommand } from '@aws-sdk/client-account';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/index.ts';
import { parseContactEvent } from '../../src/contracts/contactEvent.ts';
import { accountDirectory, cachedAuditorContext, handleContactEvent, memoryDedupe, type ContactEventDeps } from '../../src/audit/event.ts';
import { MemoryStore } from '../fixtures/memoryStore.ts';
import { createClients } from '../../src/providers/aws/clients.ts';
import { ContactsAdapter } from '../../src/providers/aws/contacts.ts';
import { IdentityAdapter } from '../../src/providers/aws/identity.ts';
import { ParentChainAdapter } from '../../src/providers/aws/organizationTree.ts';
import { OrganizationsAdapter } from '../../src/providers/aws/organizations.ts';
import { AccountSurfaceAdapter } from '../../src/providers/aws/primaryContact.ts';
import { type CloudTrailRecord, type Emulator, parseFixture, startEmulator } from '@contact-auditor/aws-emulator';
import { parsePolicy } from '../../src/policy/load.ts';
import { clients } from '../../packages/aws-emulator/test/helpers.ts';
import { DELEGATED_ADMIN, MEMBER, PRIMARY_CONTACT as INFO, smallOrg } from '../fixtures/organizations.ts';

const envelope = (record: CloudTrailRecord) => ({
  version: '0',
  id: `eb-${record.eventID}`,
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.account',
  account: DELEGATED_ADMIN,
  time: record.eventTime,
  region: 'us-east-1',
  resources: [],
  detail: record,
});

let emu: Emulator;
let deps: ContactEventDeps;
const published: Alert[] = [];
const store = new MemoryStore();
let seen = 0;

/**
 * Handles every write the emulator recorded in CloudTrail since the last call, as the EventBridge
 * rules deliver them (they match the write event names; reads, the handler's own re-reads among
 * them, are recorded with readOnly: true and never delivered).
 */
async function handleNewEvents() {
  const all = emu.state().cloudtrailEvents;
  const events = all.slice(seen).filter((e) => (e as { readOnly?: boolean }).readOnly !== true);
  seen = all.length;
  const outcomes = [];
  for (const event of events) outcomes.push(await handleContactEvent(parseContactEvent(envelope(event)), deps));
  return outcomes;
}

beforeAll(async () => {
  const org = smallOrg();
  const fixture = parseFixture({ ...org, accounts: org.accounts.map((a) => (a.id === MEMBER ? { ...a, contacts: { BILLING: a.contacts.BILLING } } : a)) });
  emu = await startEmulator({ fixture, port: 0, quotaScale: 10 });
  const aws = createClients({ endpoint: emu.url, credentials: { accessKeyId: DELEGATED_ADMIN, secretAccessKey: 'x' } });
  const organizations = new OrganizationsAdapter(aws.organizations);
  deps = {
    policy: parsePolicy({ companyDomains: ['example.com'], requiredContactTypes: ['BILLING'], primaryContact: { companyNamePattern: '^Example Corp$' }, rootEmail: {} }),
    context: cachedAuditorContext(new IdentityAdapter(aws.sts), organizations),
    contacts: new ContactsAdapter(aws.account),
    accounts: accountDirectory(organizations),
    surface: new AccountSurfaceAdapter(aws.account),
    placement: (id) => new ParentChainAdapter(aws.organizations).placementOf(id),
    alerts: {
      publish: async (alert) => {
        published.push(alert);
        return `m-${published.length}`;
      },
    },
    changes: { storage: store, prefix: 'audit' },
    dedupe: memoryDedupe(),
  };
});

afterAll(async () => {
  await emu?.close();
});

describe('real-time alerts on the primary contact and the root e-mail', () => {
  it('alerts on PutContactInformation, and shows old → new on the next change', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    await account.send(new PutContactInformationCommand({ AccountId: MEMBER, ContactInformation: INFO }));
    const [first] = await handleNewEvents();
    expect(first).toMatchObject({ kind: 'changed', accountId: MEMBER, status: 'COMPLIANT' });
    expect(published[0]!.data).toMatchObject({ eventName: 'PutContactInformation', contactType: 'PRIMARY' });
    expect(published[0]!.message).toContain('primary contact of account');
    expect(published[0]!.message).not.toContain('Was:');

    await account.send(new PutContactInformationCommand({ AccountId: MEMBER, ContactInformation: { ...INFO, CompanyName: 'Jane Doe' } }));
    const [second] = await handleNewEvents();
    expect(second).toMatchObject({ kind: 'changed', status: 'NON_COMPLIANT' });
    const alert = published[1]!;
    expect(alert.severity).toBe('HIGH');
    expect(alert.message).toContain('Was:        Cloud Team, Example Corp');
    expect(alert.message).toContain('Now:        Cloud Team, Jane Doe');
    expect(alert.data).toMatchObject({ previousValue: 'Cloud Team, Example Corp', currentValue: 'Cloud Team, Jane Doe' });
    expect((alert.data.findings as { code: string }[]).map((f) => f.code)).toEqual(['PRIMARY_CONTACT_COMPANY_NAME_MISMATCH']);
  });

  it('alerts on StartPrimaryEmailUpdate and AcceptPrimaryEmailUpdate, the root e-mail old → new', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    await account.send(new StartPrimaryEmailUpdateCommand({ AccountId: MEMBER, PrimaryEmail: 'jane@gmail.com' }));
    expect((await handleNewEvents()).map((o) => o.kind)).toEqual(['changed']);
    const started = published.at(-1)!;
    expect(started.data).toMatchObject({ eventName: 'StartPrimaryEmailUpdate', contactType: 'ROOT_EMAIL', status: 'NON_COMPLIANT' });
    expect(started.message).toContain('root user e-mail of account');
    // Pending: the address has not changed yet, so no old → new.
    expect(started.message).not.toContain('Was:');

    const otp = emu.state().pendingPrimaryEmailUpdates[0]!.otp;
    await account.send(new AcceptPrimaryEmailUpdateCommand({ AccountId: MEMBER, PrimaryEmail: 'jane@gmail.com', Otp: otp }));
    expect((await handleNewEvents()).map((o) => o.kind)).toEqual(['changed']);
    const accepted = published.at(-1);
    expect(accepted!.message).toContain('Was:        aws+prod@example.com');
    expect(accepted!.message).toContain('Now:        jane@gmail.com');
    expect((accepted!.data.findings as { code: string }[]).map((f) => f.code)).toContain('ROOT_EMAIL_NOT_COMPANY_DOMAIN');
  });

  it('alerts CONTACT_CHANGE_DENIED on a refused PutContactInformation, without a re-read', async () => {
    const member = clients(emu, MEMBER).account;
    await expect(member.send(new PutContactInformationCommand({ AccountId: '444444444444', ContactInformation: INFO }))).rejects.toThrow();
    const [denied] = await handleNewEvents();
    expect(denied).toMatchObject({ kind: 'denied' });
    expect(published.at(-1)!.eventType).toBe('CONTACT_CHANGE_DENIED');
    expect(published.at(-1)!.data).toMatchObject({ eventName: 'PutContactInformation', contactType: 'PRIMARY', errorCode: 'AccessDeniedException' });
  });
});
