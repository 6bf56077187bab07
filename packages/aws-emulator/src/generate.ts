/**
 * Deterministic synthetic organizations for the demo, tests and benchmarks: mostly compliant
 * accounts of the company domain `example.com`, plus every kind of violation SPEC.md §3 names
 * and a few accounts that are not ACTIVE.
 */
import type { Contact, ContactType, PrimaryContact } from './shapes.ts';
import { defaultRootId, type Fixture, type FixtureAccount, type FixtureAccountState, type FixtureOu } from './fixture.ts';
import { mulberry32 } from './prng.ts';

export interface GenerateOptions {
  accounts: number;
  seed: number;
}

/** The kinds of violation the generator plants, in the order they are handed out. */
const VIOLATION_KINDS = [
  'missing-contact',
  'invalid-email',
  'email-gmail',
  'email-domain-suffix',
  'email-domain-hyphen',
  'email-lookalike',
  'security-local-part',
  'phone-invalid-chars',
  'phone-outside-prefix',
  'shared-email',
] as const;
type ViolationKind = (typeof VIOLATION_KINDS)[number];

const TEAMS = ['payments', 'search', 'identity', 'data', 'ml', 'web', 'mobile', 'billing', 'logistics', 'platform', 'infra', 'analytics'];
const STAGES = ['prod', 'staging', 'dev', 'sandbox', 'test', 'shared'];
const PEOPLE = ['Alejandro Rosalez', 'Anika Sharma', 'Carlos Salazar', 'Mateo Jackson', 'Saanvi Sarkar', 'Nikki Wolf', 'Jorge Souza', 'Li Juan', 'Wang Xiulan', 'Efua Owusu'];
const INACTIVE: FixtureAccountState[] = ['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'];
/** Cyrillic small a (U+0430) in place of the Latin a: looks like example.com, is not. */
const LOOKALIKE_DOMAIN = 'ex\u0430mple.com';

