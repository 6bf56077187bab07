/**
 * Deterministic synthetic organizations for the demo, tests and benchmarks: mostly compliant
 * accounts of the company domain `example.com`, plus every kind of violation SPEC.md §3 names
 * and a few accounts that are not ACTIVE.
 */
import type { Contact, ContactType } from '../model.ts';
import type { Fixture, FixtureAccount, FixtureAccountState } from './fixture.ts';
import { mulberry32 } from './prng.ts';

export interface GenerateOptions {
  accounts: number;
  seed: number;
}

/** The kinds of violation the generator plants, in the order they are handed out. */
export const VIOLATION_KINDS = [
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
export type ViolationKind = (typeof VIOLATION_KINDS)[number];

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
  return {
    organization: {
      id: `o-${Array.from({ length: 10 }, () => '0123456789abcdefghijklmnopqrstuvwxyz'[int(36)]).join('')}`,
      managementAccountId: managementId,
      delegatedAdminAccountId: delegatedId,
      trustedAccess: true,
    },
    accounts,
  };
}
