/**
 * Real time with `rootEmail.updateStatus` and `primaryContact.requireVerifiedPhone`: the alert for a
 * StartPrimaryEmailUpdate notes the update PENDING (without judging it), the one for the accept has
 * no note, and a primary contact whose new number is unverified fails PRIMARY_PHONE_NOT_VERIFIED.
 * Against the emulator, whose CloudTrail records the calls.
 */
import { AcceptPrimaryEmailUpdateCommand, PutContactInformationCommand, StartPrimaryEmailUpdateCommand } from '@aws-sdk/client-account';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/index.ts';
import { parseContactEvent } from '../../src/contracts/contactEvent.ts';
import { accountDirectory, cachedAuditorContext, handleContactEvent, memoryDedupe, type ContactEventDeps } from '../../src/audit/event.ts';
import { createClients } from '../../src/providers/aws/clients.ts';
import { ContactsAdapter } from '../../src/providers/aws/contacts.ts';
import { IdentityAdapter } from '../../src/providers/aws/identity.ts';
import { ParentChainAdapter } from '../../src/providers/aws/organizationTree.ts';
import { OrganizationsAdapter } from '../../src/providers/aws/organizations.ts';
import { AccountSurfaceAdapter } from '../../src/providers/aws/primaryContact.ts';
import { type CloudTrailRecord, type Emulator, parseFixture, startEmulator } from '@contact-auditor/aws-emulator';
import { parsePolicy } from '../../src/policy/load.ts';
import { clients } from '../../packages/aws-emulator/test/helpers.ts';
import { MemoryStore } from '../fixtures/memoryStore.ts';
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
let seen = 0;

/** Handles the writes CloudTrail recorded since the last call, as the EventBridge rules deliver them. */
async function handleNewEvents() {
  const all = emu.state().cloudtrailEvents;
  const events = all.slice(seen).filter((e) => (e as { readOnly?: boolean }).readOnly !== true);
  seen = all.length;
  for (const event of events) await handleContactEvent(parseContactEvent(envelope(event)), deps);
}

beforeAll(async () => {
  // Prepare: MEMBER has a company primary contact whose phone is VERIFIED, and only BILLING is required.
  const org = smallOrg();
  const fixture = parseFixture({
    ...org,
    accounts: org.accounts.map((a) =>
      a.id === MEMBER
        ? { ...a, contacts: { BILLING: a.contacts.BILLING }, phoneVerificationStatus: 'VERIFIED', contactInformation: { fullName: INFO.FullName, companyName: INFO.CompanyName, phoneNumber: INFO.PhoneNumber, addressLine1: INFO.AddressLine1, city: INFO.City, stateOrRegion: INFO.StateOrRegion, postalCode: INFO.PostalCode, countryCode: INFO.CountryCode } }
        : a,
    ),
  });
  emu = await startEmulator({ fixture, port: 0, quotaScale: 10 });
  const aws = createClients({ endpoint: emu.url, credentials: { accessKeyId: DELEGATED_ADMIN, secretAccessKey: 'x' } });
  const organizations = new OrganizationsAdapter(aws.organizations);
  deps = {
    policy: parsePolicy({
      companyDomains: ['example.com'],
      requiredContactTypes: ['BILLING'],
      primaryContact: { companyNamePattern: '^Example Corp$', requireVerifiedPhone: true },
      rootEmail: { updateStatus: true },
    }),
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
    changes: { storage: new MemoryStore(), prefix: 'audit' },
    dedupe: memoryDedupe(),
  };
});

afterAll(async () => {
  await emu?.close();
});

describe('real-time alerts with the update status and phone verification', () => {
  it('notes a started root e-mail update as PENDING, the account still COMPLIANT; the accept leaves no note', async () => {
    // Act
    const { account } = clients(emu, DELEGATED_ADMIN);
    await account.send(new StartPrimaryEmailUpdateCommand({ AccountId: MEMBER, PrimaryEmail: 'root-prod@example.com' }));
    await handleNewEvents();
    // Assess
    const started = published.at(-1)!;
    expect(started.data).toMatchObject({ eventName: 'StartPrimaryEmailUpdate', status: 'COMPLIANT', findings: [], notes: [{ code: 'ROOT_EMAIL_UPDATE_PENDING' }] });
    expect(started.severity).toBe('LOW');
    expect(started.message).toContain('Notes (not findings):');

    const otp = emu.state().pendingPrimaryEmailUpdates[0]!.otp;
    await account.send(new AcceptPrimaryEmailUpdateCommand({ AccountId: MEMBER, PrimaryEmail: 'root-prod@example.com', Otp: otp }));
    await handleNewEvents();
    expect('notes' in published.at(-1)!.data).toBe(false);
  });

  it('a new primary phone is UNVERIFIED: PRIMARY_PHONE_NOT_VERIFIED, NON_COMPLIANT, HIGH', async () => {
    // Act
    const { account } = clients(emu, DELEGATED_ADMIN);
    await account.send(new PutContactInformationCommand({ AccountId: MEMBER, ContactInformation: { ...INFO, PhoneNumber: '+1 206 555 0199' } }));
    await handleNewEvents();
    // Assess
    const alert = published.at(-1)!;
    expect(alert.data).toMatchObject({ eventName: 'PutContactInformation', status: 'NON_COMPLIANT' });
    expect((alert.data.findings as { code: string }[]).map((f) => f.code)).toEqual(['PRIMARY_PHONE_NOT_VERIFIED']);
    expect(alert.severity).toBe('HIGH');
    expect(emu.state().requestCounts.SendPhoneNumberVerification ?? 0).toBe(0);
  });
});
