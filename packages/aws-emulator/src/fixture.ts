/**
 * The emulator's fixture file (SPEC.md §10): an organization and its accounts with their
 * alternate contacts. The management and delegated-admin accounts are ordinary entries of `accounts`.
 */
import { readFile } from 'node:fs/promises';
import { FixtureError, errorText } from './errors.ts';
import { CONTACT_TYPES, PHONE_VERIFICATION_STATUSES, type Contact, type ContactType, type PrimaryContact } from './shapes.ts';
import { FixtureAdminError, parseFixtureAdmin, type FixtureAdmin } from './fixtureAdmin.ts';

const ACCOUNT_STATES = ['ACTIVE', 'PENDING_ACTIVATION', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'] as const;
export type FixtureAccountState = (typeof ACCOUNT_STATES)[number];

export interface FixtureOrganization {
  id: string;
  managementAccountId: string;
  delegatedAdminAccountId?: string;
  trustedAccess: boolean;
  /** The organization's root(s); default one root `r-` + four characters of the organization ID, named "Root". */
  roots?: FixtureRoot[];
  /** OUs with their parent (a root or another OU). */
  organizationalUnits?: FixtureOu[];
}

export interface FixtureRoot {
  id: string;
  name: string;
}

export interface FixtureOu {
  id: string;
  name: string;
  parentId: string;
}

export interface FixtureAccount {
  id: string;
  name: string;
  email: string;
  state: FixtureAccountState;
  contacts: Partial<Record<ContactType, Contact | null>>;
  /** The account's parent OU or root; default the (first) root. */
  parentId?: string;
  /** The primary contact (GetContactInformation); absent or null: none set. */
  contactInformation?: PrimaryContact | null;
  /**
   * GetContactInformation's `VerificationStatus` of the primary contact's phone (PENDING, VERIFIED,
   * UNVERIFIED, NOT_SUPPORTED); absent: the answer has no such member, as in the AWS CLI's botocore
   * model of this machine (README, "The emulator").
   */
  phoneVerificationStatus?: (typeof PHONE_VERIFICATION_STATUSES)[number];
  /** The most recent root e-mail update (GetPrimaryEmailUpdateStatus); absent: none was ever started. */
  primaryEmailUpdate?: FixtureEmailUpdate;
}

/** PrimaryEmailUpdateStatus of the SDK's model; the AWS CLI's botocore lists only PENDING and ACCEPTED. */
const PRIMARY_EMAIL_UPDATE_STATUSES = ['PENDING', 'ACCEPTED', 'COMPLETED', 'FAILED'] as const;

/** The status GetPrimaryEmailUpdateStatus answers, and when it last changed (ISO 8601). */
interface FixtureEmailUpdate {
  status: (typeof PRIMARY_EMAIL_UPDATE_STATUSES)[number];
  updatedAt?: string;
}

/** A topic of the fixture; `publishers` lists other accounts allowed to publish to it ('*' = any account). */
interface FixtureTopic {
  arn: string;
  publishers?: string[];
}

export interface Fixture {
  organization: FixtureOrganization;
  accounts: FixtureAccount[];
  /** Optional SCPs, trails, root ID and IAM denies (fixtureAdmin.ts), for `contact-audit doctor`. */
  admin?: FixtureAdmin;
  /** S3 buckets that exist from the start (objects go only into existing buckets). */
  buckets?: string[];
  /** SNS topics that exist from the start; each is owned by the account in its ARN. */
  topics?: FixtureTopic[];
  /** Organizations also answers the retired `Account.Status` (retired 2026-09-09); default false. */
  legacyStatus?: boolean;
  /** The account's Lambda "Concurrent executions" quota that GetAccountSettings reports; default 1000. */
  lambdaConcurrency?: number;
}

/** Lambda's default "Concurrent executions" quota (Lambda developer guide, "Lambda quotas"). */
export const DEFAULT_LAMBDA_CONCURRENCY = 1000;

/** S3 bucket naming rules (general purpose buckets): 3–63 of a-z 0-9 . -, starting and ending with a letter or digit. */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** An SNS topic ARN as SNS accepts it. */
export const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** A fixture that does not have the documented shape; the message names the bad field. */
export { FixtureError };

const ACCOUNT_ID = /^\d{12}$/;
const ORG_ID = /^o-[a-z0-9]{10,32}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new FixtureError(`${field}: expected a non-empty string`);
  return v;
}

