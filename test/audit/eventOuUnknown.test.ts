/**
 * The real-time path when the account's OU cannot be read (README, "The policy file"): with OU
 * overrides in the policy, the alert says the account is UNKNOWN and why, never COMPLIANT under the
 * top-level policy and never a severity taken from the wrong expectations. Read through the real
 * SDK clients from the emulator, whose fixture denies organizations:ListParents to the caller.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/index.ts';
import { parseContactEvent } from '../../src/contracts/contactEvent.ts';
import { accountDirectory, cachedAuditorContext, handleContactEvent, memoryDedupe, type EventLog } from '../../src/audit/event.ts';
import { createClients } from '../../src/providers/aws/clients.ts';
import { ContactsAdapter } from '../../src/providers/aws/contacts.ts';
import { IdentityAdapter } from '../../src/providers/aws/identity.ts';
import { ParentChainAdapter } from '../../src/providers/aws/organizationTree.ts';
import { OrganizationsAdapter } from '../../src/providers/aws/organizations.ts';
import { type Emulator, parseFixture, startEmulator } from '@contact-auditor/aws-emulator';
import { parsePolicy } from '../../src/policy/load.ts';
import { DELEGATED_ADMIN, MEMBER, PROD_OU, smallOrgWithOus } from '../fixtures/organizations.ts';

const RETRY = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 };

/** MEMBER's BILLING contact is at example.com: COMPLIANT at the top level, NON_COMPLIANT under its OU's override. */
const policy = (overrides: boolean) =>
  parsePolicy({ companyDomains: ['example.com'], requiredContactTypes: ['BILLING'], ...(overrides ? { overrides: { [PROD_OU]: { companyDomains: ['corp.example.org'] } } } : {}) });

function fixture(denyListParents: boolean) {
  return parseFixture({ ...smallOrgWithOus(), ...(denyListParents ? { iamDenies: { [DELEGATED_ADMIN]: ['organizations:ListParents'] } } : {}) });
}

const event = {
  version: '0',
  id: 'eb-1',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.account',
  account: DELEGATED_ADMIN,
  time: '2026-11-22T10:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: {
    eventVersion: '1.08',
    eventID: 'e-ou-1',
    eventTime: '2026-11-22T10:00:00Z',
    eventSource: 'account.amazonaws.com',
    eventName: 'PutAlternateContact',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${DELEGATED_ADMIN}:assumed-role/Admin/jo`, accountId: DELEGATED_ADMIN },
    recipientAccountId: DELEGATED_ADMIN,
    requestParameters: { accountId: MEMBER, alternateContactType: 'BILLING' },
    responseElements: null,
  },
};

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** One change event handled as the deployed function handles it; the alert it publishes and the warnings logged. */
async function handle(denyListParents: boolean, withOverrides: boolean) {
  emu = await startEmulator({ fixture: fixture(denyListParents), port: 0 });
  const aws = createClients({ endpoint: emu.url, credentials: { accessKeyId: DELEGATED_ADMIN, secretAccessKey: 'x' } });
  const organizations = new OrganizationsAdapter(aws.organizations, { retry: RETRY });
  const published: Alert[] = [];
  const warnings: string[] = [];
  const log: EventLog = { info() {}, warn: (message) => warnings.push(message), error() {} };
  const outcome = await handleContactEvent(parseContactEvent(event), {
    policy: policy(withOverrides),
    context: cachedAuditorContext(new IdentityAdapter(aws.sts), organizations),
    contacts: new ContactsAdapter(aws.account, { retry: RETRY }),
    accounts: accountDirectory(organizations),
    placement: (id) => new ParentChainAdapter(aws.organizations, { retry: RETRY }).placementOf(id),
    alerts: {
      publish: async (alert) => {
        published.push(alert);
        return `m-${published.length}`;
      },
    },
    dedupe: memoryDedupe(),
    log,
  });
  expect(published).toHaveLength(1);
  return { outcome, alert: published[0]!, warnings };
}

describe('a change whose account\'s OU cannot be read', () => {
  it('with the OU readable, the OU override applies: NON_COMPLIANT, HIGH', async () => {
    const { outcome, alert } = await handle(false, true);
    expect(outcome).toMatchObject({ kind: 'changed', status: 'NON_COMPLIANT' });
    expect(alert.severity).toBe('HIGH');
  });

  it('with ListParents denied and OU overrides: UNKNOWN (MEDIUM), the reason in the alert, never COMPLIANT', async () => {
    const { outcome, alert, warnings } = await handle(true, true);
    expect(outcome).toMatchObject({ kind: 'changed', status: 'UNKNOWN' });
    expect(alert.severity).toBe('MEDIUM');
    expect(alert.attributes.severity).toBe('MEDIUM');
    expect(alert.subject).toContain('(now UNKNOWN)');
    expect(alert.message).toContain('The account is now UNKNOWN');
    expect(alert.message).toMatch(/the account's OU could not be read, so which overrides by OU apply is unknown: .*organizations:ListParents/);
    const data = alert.data as { status: string; findings: { code: string; errorCode?: string }[] };
    expect(data.status).toBe('UNKNOWN');
    expect(data.findings).toEqual([expect.objectContaining({ code: 'CHECK_FAILED', errorCode: 'AccessDeniedException' })]);
    expect(warnings).toContain('The account\'s OU could not be read; the account is reported UNKNOWN');
  });

  it('with ListParents denied and no OU overrides, the OU is never asked: judged as usual (COMPLIANT)', async () => {
    const { outcome } = await handle(true, false);
    expect(outcome).toMatchObject({ kind: 'changed', status: 'COMPLIANT' });
    expect(emu!.state().requestCounts.ListParents ?? 0).toBe(0);
  });
});
