/**
 * AWS Account Management (restJson1): Get/Put/DeleteAlternateContact with the organizations-context
 * rules, input validation, per-caller quotas and CloudTrail recording of the reference guide.
 */
import { CONTACT_TYPES, type Contact, type ContactType, type PrimaryContact } from '../shapes.ts';
import { header, jsonObjectBody, restJsonError, restJsonReply, type Reply, type RequestContext, type ServiceHandler } from '../protocol.ts';
import type { Store } from '../store.ts';

const PATHS: Record<string, string> = {
  '/getAlternateContact': 'GetAlternateContact',
  '/putAlternateContact': 'PutAlternateContact',
  '/deleteAlternateContact': 'DeleteAlternateContact',
  '/getContactInformation': 'GetContactInformation',
  '/putContactInformation': 'PutContactInformation',
  '/getPrimaryEmail': 'GetPrimaryEmail',
  '/startPrimaryEmailUpdate': 'StartPrimaryEmailUpdate',
  '/acceptPrimaryEmailUpdate': 'AcceptPrimaryEmailUpdate',
  '/getPrimaryEmailUpdateStatus': 'GetPrimaryEmailUpdateStatus',
};

/** Operations on the primary contact and the root e-mail (API reference), handled apart from the alternate contacts. */
const SURFACE_OPERATIONS = new Set(['GetContactInformation', 'PutContactInformation', 'GetPrimaryEmail', 'StartPrimaryEmailUpdate', 'AcceptPrimaryEmailUpdate', 'GetPrimaryEmailUpdateStatus']);

/** What CloudTrail logs in place of a sensitive request field. */
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Guide, "Quotas for AWS Account Management": per account, [rate per second, burst]. */
const ACCOUNT_QUOTAS: Record<string, [number, number]> = {
  GetAlternateContact: [10, 15],
  PutAlternateContact: [5, 8],
  DeleteAlternateContact: [1, 2],
  // AWS Account Management "Quotas" (current edition of the guide).
  GetContactInformation: [10, 15],
  PutContactInformation: [5, 8],
  GetPrimaryEmail: [3, 3],
  StartPrimaryEmailUpdate: [1, 1],
  AcceptPrimaryEmailUpdate: [1, 1],
  // No quota is published for it (the reference guide's "Quotas" lists none): GetPrimaryEmail's.
  GetPrimaryEmailUpdateStatus: [3, 3],
};

/** StartPrimaryEmailUpdate: at most 3 requests per target account in 30 seconds. */
const START_PER_TARGET = { requests: 3, windowMs: 30_000 } as const;

/**
 * The current Account API model (botocore account/2021-02-01, shape EmailAddress): max 254 and
 * `[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*`, matched against the whole value. \w and \s are the
 * ASCII classes of the Java regex the service uses, so they are spelled out (JS \s would also take NBSP, U+2028…).
 */