function accountId(v: unknown, field: string): string {
  const s = str(v, field);
  if (!ACCOUNT_ID.test(s)) throw new FixtureError(`${field}: expected a 12-digit account ID, got "${s}"`);
  return s;
}

function contact(v: unknown, field: string): Contact | null {
  if (v === null || v === undefined) return null;
  if (!isRecord(v)) throw new FixtureError(`${field}: expected an object or null`);
  // Fixture contacts are stored as-is: they model what may already sit in an account,
  // including values the Put validation would refuse today.
  const out = {} as Contact;
  for (const key of ['name', 'title', 'emailAddress', 'phoneNumber'] as const) {
    const value = v[key];
    if (typeof value !== 'string') throw new FixtureError(`${field}.${key}: expected a string`);
    out[key] = value;
  }
  return out;
}

const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

const PRIMARY_REQUIRED = ['fullName', 'addressLine1', 'city', 'postalCode', 'countryCode', 'phoneNumber'] as const;
const PRIMARY_OPTIONAL = ['companyName', 'addressLine2', 'addressLine3', 'stateOrRegion', 'districtOrCounty', 'websiteUrl'] as const;

/** A fixture primary contact: stored as-is (like alternate contacts), only the shape is checked. */
function primaryContact(v: unknown, field: string): PrimaryContact | null {
  if (v === null) return null;
  if (!isRecord(v)) throw new FixtureError(`${field}: expected an object or null`);
  const out: Record<string, string> = {};
  for (const key of PRIMARY_REQUIRED) {
    if (typeof v[key] !== 'string') throw new FixtureError(`${field}.${key}: expected a string`);
    out[key] = v[key] as string;
  }
  for (const key of PRIMARY_OPTIONAL) {
    if (v[key] === undefined || v[key] === null) continue;
    if (typeof v[key] !== 'string') throw new FixtureError(`${field}.${key}: expected a string`);
    out[key] = v[key] as string;
  }
  return out as unknown as PrimaryContact;
}

