/**
 * The Alibaba Cloud Resource Directory fixture of the emulator (docs/alibaba.md, "Emulator"): the
 * directory, its folders, members and message contacts, and optional per-target read failures.
 */
import { readFile } from 'node:fs/promises';
import { FixtureError, errorText } from '../errors.ts';

const MEMBER_TYPES = ['CloudAccount', 'ResourceAccount'] as const;
const CONTACT_STATUSES = ['Verifying', 'Active', 'Deleting'] as const;
const MESSAGE_TYPES = ['ServiceMessage', 'FaultMessage', 'AccountExpenses', 'SecurityMessage', 'ActivityMessage', 'ProductMessage'] as const;

/** Operation → Alibaba error code: every call of that operation about this member or folder fails so. */
type Failures = Record<string, string>;

export interface AlibabaFolder {
  id: string;
  name: string;
  /** The root folder or another folder. */
  parentId: string;
  failures: Failures;
}

export interface AlibabaMember {
  id: string;
  displayName: string;
  type: (typeof MEMBER_TYPES)[number];
  folderId: string;
  /** CreateSuccess, InviteSuccess, PromoteSuccess, PromoteVerifying … */
  status: string;
  /** Checking, Deleting, CheckFailed, DeleteFailed; null when no deletion was asked for. */
  deletionStatus: string | null;
  /** What GetAccount answers; null leaves the field out of the answer. */
  hasSecureMobilePhone: boolean | null;
  emailStatus: string;
  failures: Failures;
}

export interface AlibabaContact {
  id: string;
  name: string;
  title: string;
  emailAddress: string;
  phoneNumber: string;
  messageTypes: string[];
  /** Directory, folder and member IDs the contact is bound to. */
  members: string[];
  status: (typeof CONTACT_STATUSES)[number];
}

interface AlibabaAccessKey {
  id: string;
  /** When set, signatures made with this key are verified for real. */
  secret: string;
  accountId: string;
}

export interface AlibabaFixture {
  resourceDirectory: { id: string; rootFolderId: string; masterAccountId: string; delegatedAdminAccountIds: string[] };
  folders: AlibabaFolder[];
  accounts: AlibabaMember[];
  contacts: AlibabaContact[];
  accessKeys: AlibabaAccessKey[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new FixtureError(`${field}: expected a non-empty string`);
  return v;
}

function plain(v: unknown, field: string, fallback: string): string {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string') throw new FixtureError(`${field}: expected a string`);
  return v;
}

function accountId(v: unknown, field: string): string {
  // JSON numbers of 16 digits are past 2^53: the ID would already have lost digits.
  if (typeof v === 'number') throw new FixtureError(`${field}: expected an Alibaba Cloud account ID in quotes, got the number ${v}`);
  const s = str(v, field);
  if (!/^\d{10,20}$/.test(s)) throw new FixtureError(`${field}: expected an Alibaba Cloud account ID (digits, in quotes), got "${s}"`);
  return s;
}

function idWith(prefix: string, v: unknown, field: string): string {
  const s = str(v, field);
  if (!s.startsWith(prefix)) throw new FixtureError(`${field}: expected an ID starting with "${prefix}", got "${s}"`);
  return s;
}

function failures(v: unknown, field: string): Failures {
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) throw new FixtureError(`${field}: expected an object of operation → error code`);
  return Object.fromEntries(Object.entries(v).map(([op, code]) => [op, str(code, `${field}.${op}`)]));
}

