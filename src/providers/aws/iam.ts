/**
 * Every adapter's IAM actions in one place (STYLE.md §8): the deployed roles are held to these by
 * test/stack/iam.test.ts, each function's role to the adapters its handler exports as `adapters`.
 */
import { AlertPublisher } from './alerts.ts';
import { ContactsAdapter } from './contacts.ts';
import { IdentityAdapter } from './identity.ts';
import { ObjectStore, PublishingObjectStore } from './objects.ts';
import { OrganizationsAdapter } from './organizations.ts';
import { OrganizationsAdminAdapter } from './organizationsAdmin.ts';
import { TrailsAdapter } from './trails.ts';
import { OrganizationTreeAdapter, ParentChainAdapter } from './organizationTree.ts';
import { AccountSurfaceAdapter } from './primaryContact.ts';
import { SecurityHubImporter } from './securityHub.ts';
import { OutputsProbe } from './outputs.ts';

/** Anything that declares the IAM actions it needs: an adapter class, or a plain object for a library's store. */
export interface DeclaresIamActions {
  readonly iamActions: readonly string[];
}

const ADAPTERS = {
  IdentityAdapter,
  OrganizationsAdapter,
  ContactsAdapter,
  AlertPublisher,
  ObjectStore,
  PublishingObjectStore,
  OrganizationsAdminAdapter,
  TrailsAdapter,
  AccountSurfaceAdapter,
  OrganizationTreeAdapter,
  ParentChainAdapter,
  SecurityHubImporter,
  OutputsProbe,
} as const;

/** Actions the product must never be granted: it audits contacts, it does not change them. */
export const FORBIDDEN_ACTIONS: readonly string[] = [
  'account:PutAlternateContact',
  'account:DeleteAlternateContact',
  // Nor the primary contact or the root e-mail.
  'account:PutContactInformation',
  'account:StartPrimaryEmailUpdate',
  'account:AcceptPrimaryEmailUpdate',
  // Nor verify a phone: both send a one-time passcode by SMS to a person (API reference,
  // SendPhoneNumberVerification); the holder of the number verifies it (docs/findings.md).
  'account:SendPhoneNumberVerification',
  'account:VerifyPhoneNumber',
];

/** The sorted, de-duplicated actions of the given adapters. */
export function actionsOf(adapters: Iterable<DeclaresIamActions>): string[] {
  const actions = new Set<string>();
  for (const adapter of adapters) for (const action of adapter.iamActions) actions.add(action);
  return [...actions].sort();
}

/** Every action any adapter declares. */
export const ALL_ADAPTER_ACTIONS: readonly string[] = actionsOf(Object.values(ADAPTERS));
