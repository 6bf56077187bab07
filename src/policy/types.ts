/**
 * The policy's types, derived from its schema (./schema.ts) so the two cannot drift: what
 * `parsePolicy` (./load.ts) returns is exactly what the schema outputs. The meaning of each field is
 * documented on the schema's keys.
 */
import type * as z from 'zod/mini';
import type { ContactKind } from '../model.ts';
import type { policySchema } from './schema.ts';

/** The validated policy with every default filled in and every domain and account ID normalised (§2). */
export type Policy = z.output<typeof policySchema>;

/** The `primaryContact` section: checks of the primary contact (GetContactInformation). */
export type PrimaryContactPolicy = NonNullable<Policy['primaryContact']>;

/** What an override may change for the accounts under an OU or for one account. */
export type PolicyOverride = NonNullable<Policy['overrides']>[string];


/**
 * The policy as one cloud's rules applied it, for the report and its hash: an Alibaba Cloud sweep
 * requires message types (and its section's domains) where an AWS sweep requires contact types.
 */
export type AppliedPolicy = Omit<Policy, 'requiredContactTypes'> & { requiredContactTypes: readonly ContactKind[] };