const EMAIL_PATTERN = /^[ \t\n\x0B\f\r]*[A-Za-z0-9_+=.#|!&-]+@[A-Za-z0-9_.-]+\.[A-Za-z0-9_]+[ \t\n\x0B\f\r]*$/;
const EMAIL = EMAIL_PATTERN;
/** Shape PhoneNumber: `[\s0-9()+-]+`, 1–25. Name (1–64) and Title (1–50) have no pattern. */
const PHONE = /^[ \t\n\x0B\f\r0-9()+-]+$/;
const ACCOUNT_ID = /^\d{12}$/;

const MANAGEMENT_ACCOUNT_DENIED =
  'You do not have permission to perform this operation on the specified account. ' +
  '(The management account can only be managed using the standalone context from the management account.)';

class ServiceError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

interface FieldError {
  name: string;
  message: string;
}

function validationError(errors: FieldError[]): ServiceError {
  const message = `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.map((e) => e.message).join('; ')}`;
  return new ServiceError('ValidationException', 400, message, { reason: 'fieldValidationFailed', fieldList: errors });
}

/** Milliseconds on a monotonic clock: what the quotas refill by. */
export type Clock = () => number;

/** A token bucket: `rate` per second, at most `burst` at once (how AWS describes its API quotas). */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: Clock = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = this.now();
  }
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class AccountService implements ServiceHandler {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly store: Store,
    private readonly quotaScale: number,
    private readonly now: Clock = () => performance.now(),
  ) {}

  operation(ctx: RequestContext): string {
    const byPath = PATHS[ctx.url.pathname];
    if (byPath) return byPath;
    // The guide's samples show the older X-Amz-Target form; answer it too.
    const target = header(ctx.headers, 'x-amz-target');
    const op = target?.startsWith('AWSAccountV20210201.') ? target.slice('AWSAccountV20210201.'.length) : undefined;
    return op && Object.values(PATHS).includes(op) ? op : 'Unknown';
  }

  internalError(ctx: RequestContext): Reply {
    return restJsonError(ctx, 'InternalServerException', 500, 'An internal error occurred.');
  }

  throttle(ctx: RequestContext): Reply {
    return restJsonError(ctx, 'TooManyRequestsException', 429, 'Rate exceeded');
  }

  /** False when the caller's bucket for this operation is empty (quotas are per calling account). */
  withinQuota(ctx: RequestContext, op: string): boolean {
    const quota = ACCOUNT_QUOTAS[op];
    if (!quota) return true;
    const key = `${ctx.callerAccountId}/${op}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(quota[0] * this.quotaScale, Math.max(1, quota[1] * this.quotaScale), this.now);
      this.buckets.set(key, bucket);
    }
    return bucket.take();
  }

  handle(ctx: RequestContext, op: string): Reply {
    if (op === 'Unknown') {
      return restJsonError(ctx, 'UnknownOperationException', 400, `The operation ${ctx.method} ${ctx.url.pathname} is not supported by this endpoint.`);
    }
    if (!this.withinQuota(ctx, op)) {
      this.store.countThrottle(op);
      return this.throttle(ctx);
    }
    const input = jsonObjectBody(ctx);
    if (!input) return restJsonError(ctx, 'SerializationException', 400, 'Could not parse the request body as a JSON object.');
    const orgContext = input.AccountId !== undefined && input.AccountId !== null;
    const params = this.trailParameters(op, input, orgContext);
    // Every call is recorded, allowed or denied; reads with readOnly: true (the guide's Example 1).
    const readOnly = op.startsWith('Get');
    try {
      const reply = SURFACE_OPERATIONS.has(op) ? this.dispatchSurface(ctx, op, input, orgContext) : this.dispatch(ctx, op, input, orgContext);
      this.store.recordAccountEvent(ctx, op, params, undefined, readOnly);
      return reply;
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e;
      this.store.recordAccountEvent(ctx, op, params, { code: e.code, message: e.message }, readOnly);
      return restJsonError(ctx, e.code, e.status, e.message, e.extra);
    }
  }

  /** CloudTrail requestParameters: never the phone number, which CloudTrail does not log. */
  private trailParameters(op: string, input: Record<string, unknown>, orgContext: boolean): Record<string, unknown> {
    const p: Record<string, unknown> = {};
    if (op === 'PutAlternateContact') {
      for (const [from, to] of [['Name', 'name'], ['EmailAddress', 'emailAddress'], ['Title', 'title']] as const) {
        if (input[from] !== undefined) p[to] = input[from];
      }
    }
    if (input.AlternateContactType !== undefined) p.alternateContactType = input.AlternateContactType;
    // Every field of ContactInformation, the new primary e-mail and the OTP are sensitive in the API model.
    if (op === 'PutContactInformation' && input.ContactInformation !== undefined) p.contactInformation = HIDDEN;
    if ((op === 'StartPrimaryEmailUpdate' || op === 'AcceptPrimaryEmailUpdate') && input.PrimaryEmail !== undefined) p.primaryEmail = HIDDEN;
    if (op === 'AcceptPrimaryEmailUpdate' && input.Otp !== undefined) p.otp = HIDDEN;
    if (orgContext) p.accountId = input.AccountId;
    return p;
  }

  /** The primary contact and the root e-mail: the same context rules, their own validation. */
  private dispatchSurface(ctx: RequestContext, op: string, input: Record<string, unknown>, orgContext: boolean): Reply {
    const errors: FieldError[] = [];
    // GetPrimaryEmailUpdateStatus's AccountId is optional in the SDK's model, but the operation is
    // only for a member account, named by the management account or delegated admin (API reference).
    const needsAccountId = op === 'GetPrimaryEmail' || op === 'StartPrimaryEmailUpdate' || op === 'AcceptPrimaryEmailUpdate' || op === 'GetPrimaryEmailUpdateStatus';
    if (needsAccountId && !orgContext) {
      errors.push({ name: 'AccountId', message: "Value null at 'accountId' failed to satisfy constraint: Member must not be null" });
    } else if (orgContext && (typeof input.AccountId !== 'string' || !ACCOUNT_ID.test(input.AccountId))) {
      errors.push({ name: 'AccountId', message: "Value at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d{12}" });
    }
    if (op === 'PutContactInformation') errors.push(...validateContactInformation(input.ContactInformation));
    if (op === 'StartPrimaryEmailUpdate' || op === 'AcceptPrimaryEmailUpdate') errors.push(...validatePrimaryEmail(input.PrimaryEmail));
    if (op === 'AcceptPrimaryEmailUpdate' && (typeof input.Otp !== 'string' || !/^[a-zA-Z0-9]{6}$/.test(input.Otp))) {
      errors.push({ name: 'Otp', message: "Value at 'otp' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9]{6}" });
    }
    if (errors.length > 0) throw validationError(errors);

    const accountId = orgContext ? (input.AccountId as string) : undefined;
    switch (op) {
      case 'GetContactInformation': {
        const info = this.contactInformation(ctx, accountId);
        if (!info) throw new ServiceError('ResourceNotFoundException', 404, 'No contact information found for this account.');
        // VerificationStatus (SDK model) only when the fixture sets it: the AWS CLI's botocore model here has no such member.
        const verification = accountId === undefined ? this.store.accounts.get(ctx.callerAccountId)?.phoneVerificationStatus : this.store.accounts.get(accountId)?.phoneVerificationStatus;
        return restJsonReply(ctx, { ContactInformation: toWire(info), ...(verification ? { VerificationStatus: verification } : {}) });
      }
      case 'PutContactInformation': {
        const info = fromWire(input.ContactInformation as Record<string, unknown>);
        const target = accountId === undefined ? this.store.accounts.get(ctx.callerAccountId) : this.member(ctx, accountId);
        if (target) {
          // A new number has not been verified (API reference, GetContactInformation: VerificationStatus).
          if (target.phoneVerificationStatus !== undefined && target.contactInformation?.phoneNumber !== info.phoneNumber) target.phoneVerificationStatus = 'UNVERIFIED';
          target.contactInformation = info;
        } else {
          this.store.standaloneContactInformation.set(ctx.callerAccountId, info);
        }
        return restJsonReply(ctx);
      }
      case 'GetPrimaryEmail':
        return restJsonReply(ctx, { PrimaryEmail: this.member(ctx, accountId!).email });
      case 'StartPrimaryEmailUpdate': {
        const account = this.member(ctx, accountId!);
        const email = input.PrimaryEmail as string;
        const taken = [...this.store.accounts.values()].some((a) => a.id !== account.id && a.email.toLowerCase() === email.toLowerCase());
        if (taken) throw new ServiceError('ConflictException', 409, 'The email address is already in use by another AWS account.');
        if (!this.withinStartWindow(account.id, ctx.now.getTime())) {
          throw new ServiceError('TooManyRequestsException', 429, 'Too many StartPrimaryEmailUpdate requests for this account; try again later.');
        }
        // The OTP AWS e-mails to the new address; the emulator shows it in GET /_emulator/state.
        const otp = String(100_000 + (Number(account.id.slice(-5)) % 900_000)).slice(0, 6);
        this.store.pendingEmailUpdates.set(account.id, { accountId: account.id, primaryEmail: email, otp });
        account.primaryEmailUpdate = { status: 'PENDING', updatedAt: ctx.now.toISOString() };
        return restJsonReply(ctx, { Status: 'PENDING' });
      }
      case 'GetPrimaryEmailUpdateStatus': {
        const update = this.member(ctx, accountId!).primaryEmailUpdate;
        if (!update) throw new ServiceError('ResourceNotFoundException', 404, 'No primary email update request was found for this account.');
        // restJson1 timestamps are epoch seconds unless the model says otherwise.
        return restJsonReply(ctx, { Status: update.status, ...(update.updatedAt ? { UpdatedAt: Date.parse(update.updatedAt) / 1000 } : {}) });
      }
      default: {
        const account = this.member(ctx, accountId!);
        const pending = this.store.pendingEmailUpdates.get(account.id);
        if (!pending) throw new ServiceError('ResourceNotFoundException', 404, 'No primary email update request was found for this account.');
        if (pending.primaryEmail !== input.PrimaryEmail || pending.otp !== input.Otp) {
          // The model's ValidationExceptionReason knows only invalidRegionOptTarget and fieldValidationFailed;
          // a wrong OTP is a field that failed validation, so it names the field.
          throw new ServiceError('ValidationException', 400, 'The OTP or the email address does not match the update request.', {
            reason: 'fieldValidationFailed',
            fieldList: [{ name: pending.otp !== input.Otp ? 'Otp' : 'PrimaryEmail', message: 'does not match the pending update request' }],
          });
        }
        account.email = pending.primaryEmail;
        this.store.pendingEmailUpdates.delete(account.id);
        account.primaryEmailUpdate = { status: 'ACCEPTED', updatedAt: ctx.now.toISOString() };
        return restJsonReply(ctx, { Status: 'ACCEPTED' });
      }
    }
  }

  private readonly startTimes = new Map<string, number[]>();

  private withinStartWindow(accountId: string, now: number): boolean {
    const recent = (this.startTimes.get(accountId) ?? []).filter((t) => now - t < START_PER_TARGET.windowMs);
    if (recent.length >= START_PER_TARGET.requests) return false;
    recent.push(now);
    this.startTimes.set(accountId, recent);
    return true;
  }

  /** GetContactInformation's target: the caller itself (standalone) or a member named by the management account or delegated admin. */
  private contactInformation(ctx: RequestContext, accountId: string | undefined): PrimaryContact | null | undefined {
    if (accountId === undefined) {
      const own = this.store.accounts.get(ctx.callerAccountId);
      return own ? own.contactInformation : this.store.standaloneContactInformation.get(ctx.callerAccountId);
    }
    return this.member(ctx, accountId).contactInformation;
  }

  /** A member account in organizations context, with the same rules as the alternate contacts. */
  private member(ctx: RequestContext, accountId: string) {
    this.resolveTarget(ctx, accountId);
    return this.store.accounts.get(accountId)!;
  }

  private dispatch(ctx: RequestContext, op: string, input: Record<string, unknown>, orgContext: boolean): Reply {
    const errors: FieldError[] = [];
    if (orgContext && (typeof input.AccountId !== 'string' || !ACCOUNT_ID.test(input.AccountId))) {
      errors.push({ name: 'AccountId', message: "Value at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\d{12}$" });
    }
    const type = input.AlternateContactType;
    if (type === undefined || type === null) {
      errors.push({ name: 'AlternateContactType', message: "Value null at 'alternateContactType' failed to satisfy constraint: Member must not be null" });
    } else if (typeof type !== 'string' || !(CONTACT_TYPES as readonly string[]).includes(type)) {
      errors.push({
        name: 'AlternateContactType',
        message: `Value '${String(type)}' at 'alternateContactType' failed to satisfy constraint: Member must satisfy enum value set: [SECURITY, OPERATIONS, BILLING]`,
      });
    }
    if (op === 'PutAlternateContact') errors.push(...validateContact(input));
    if (errors.length > 0) throw validationError(errors);

    const target = this.resolveTarget(ctx, orgContext ? (input.AccountId as string) : undefined);
    const contactType = type as ContactType;
    switch (op) {
      case 'GetAlternateContact': {
        const c = target[contactType];
        if (!c) throw new ServiceError('ResourceNotFoundException', 404, 'No contact of the inputted alternate contact type found.');
        return restJsonReply(ctx, {
          AlternateContact: { AlternateContactType: contactType, EmailAddress: c.emailAddress, Name: c.name, PhoneNumber: c.phoneNumber, Title: c.title },
        });
      }
      case 'PutAlternateContact':
        target[contactType] = {
          name: input.Name as string,
          title: input.Title as string,
          emailAddress: input.EmailAddress as string,
          phoneNumber: input.PhoneNumber as string,
        } satisfies Contact;
        return restJsonReply(ctx);
      default: {
        if (!target[contactType]) throw new ServiceError('ResourceNotFoundException', 404, 'No contact of the inputted alternate contact type found.');
        target[contactType] = null;
        return restJsonReply(ctx);
      }
    }
  }

  /**
   * Guide, "Understanding API modes of operation": no AccountId → the caller's own account;
   * with AccountId → only the management account or the delegated admin, trusted access on, a member
   * account of the organization, never the management account (only the delegated admin may name itself).
   */
  private resolveTarget(ctx: RequestContext, accountId: string | undefined): Partial<Record<ContactType, Contact | null>> {
    if (accountId === undefined) return this.store.ownContacts(ctx.callerAccountId);
    const org = this.store.organization;
    const caller = ctx.callerAccountId;
    const isManagement = caller === org.managementAccountId;
    const isDelegatedAdmin = org.delegatedAdminAccountId !== undefined && caller === org.delegatedAdminAccountId;
    if (!isManagement && !isDelegatedAdmin) {
      throw new ServiceError(
        'AccessDeniedException',
        403,
        `User: ${this.store.identity(ctx).arn} is not authorized to perform this operation in organizations context: ` +
          'only the management account or the delegated administrator for account.amazonaws.com may specify AccountId.',
      );
    }
    if (!org.trustedAccess) {
      throw new ServiceError(
        'AccessDeniedException',
        403,
        'The request failed because trusted access for account.amazonaws.com (AWS Account Management) is not enabled in AWS Organizations.',
      );
    }
    const account = this.store.accounts.get(accountId);
    if (!account) {
      throw new ServiceError('AccessDeniedException', 403, `The account ${accountId} is not a member of organization ${org.id}.`);
    }
    if (accountId === org.managementAccountId) throw new ServiceError('AccessDeniedException', 403, MANAGEMENT_ACCOUNT_DENIED);
    return account.contacts;
  }
}

const INFO_FIELDS: [string, string, number, boolean][] = [
  ['FullName', 'fullName', 50, true],
  ['AddressLine1', 'addressLine1', 60, true],
  ['AddressLine2', 'addressLine2', 60, false],
  ['AddressLine3', 'addressLine3', 60, false],
  ['City', 'city', 50, true],
  ['StateOrRegion', 'stateOrRegion', 50, false],
  ['DistrictOrCounty', 'districtOrCounty', 50, false],
  ['PostalCode', 'postalCode', 20, true],
  ['CountryCode', 'countryCode', 2, true],
  ['PhoneNumber', 'phoneNumber', 20, true],
  ['CompanyName', 'companyName', 50, false],
  ['WebsiteUrl', 'websiteUrl', 256, false],
];

/** API model, ContactInformation: required fields, lengths, the phone pattern; StateOrRegion where the model requires it. */
function validateContactInformation(raw: unknown): FieldError[] {
  if (raw === undefined || raw === null) {
    return [{ name: 'ContactInformation', message: "Value null at 'contactInformation' failed to satisfy constraint: Member must not be null" }];
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) return [{ name: 'ContactInformation', message: "Value at 'contactInformation' failed to satisfy constraint: Member must be a structure" }];
  const info = raw as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const [field, wire, max, required] of INFO_FIELDS) {
    const v = info[field];
    const at = `contactInformation.${wire}`;
    if (v === undefined || v === null) {
      if (required) errors.push({ name: field, message: `Value null at '${at}' failed to satisfy constraint: Member must not be null` });
    } else if (typeof v !== 'string') {
      errors.push({ name: field, message: `Value at '${at}' failed to satisfy constraint: Member must be a string` });
    } else if (v.length < (field === 'CountryCode' ? 2 : 1) || v.length > max) {
      errors.push({ name: field, message: `Value at '${at}' failed to satisfy constraint: Member must have length between ${field === 'CountryCode' ? 2 : 1} and ${max}` });
    } else if (field === 'PhoneNumber' && !/^[+][\s0-9()-]+$/.test(v)) {
      errors.push({ name: field, message: `Value at '${at}' failed to satisfy constraint: Member must satisfy regular expression pattern: [+][\\s0-9()-]+` });
    }
  }
  const country = typeof info.CountryCode === 'string' ? info.CountryCode.toUpperCase() : '';
  if (['US', 'CA', 'GB', 'DE', 'JP', 'IN', 'BR'].includes(country) && (info.StateOrRegion === undefined || info.StateOrRegion === null)) {
    errors.push({ name: 'StateOrRegion', message: `StateOrRegion is required when CountryCode is ${country}` });
  }
  return errors;
}

function validatePrimaryEmail(v: unknown): FieldError[] {
  if (v === undefined || v === null) return [{ name: 'PrimaryEmail', message: "Value null at 'primaryEmail' failed to satisfy constraint: Member must not be null" }];
  if (typeof v !== 'string' || v.length < 5 || v.length > 64) {
    return [{ name: 'PrimaryEmail', message: "Value at 'primaryEmail' failed to satisfy constraint: Member must have length between 5 and 64" }];
  }
  if (!EMAIL.test(v)) return [{ name: 'PrimaryEmail', message: "Value at 'primaryEmail' failed to satisfy constraint: Member must be a valid email address" }];
  return [];
}

const WIRE_NAMES: [keyof PrimaryContact, string][] = INFO_FIELDS.map(([field, wire]) => [wire as keyof PrimaryContact, field]);

function toWire(info: PrimaryContact): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, field] of WIRE_NAMES) if (info[key] !== undefined) out[field] = info[key];
  return out;
}

function fromWire(raw: Record<string, unknown>): PrimaryContact {
  const out: Record<string, string> = {};
  for (const [key, field] of WIRE_NAMES) if (typeof raw[field] === 'string') out[key] = raw[field];
  return out as unknown as PrimaryContact;
}

function validateContact(input: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const fields: [string, string, number][] = [
    ['EmailAddress', 'emailAddress', 254],
    ['Name', 'name', 64],
    ['PhoneNumber', 'phoneNumber', 25],
    ['Title', 'title', 50],
  ];
  for (const [field, wire, max] of fields) {
    const v = input[field];
    if (v === undefined || v === null) {
      errors.push({ name: field, message: `Value null at '${wire}' failed to satisfy constraint: Member must not be null` });
    } else if (typeof v !== 'string') {
      errors.push({ name: field, message: `Value at '${wire}' failed to satisfy constraint: Member must be a string` });
    } else if (v.length < 1 || v.length > max) {
      errors.push({ name: field, message: `Value at '${wire}' failed to satisfy constraint: Member must have length between 1 and ${max}` });
    } else if (field === 'EmailAddress' && !EMAIL.test(v)) {
      errors.push({ name: field, message: `Value at '${wire}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\s]*[\\w+=.#|!&-]+@[\\w.-]+\\.[\\w]+[\\s]*` });
    } else if (field === 'PhoneNumber' && !PHONE.test(v)) {
      errors.push({ name: field, message: `Value at '${wire}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\s0-9()+-]+` });
    }
  }
  return errors;
}
