/** Builders shared by the rules tests. */
import type { Contact, ContactRead, ContactReads, OrgAccount } from '../../src/model.ts';
import type { Policy } from '../../src/policy/types.ts';
import { parsePolicy } from '../../src/policy/load.ts';

export const TODAY = '2026-11-22';

export function policy(overrides: Record<string, unknown> = {}): Policy {
  return parsePolicy({ companyDomains: ['example.com'], ...overrides });
}

export function contact(overrides: Partial<Contact> = {}): Contact {
  return { name: 'Ops Team', title: 'Operations', emailAddress: 'ops@example.com', phoneNumber: '+1 206 555 0100', ...overrides };
}

export function present(overrides: Partial<Contact> = {}): ContactRead {
  return { kind: 'present', contact: contact(overrides) };
}

/** Three present, distinct, compliant contacts. */
export function compliantReads(): ContactReads {
  return {
    BILLING: present({ emailAddress: 'billing@example.com' }),
    OPERATIONS: present({ emailAddress: 'ops@example.com' }),
    SECURITY: present({ emailAddress: 'security@example.com' }),
  };
}

export function account(overrides: Partial<OrgAccount> = {}): OrgAccount {
  return { id: '333333333333', name: 'prod-app', email: 'aws+prod@example.com', state: 'ACTIVE', ...overrides };
}