/** Builds an organization of `accounts` accounts (at least 2: management and delegated admin). */
export function generateOrganization(opts: GenerateOptions): Fixture {
  const total = Math.max(2, Math.floor(opts.accounts));
  const rand = mulberry32(opts.seed);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;

  const ids = new Set<string>();
  const newId = (): string => {
    for (;;) {
      const id = String(100_000_000_000 + int(900_000_000_000));
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  };
  const phone = (): string => {
    const last = String(int(10_000)).padStart(4, '0');
    return pick([`+1 206 555 ${last}`, `+1 (206) 555-${last}`, `+1-206-555-${last}`]);
  };
  const goodContacts = (): Record<ContactType, Contact> => {
    const sub = rand() < 0.25 ? pick(['ops.', 'corp.', 'finance.']) : '';
    return {
      BILLING: { name: pick(PEOPLE), title: 'Finance', emailAddress: `billing@${sub}example.com`, phoneNumber: phone() },
      OPERATIONS: { name: pick(PEOPLE), title: 'Operations', emailAddress: `operations@${sub}example.com`, phoneNumber: phone() },
      SECURITY: { name: pick(PEOPLE), title: 'Security', emailAddress: `${pick(['security', 'secops'])}@${sub}example.com`, phoneNumber: phone() },
    };
  };
  const types: ContactType[] = ['BILLING', 'OPERATIONS', 'SECURITY'];

  const plant = (kind: ViolationKind, c: Record<ContactType, Contact | null>): void => {
    const type = pick(types);
    const target = c[type] as Contact;
    switch (kind) {
      case 'missing-contact':
        c[type] = null;
        if (rand() < 0.3) c[pick(types.filter((t) => t !== type))] = null;
        break;
      case 'invalid-email':
        target.emailAddress = pick(['billing(at)example.com', 'ops@@example.com', 'security@example', 'team ops@example.com']);
        break;
      case 'email-gmail':
        target.emailAddress = `${type.toLowerCase()}.team@gmail.com`;
        break;
      case 'email-domain-suffix':
        target.emailAddress = `${type === 'SECURITY' ? 'security' : type.toLowerCase()}@example.com.evil.io`;
        break;
      case 'email-domain-hyphen':
        target.emailAddress = `${type === 'SECURITY' ? 'security' : type.toLowerCase()}@evil-example.com`;
        break;
      case 'email-lookalike':
        target.emailAddress = `${type === 'SECURITY' ? 'security' : type.toLowerCase()}@${LOOKALIKE_DOMAIN}`;
        break;
      case 'security-local-part':
        (c.SECURITY as Contact).emailAddress = pick(['bob@example.com', 'it-help@example.com', 'soc@example.com']);
        break;
      case 'phone-invalid-chars':
        target.phoneNumber = pick(['+1 206 555 0100 ext. 7', '+1.206.555.0199', '+1 206 555 01OO']);
        break;
      case 'phone-outside-prefix':
        target.phoneNumber = pick(['+44 20 7946 0958', '+1 212 555 0147', '+33 1 70 36 39 50']);
        break;
      case 'shared-email': {
        const other = types.filter((t) => t !== type)[int(2)] as ContactType;
        (c[other] as Contact).emailAddress = target.emailAddress;
        break;
      }
    }
  };

  const managementId = newId();
  const delegatedId = newId();
  const accounts: FixtureAccount[] = [];
  let violations = 0;
  for (let i = 0; i < total; i++) {
    const id = i === 0 ? managementId : i === 1 ? delegatedId : newId();
    const name = i === 0 ? 'management' : i === 1 ? 'security-tooling' : `${pick(TEAMS)}-${pick(STAGES)}-${String(i).padStart(4, '0')}`;
    const contacts: Record<ContactType, Contact | null> = goodContacts();
    let state: FixtureAccountState = 'ACTIVE';
    const r = rand();
    if (i >= 2 && r < 0.02) {
      state = INACTIVE[int(INACTIVE.length)] as FixtureAccountState;
    } else if (i >= 2 && r < 0.2) {
      plant(VIOLATION_KINDS[violations % VIOLATION_KINDS.length] as ViolationKind, contacts);
      violations++;
    }
    accounts.push({ id, name, email: `aws+${name}@example.com`, state, contacts });
  }
  const organizationId = `o-${Array.from({ length: 10 }, () => '0123456789abcdefghijklmnopqrstuvwxyz'[int(36)]).join('')}`;
  const tree = placeInOus(organizationId, accounts, opts.seed);
  return {
    organization: {
      id: organizationId,
      managementAccountId: managementId,
      delegatedAdminAccountId: delegatedId,
      trustedAccess: true,
      organizationalUnits: tree,
    },
    accounts,
  };
}

/** The OUs of a generated organization, by the stage in the account's name (the management account stays under the root). */
const OU_LAYOUT = [
  { key: 'security', name: 'Security', parent: 'root' },
  { key: 'workloads', name: 'Workloads', parent: 'root' },
  { key: 'prod', name: 'Prod', parent: 'workloads' },
  { key: 'nonprod', name: 'NonProd', parent: 'workloads' },
  { key: 'sandbox', name: 'Sandbox', parent: 'root' },
  { key: 'infrastructure', name: 'Infrastructure', parent: 'root' },
] as const;

const STAGE_OU: Record<string, string> = { prod: 'prod', staging: 'nonprod', dev: 'nonprod', test: 'nonprod', sandbox: 'sandbox', shared: 'infrastructure' };

/**
 * Puts the accounts into a few OUs and gives each a primary contact, a few of them
 * wrong (another company name, a placeholder phone, none at all). A PRNG of its own, so the
 * alternate contacts of a seed stay what they were before OUs existed.
 */
function placeInOus(organizationId: string, accounts: FixtureAccount[], seed: number): FixtureOu[] {
  const rand = mulberry32((seed ^ 0x0c0ffee) >>> 0);
  const root = defaultRootId(organizationId);
  const suffix = organizationId.slice(2, 6);
  const ids = new Map<string, string>();
  OU_LAYOUT.forEach((ou, i) => {
    ids.set(ou.key, `ou-${suffix}-${String(10_000_000 + i * 1_111_111).padStart(8, '0')}`);
  });
  const ous: FixtureOu[] = OU_LAYOUT.map((ou) => ({ id: ids.get(ou.key)!, name: ou.name, parentId: ou.parent === 'root' ? root : ids.get(ou.parent)! }));
  accounts.forEach((account, i) => {
    if (i === 1) account.parentId = ids.get('security')!;
    else if (i > 1) account.parentId = ids.get(STAGE_OU[account.name.split('-')[1] ?? ''] ?? 'workloads')!;
    const r = rand();
    account.contactInformation = r < 0.02 ? null : primaryContactFor(r);
    // From the same draw, so the rest of a seed's organization stays what it was: about 3% UNVERIFIED.
    if (account.contactInformation) account.phoneVerificationStatus = r >= 0.07 && r < 0.1 ? 'UNVERIFIED' : 'VERIFIED';
  });
  return ous;
}

function primaryContactFor(r: number): PrimaryContact {
  const contact: PrimaryContact = {
    fullName: 'Cloud Platform Team',
    companyName: 'Example Corp',
    phoneNumber: '+1 206 555 0100',
    addressLine1: '410 Terry Ave N',
    city: 'Seattle',
    stateOrRegion: 'WA',
    postalCode: '98109',
    countryCode: 'US',
  };
  if (r < 0.05) contact.companyName = 'Jane Doe';
  else if (r < 0.07) contact.phoneNumber = '+1 000 000 0000';
  return contact;
}