function list(v: unknown, field: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new FixtureError(`${field}: expected an array`);
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string, fallback?: T): T {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new FixtureError(`${field}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

/** Validates an untyped Alibaba fixture; throws FixtureError naming the first bad field. */
export function parseAlibabaFixture(json: unknown): AlibabaFixture {
  if (!isRecord(json)) throw new FixtureError('alibaba fixture: expected a JSON object');
  const rd = json.resourceDirectory;
  if (!isRecord(rd)) throw new FixtureError('resourceDirectory: expected an object');
  const rdId = idWith('rd-', rd.id, 'resourceDirectory.id');
  const rootFolderId = idWith('r-', rd.rootFolderId, 'resourceDirectory.rootFolderId');
  const masterAccountId = accountId(rd.masterAccountId, 'resourceDirectory.masterAccountId');
  const delegatedAdminAccountIds = list(rd.delegatedAdminAccountIds, 'resourceDirectory.delegatedAdminAccountIds').map((v, i) =>
    accountId(v, `resourceDirectory.delegatedAdminAccountIds[${i}]`),
  );

  const folderIds = new Set([rootFolderId]);
  const folders = list(json.folders, 'folders').map((f, i): AlibabaFolder => {
    const at = `folders[${i}]`;
    if (!isRecord(f)) throw new FixtureError(`${at}: expected an object`);
    const id = idWith('fd-', f.id, `${at}.id`);
    if (folderIds.has(id)) throw new FixtureError(`${at}.id: duplicate folder ID ${id}`);
    folderIds.add(id);
    return { id, name: plain(f.name, `${at}.name`, id), parentId: plain(f.parentId, `${at}.parentId`, rootFolderId), failures: failures(f.failures, `${at}.failures`) };
  });
  folders.forEach((f, i) => {
    if (!folderIds.has(f.parentId)) throw new FixtureError(`folders[${i}].parentId: ${f.parentId} is neither the root folder nor a folder`);
  });
  // A parent chain that loops would hang every path computation.
  for (const f of folders) {
    const seen = new Set<string>();
    for (let at: AlibabaFolder | undefined = f; at; at = folders.find((p) => p.id === at!.parentId)) {
      if (seen.has(at.id)) throw new FixtureError(`folders: ${f.id} is its own ancestor`);
      seen.add(at.id);
    }
  }

  const memberIds = new Set<string>();
  const accounts = list(json.accounts, 'accounts').map((a, i): AlibabaMember => {
    const at = `accounts[${i}]`;
    if (!isRecord(a)) throw new FixtureError(`${at}: expected an object`);
    const id = accountId(a.id, `${at}.id`);
    if (memberIds.has(id)) throw new FixtureError(`${at}.id: duplicate account ID ${id}`);
    memberIds.add(id);
    const folderId = plain(a.folderId, `${at}.folderId`, rootFolderId);
    if (!folderIds.has(folderId)) throw new FixtureError(`${at}.folderId: ${folderId} is neither the root folder nor a folder`);
    const secure = a.hasSecureMobilePhone;
    if (secure !== undefined && secure !== null && typeof secure !== 'boolean') throw new FixtureError(`${at}.hasSecureMobilePhone: expected true, false or null`);
    const deletion = a.deletionStatus;
    if (deletion !== undefined && deletion !== null && typeof deletion !== 'string') throw new FixtureError(`${at}.deletionStatus: expected a string or null`);
    return {
      id,
      displayName: plain(a.displayName, `${at}.displayName`, id),
      type: oneOf(a.type, MEMBER_TYPES, `${at}.type`, 'ResourceAccount'),
      folderId,
      status: plain(a.status, `${at}.status`, 'CreateSuccess'),
      deletionStatus: typeof deletion === 'string' && deletion !== '' ? deletion : null,
      hasSecureMobilePhone: secure === undefined ? true : (secure as boolean | null),
      emailStatus: plain(a.emailStatus, `${at}.emailStatus`, ''),
      failures: failures(a.failures, `${at}.failures`),
    };
  });
  if (!memberIds.has(masterAccountId)) {
    accounts.unshift({
      id: masterAccountId, displayName: 'management', type: 'CloudAccount', folderId: rootFolderId, status: 'CreateSuccess',
      deletionStatus: null, hasSecureMobilePhone: null, emailStatus: '', failures: {},
    });
    memberIds.add(masterAccountId);
  }
  delegatedAdminAccountIds.forEach((id, i) => {
    if (!memberIds.has(id)) throw new FixtureError(`resourceDirectory.delegatedAdminAccountIds[${i}]: ${id} is not one of accounts[].id`);
  });

  const targets = new Set([rdId, ...folderIds, ...memberIds]);
  const contactIds = new Set<string>();
  const contacts = list(json.contacts, 'contacts').map((c, i): AlibabaContact => {
    const at = `contacts[${i}]`;
    if (!isRecord(c)) throw new FixtureError(`${at}: expected an object`);
    const id = idWith('c-', c.id, `${at}.id`);
    if (contactIds.has(id)) throw new FixtureError(`${at}.id: duplicate contact ID ${id}`);
    contactIds.add(id);
    const members = list(c.members, `${at}.members`).map((m, j) => str(m, `${at}.members[${j}]`));
    members.forEach((m, j) => {
      if (!targets.has(m)) throw new FixtureError(`${at}.members[${j}]: ${m} is not the directory, a folder or a member`);
    });
    return {
      id,
      name: plain(c.name, `${at}.name`, ''),
      title: plain(c.title, `${at}.title`, ''),
      emailAddress: plain(c.emailAddress, `${at}.emailAddress`, ''),
      phoneNumber: plain(c.phoneNumber, `${at}.phoneNumber`, ''),
      messageTypes: list(c.messageTypes, `${at}.messageTypes`).map((t, j) => oneOf(t, MESSAGE_TYPES, `${at}.messageTypes[${j}]`)),
      members,
      status: oneOf(c.status, CONTACT_STATUSES, `${at}.status`, 'Active'),
    };
  });

  const accessKeys = list(json.accessKeys, 'accessKeys').map((k, i): AlibabaAccessKey => {
    const at = `accessKeys[${i}]`;
    if (!isRecord(k)) throw new FixtureError(`${at}: expected an object`);
    return { id: str(k.id, `${at}.id`), secret: str(k.secret, `${at}.secret`), accountId: accountId(k.accountId, `${at}.accountId`) };
  });

  return { resourceDirectory: { id: rdId, rootFolderId, masterAccountId, delegatedAdminAccountIds }, folders, accounts, contacts, accessKeys };
}

/** Reads and validates an Alibaba fixture file. */
export async function loadAlibabaFixture(path: string): Promise<AlibabaFixture> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new FixtureError(`alibaba fixture ${path}: cannot read the file`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new FixtureError(`alibaba fixture ${path}: not valid JSON (${errorText(cause)})`, { cause });
  }
  return parseAlibabaFixture(json);
}