function oneOf<T extends string>(v: unknown, values: readonly T[], field: string): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw new FixtureError(`${field}: expected one of ${values.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

function emailUpdate(v: unknown, field: string): FixtureEmailUpdate {
  if (!isRecord(v)) throw new FixtureError(`${field}: expected an object { status, updatedAt }`);
  const status = oneOf(v.status, PRIMARY_EMAIL_UPDATE_STATUSES, `${field}.status`);
  if (v.updatedAt === undefined) return { status };
  const updatedAt = str(v.updatedAt, `${field}.updatedAt`);
  if (Number.isNaN(Date.parse(updatedAt))) throw new FixtureError(`${field}.updatedAt: expected an ISO 8601 time, got "${updatedAt}"`);
  return { status, updatedAt };
}

/** The optional OU tree of the organization: roots, OUs with existing parents, no cycles. */
function parseTree(org: Record<string, unknown>): Pick<FixtureOrganization, 'roots' | 'organizationalUnits'> {
  const out: Pick<FixtureOrganization, 'roots' | 'organizationalUnits'> = {};
  if (org.roots !== undefined) {
    if (!Array.isArray(org.roots) || org.roots.length === 0) throw new FixtureError('organization.roots: expected a non-empty array');
    out.roots = org.roots.map((r: unknown, i: number) => {
      const at = `organization.roots[${i}]`;
      if (!isRecord(r)) throw new FixtureError(`${at}: expected an object`);
      const id = str(r.id, `${at}.id`);
      if (!ROOT_ID.test(id)) throw new FixtureError(`${at}.id: expected "r-" and 4 to 32 lower-case letters or digits, got "${id}"`);
      return { id, name: r.name === undefined ? 'Root' : str(r.name, `${at}.name`) };
    });
  }
  if (org.organizationalUnits !== undefined) {
    if (!Array.isArray(org.organizationalUnits)) throw new FixtureError('organization.organizationalUnits: expected an array');
    out.organizationalUnits = org.organizationalUnits.map((o: unknown, i: number) => {
      const at = `organization.organizationalUnits[${i}]`;
      if (!isRecord(o)) throw new FixtureError(`${at}: expected an object`);
      const id = str(o.id, `${at}.id`);
      if (!OU_ID.test(id)) throw new FixtureError(`${at}.id: expected an OU ID such as "ou-ab12-11111111", got "${id}"`);
      return { id, name: str(o.name, `${at}.name`), parentId: str(o.parentId, `${at}.parentId`) };
    });
  }
  return out;
}

/** The default root of an organization without `roots`. */
export function defaultRootId(organizationId: string): string {
  return `r-${organizationId.slice(2, 6)}`;
}

/** Validates an untyped fixture; throws FixtureError naming the first bad field. */
export function parseFixture(json: unknown): Fixture {
  if (!isRecord(json)) throw new FixtureError('fixture: expected a JSON object');
  const org = json.organization;
  if (!isRecord(org)) throw new FixtureError('organization: expected an object');
  const id = str(org.id, 'organization.id');
  if (!ORG_ID.test(id)) throw new FixtureError(`organization.id: expected "o-" followed by 10 to 32 lower-case letters or digits, got "${id}"`);
  const managementAccountId = accountId(org.managementAccountId, 'organization.managementAccountId');
  const delegated = org.delegatedAdminAccountId;
  const delegatedAdminAccountId =
    delegated === undefined || delegated === null ? undefined : accountId(delegated, 'organization.delegatedAdminAccountId');
  if (typeof org.trustedAccess !== 'boolean') throw new FixtureError('organization.trustedAccess: expected true or false');

  if (!Array.isArray(json.accounts)) throw new FixtureError('accounts: expected an array');
  const seen = new Set<string>();
  const accounts: FixtureAccount[] = json.accounts.map((a: unknown, i: number) => {
    const at = `accounts[${i}]`;
    if (!isRecord(a)) throw new FixtureError(`${at}: expected an object`);
    const aid = accountId(a.id, `${at}.id`);
    if (seen.has(aid)) throw new FixtureError(`${at}.id: duplicate account ID ${aid}`);
    seen.add(aid);
    const state = a.state === undefined ? 'ACTIVE' : a.state;
    if (typeof state !== 'string' || !(ACCOUNT_STATES as readonly string[]).includes(state)) {
      throw new FixtureError(`${at}.state: expected one of ${ACCOUNT_STATES.join(', ')}, got ${JSON.stringify(state)}`);
    }
    const rawContacts = a.contacts === undefined ? {} : a.contacts;
    if (!isRecord(rawContacts)) throw new FixtureError(`${at}.contacts: expected an object`);
    const contacts: Partial<Record<ContactType, Contact | null>> = {};
    for (const key of Object.keys(rawContacts)) {
      if (!(CONTACT_TYPES as readonly string[]).includes(key)) {
        throw new FixtureError(`${at}.contacts.${key}: unknown contact type (expected ${CONTACT_TYPES.join(', ')})`);
      }
      contacts[key as ContactType] = contact(rawContacts[key], `${at}.contacts.${key}`);
    }
    return {
      id: aid,
      name: str(a.name, `${at}.name`),
      email: str(a.email, `${at}.email`),
      state: state as FixtureAccountState,
      contacts,
      ...(a.parentId !== undefined ? { parentId: str(a.parentId, `${at}.parentId`) } : {}),
      ...(a.contactInformation !== undefined ? { contactInformation: primaryContact(a.contactInformation, `${at}.contactInformation`) } : {}),
      ...(a.phoneVerificationStatus !== undefined ? { phoneVerificationStatus: oneOf(a.phoneVerificationStatus, PHONE_VERIFICATION_STATUSES, `${at}.phoneVerificationStatus`) } : {}),
      ...(a.primaryEmailUpdate !== undefined ? { primaryEmailUpdate: emailUpdate(a.primaryEmailUpdate, `${at}.primaryEmailUpdate`) } : {}),
    };
  });
  let admin: FixtureAdmin;
  try {
    admin = parseFixtureAdmin(json);
  } catch (cause) {
    if (cause instanceof FixtureAdminError) throw new FixtureError(cause.message, { cause });
    throw cause;
  }
  const tree = parseTree(org);
  // `organization.rootId` (doctor's fixtures) names the one root when `roots` does not.
  if (admin.rootId !== undefined) {
    if (tree.roots === undefined) tree.roots = [{ id: admin.rootId, name: 'Root' }];
    else if (!tree.roots.some((r) => r.id === admin.rootId)) throw new FixtureError(`organization.rootId: ${admin.rootId} is not one of organization.roots`);
  }
  const rootIds = (tree.roots ?? [{ id: defaultRootId(id) }]).map((r) => r.id);
  const parents = new Set([...rootIds, ...(tree.organizationalUnits ?? []).map((o) => o.id)]);
  const ouParent = new Map((tree.organizationalUnits ?? []).map((o) => [o.id, o.parentId]));
  (tree.organizationalUnits ?? []).forEach((o, i) => {
    if (!parents.has(o.parentId)) throw new FixtureError(`organization.organizationalUnits[${i}].parentId: ${o.parentId} is no root or OU`);
    // Walking up must reach a root: an OU may not be its own ancestor.
    const seenUp = new Set<string>();
    for (let at: string | undefined = o.id; at !== undefined && !rootIds.includes(at); at = ouParent.get(at)) {
      if (seenUp.has(at)) throw new FixtureError(`organization.organizationalUnits[${i}]: the OU ${o.id} is its own ancestor`);
      seenUp.add(at);
    }
  });
  accounts.forEach((a, i) => {
    if (a.parentId !== undefined && !parents.has(a.parentId)) throw new FixtureError(`accounts[${i}].parentId: ${a.parentId} is no root or OU`);
  });

  if (delegatedAdminAccountId !== undefined && !seen.has(delegatedAdminAccountId)) {
    throw new FixtureError(`organization.delegatedAdminAccountId: ${delegatedAdminAccountId} is not one of accounts[].id`);
  }
  if (!seen.has(managementAccountId)) {
    accounts.unshift({ id: managementAccountId, name: 'management', email: `aws+management@example.com`, state: 'ACTIVE', contacts: {} });
  }
  const buckets = optionalList(json.buckets, 'buckets').map((b, i) => {
    const name = str(b, `buckets[${i}]`);
    if (!BUCKET_NAME.test(name)) throw new FixtureError(`buckets[${i}]: "${name}" is not a valid bucket name (3-63 of a-z 0-9 . -)`);
    return name;
  });
  const topics = optionalList(json.topics, 'topics').map((t, i): FixtureTopic => {
    const at = `topics[${i}]`;
    const arn = typeof t === 'string' ? t : isRecord(t) ? str(t.arn, `${at}.arn`) : str(t, at);
    if (!TOPIC_ARN.test(arn)) throw new FixtureError(`${at}: "${arn}" is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)`);
    const publishers = isRecord(t) && t.publishers !== undefined ? optionalList(t.publishers, `${at}.publishers`) : [];
    publishers.forEach((p, j) => {
      if (p !== '*') accountId(p, `${at}.publishers[${j}]`);
    });
    return { arn, ...(publishers.length > 0 ? { publishers: publishers as string[] } : {}) };
  });
  if (json.legacyStatus !== undefined && typeof json.legacyStatus !== 'boolean') throw new FixtureError('legacyStatus: expected true or false');
  const lambdaConcurrency = json.lambdaConcurrency;
  if (lambdaConcurrency !== undefined && !(Number.isInteger(lambdaConcurrency) && (lambdaConcurrency as number) >= 1)) {
    throw new FixtureError(`lambdaConcurrency: expected a positive integer (the account's Lambda concurrency quota), got ${JSON.stringify(lambdaConcurrency)}`);
  }
  return {
    organization: { id, managementAccountId, ...(delegatedAdminAccountId ? { delegatedAdminAccountId } : {}), trustedAccess: org.trustedAccess, ...tree },
    accounts,
    ...(buckets.length > 0 ? { buckets } : {}),
    ...(topics.length > 0 ? { topics } : {}),
    ...(json.legacyStatus === true ? { legacyStatus: true } : {}),
    ...(lambdaConcurrency !== undefined ? { lambdaConcurrency: lambdaConcurrency as number } : {}),
    ...(Object.keys(admin).length > 0 ? { admin } : {}),
  };
}

function optionalList(v: unknown, field: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new FixtureError(`${field}: expected an array`);
  return v;
}

/** Reads and validates a fixture file. */
export async function loadFixture(path: string): Promise<Fixture> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new FixtureError(`fixture ${path}: cannot read the file`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new FixtureError(`fixture ${path}: not valid JSON (${errorText(cause)})`, { cause });
  }
  return parseFixture(json);
}
