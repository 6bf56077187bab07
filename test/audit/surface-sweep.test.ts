/**
 * End to end: the primary contact, the root e-mail, the OU tree and per-OU / per-account
 * overrides, read through the real SDK clients from the emulator, as the delegated administrator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../src/providers/aws/clients.ts';
import { awsProviderSource, runSweepJob } from '../../src/audit/job.ts';
import { SetupError, runSweep } from '../../src/audit/sweep.ts';
import { ContactsAdapter } from '../../src/providers/aws/contacts.ts';
import { AwsProvider } from '../../src/providers/aws/awsProvider.ts';
import { IdentityAdapter } from '../../src/providers/aws/identity.ts';
import { OrganizationsAdapter } from '../../src/providers/aws/organizations.ts';
import { OrganizationTreeAdapter } from '../../src/providers/aws/organizationTree.ts';
import { type Emulator, type Fixture, parseFixture, startEmulator } from '@contact-auditor/aws-emulator';
import type { AccountResult, PrimaryContact } from '../../src/model.ts';
import { parsePolicy } from '../../src/policy/load.ts';
import { MANAGEMENT } from '../fixtures/organizations.ts';

const ADMIN = '222222222222';
const PROD = '333333333333';
const DEV = '444444444444';
const SANDBOX = '555555555555';
const SPECIAL = '666666666666';
const ROOT = 'r-ab12';
const WORKLOADS = 'ou-ab12-11111111';
const PRODOU = 'ou-ab12-22222222';
const DEVOU = 'ou-ab12-33333333';
const SANDBOXOU = 'ou-ab12-44444444';

const alt = (local: string, phone = '+1 206 555 0100') => ({ name: 'Team', title: 'Team', emailAddress: `${local}@example.com`, phoneNumber: phone });
const good = { BILLING: alt('billing'), OPERATIONS: alt('operations'), SECURITY: alt('security') };
const info = (over: Partial<PrimaryContact> = {}): PrimaryContact => ({
  fullName: 'Cloud Team',
  companyName: 'Example Corp',
  phoneNumber: '+1 206 555 0100',
  addressLine1: '410 Terry Ave N',
  city: 'Seattle',
  stateOrRegion: 'WA',
  postalCode: '98109',
  countryCode: 'US',
  ...over,
});

const fixture: Fixture = parseFixture({
  organization: {
    id: 'o-ab12cdefgh',
    managementAccountId: MANAGEMENT,
    delegatedAdminAccountId: ADMIN,
    trustedAccess: true,
    roots: [{ id: ROOT, name: 'Root' }],
    organizationalUnits: [
      { id: WORKLOADS, name: 'Workloads', parentId: ROOT },
      { id: PRODOU, name: 'Prod', parentId: WORKLOADS },
      { id: DEVOU, name: 'Dev', parentId: WORKLOADS },
      { id: SANDBOXOU, name: 'Sandbox', parentId: ROOT },
    ],
  },
  accounts: [
    // The management account's root e-mail comes from Organizations; its primary contact cannot be read by the admin.
    { id: MANAGEMENT, name: 'management', email: 'jane.doe@gmail.com', contacts: good, contactInformation: info() },
    { id: ADMIN, name: 'security-tooling', email: 'aws+sec@example.com', contacts: good, contactInformation: info(), parentId: WORKLOADS },
    // Prod expects SECURITY to be secops@example.com (inherited from Workloads' child Prod).
    { id: PROD, name: 'prod-app', email: 'aws+prod@example.com', contacts: good, contactInformation: info({ phoneNumber: '+1 000 000 0000' }), parentId: PRODOU },
    // Dev inherits Workloads' expectation of a company name "Example Dev" and gets a placeholder alternate phone.
    { id: DEV, name: 'dev-app', email: 'aws+dev@example.com', contacts: { ...good, OPERATIONS: alt('operations', '123456789') }, contactInformation: info(), parentId: DEVOU },
    // Sandbox accepts gmail.com addresses; no primary contact at all.
    { id: SANDBOX, name: 'sandbox', email: 'sandbox@gmail.com', contacts: { ...good, BILLING: { ...alt('billing'), emailAddress: 'me@gmail.com' } }, contactInformation: null, parentId: SANDBOXOU },
    // An account override wins over its OU: only SECURITY is required here.
    { id: SPECIAL, name: 'special', email: 'aws+special@example.com', contacts: { SECURITY: alt('security') }, contactInformation: info(), parentId: PRODOU },
  ],
});

const policy = parsePolicy({
  companyDomains: ['example.com'],
  primaryContact: { companyNamePattern: '^Example Corp$' },
  rootEmail: {},
  overrides: {
    [WORKLOADS]: { primaryContact: { companyNamePattern: '^Example (Corp|Dev)$' } },
    [PRODOU]: { expect: { SECURITY: { emailAddress: 'secops@example.com' } } },
    [DEVOU]: { primaryContact: { companyNamePattern: '^Example Dev$' } },
    [SANDBOXOU]: { companyDomains: ['example.com', 'gmail.com'] },
    [SPECIAL]: { requiredContactTypes: ['SECURITY'], expect: { SECURITY: { emailAddress: 'security@example.com' } } },
  },
});

let emulator: Emulator;
let accounts: Map<string, AccountResult>;

beforeAll(async () => {
  emulator = await startEmulator({ fixture, port: 0, quotaScale: 20 });
  const outcome = await runSweepJob({
    policy,
    clients: createClients({ endpoint: emulator.url, credentials: { accessKeyId: ADMIN, secretAccessKey: 'x' }, forcePathStyle: true }),
    provider: awsProviderSource(200),
    concurrency: 4,
  });
  accounts = new Map(outcome.report.accounts.map((a) => [a.accountId, a]));
});

afterAll(async () => {
  await emulator?.close();
});

const codes = (id: string) => accounts.get(id)!.findings.map((f) => `${f.contactType}:${f.code}`).sort();

describe('sweep of the primary contact, root e-mail and OU overrides', () => {
  it('gives every account its OU and the path of names from the root', () => {
    expect(accounts.get(MANAGEMENT)!.ou).toEqual({ id: ROOT, name: 'Root', path: 'Root' });
    expect(accounts.get(PROD)!.ou).toEqual({ id: PRODOU, name: 'Prod', path: 'Root / Workloads / Prod' });
    expect(accounts.get(SANDBOX)!.ou).toEqual({ id: SANDBOXOU, name: 'Sandbox', path: 'Root / Sandbox' });
  });

  it('reports the management account: root e-mail from Organizations, primary contact unreadable (UNKNOWN, never missing)', () => {
    const management = accounts.get(MANAGEMENT)!;
    expect(management.rootEmail).toBe('jane.doe@gmail.com');
    expect(codes(MANAGEMENT)).toEqual(
      ['BILLING:CHECK_FAILED', 'OPERATIONS:CHECK_FAILED', 'PRIMARY:CHECK_FAILED', 'ROOT_EMAIL:ROOT_EMAIL_NOT_COMPANY_DOMAIN', 'SECURITY:CHECK_FAILED'].sort(),
    );
    expect(management.primaryContact).toBeUndefined();
    expect(management.findings.find((f) => f.contactType === 'PRIMARY')?.errorCode).toBe('AccessDeniedException');
  });

  it('keeps a compliant account compliant, with its primary contact and root e-mail in the report', () => {
    const admin = accounts.get(ADMIN)!;
    expect(admin.status).toBe('COMPLIANT');
    expect(admin.primaryContact?.companyName).toBe('Example Corp');
    expect(admin.rootEmail).toBe('aws+sec@example.com');
  });

  it('applies the nearest OU override and inherits the rest', () => {
    expect(codes(PROD)).toEqual(['PRIMARY:PRIMARY_CONTACT_PLACEHOLDER_PHONE', 'SECURITY:CONTACT_VALUE_MISMATCH']);
    expect(codes(DEV)).toEqual(['OPERATIONS:PLACEHOLDER_PHONE', 'PRIMARY:PRIMARY_CONTACT_COMPANY_NAME_MISMATCH']);
    expect(accounts.get(DEV)!.status).toBe('NON_COMPLIANT');
  });

  it('lets an OU allow other domains, and reports a missing primary contact as missing', () => {
    expect(codes(SANDBOX)).toEqual(['PRIMARY:PRIMARY_CONTACT_MISSING']);
    expect(accounts.get(SANDBOX)!.primaryContact).toBeNull();
  });

  it('lets an account override win over its OU', () => {
    expect(codes(SPECIAL)).toEqual([]);
    expect(accounts.get(SPECIAL)!.status).toBe('COMPLIANT');
    expect(Object.keys(accounts.get(SPECIAL)!.contacts)).toEqual(['SECURITY']);
  });

  it('paces each read under its own quota: one GetContactInformation and one GetPrimaryEmail per member read', () => {
    const state = emulator.state();
    expect(state.requestCounts.GetContactInformation).toBe(6);
    // Every account but the management account, whose root e-mail is the listed one.
    expect(state.requestCounts.GetPrimaryEmail).toBe(5);
    expect(state.requestCounts.ListRoots).toBe(1);
  });
});

describe('an OU tree that cannot be read', () => {
  const denied = { placements: async () => Promise.reject(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' })) };
  const adapters = () => {
    const aws = createClients({ endpoint: emulator.url, credentials: { accessKeyId: ADMIN, secretAccessKey: 'x' } });
    return {
      identity: new IdentityAdapter(aws.sts),
      organizations: new OrganizationsAdapter(aws.organizations),
      contacts: new ContactsAdapter(aws.account),
      tree: denied,
    };
  };

  it('stops a sweep whose policy has OU overrides, naming the permissions, before any contact is read', async () => {
    const readsBefore = emulator.state().requestCounts.GetAlternateContact ?? 0;
    await expect(runSweep(new AwsProvider(adapters()), policy)).rejects.toSatisfy(
      (error: unknown) => error instanceof SetupError && /ListOrganizationalUnitsForParent/.test(error.message) && /AccessDeniedException/.test(error.message),
    );
    expect(emulator.state().requestCounts.GetAlternateContact ?? 0).toBe(readsBefore);
  });

  it('only leaves `ou` out when nothing depends on it', async () => {
    const { report } = await runSweep(new AwsProvider(adapters()), parsePolicy({ companyDomains: ['example.com'] }));
    expect(report.accounts.length).toBe(6);
    expect(report.accounts.every((a) => a.ou === undefined)).toBe(true);
  });
});

describe('the OU tree of a policy without OU overrides', () => {
  it('is read while the contacts are, not before them, and every account still gets its OU', async () => {
    // The tree answers only once every contact of every account has been asked for: a sweep that
    // waited for the tree before reading would never get there (and the test would time out).
    const aws = createClients({ endpoint: emulator.url, credentials: { accessKeyId: ADMIN, secretAccessKey: 'x' } });
    // Three types per account, but only SECURITY for SPECIAL (an account override, which applies
    // without the tree).
    const contactReads = (fixture.accounts.length - 1) * 3 + 1;
    let sent = 0;
    let allSent = () => {};
    const allReadsSent = new Promise<void>((resolve) => {
      allSent = resolve;
    });
    aws.account.middlewareStack.add(
      (next, context) => async (args) => {
        // The first read is the set-up probe of the sweep's discovery; the rest are the accounts'
        // (a throttled read sent again counts twice, which only opens the gate sooner).
        if (context.commandName === 'GetAlternateContactCommand' && ++sent === contactReads + 1) allSent();
        return next(args);
      },
      { step: 'initialize', name: 'countContactReads' },
    );
    const real = new OrganizationTreeAdapter(aws.organizations);
    const tree = { placements: async () => allReadsSent.then(() => real.placements()) };

    const { report } = await runSweep(
      new AwsProvider({ identity: new IdentityAdapter(aws.sts), organizations: new OrganizationsAdapter(aws.organizations), contacts: new ContactsAdapter(aws.account), tree }),
      parsePolicy({ companyDomains: ['example.com'], overrides: { [SPECIAL]: { requiredContactTypes: ['SECURITY'] } } }),
    );

    const placed = new Map(report.accounts.map((a) => [a.accountId, a.ou?.path]));
    expect(placed).toEqual(
      new Map([
        [MANAGEMENT, 'Root'],
        [ADMIN, 'Root / Workloads'],
        [PROD, 'Root / Workloads / Prod'],
        [DEV, 'Root / Workloads / Dev'],
        [SANDBOX, 'Root / Sandbox'],
        [SPECIAL, 'Root / Workloads / Prod'],
      ]),
    );
  });
});
