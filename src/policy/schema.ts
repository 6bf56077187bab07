/**
 * The policy file's schema (SPEC.md §2) in `zod/mini`: this code ships to Lambda, where the full
 * zod build is too big. Normalisation (company domains, numeric account IDs, keys typed by contact
 * type) happens here too, so the parsed value is the final policy, and its type, `Policy`
 * (./types.ts), is this schema's output.
 */
import * as z from 'zod/mini';
import { CONTACT_TYPES, FINDING_SUBJECTS, MESSAGE_TYPES, SECURE_MOBILE_PHONE, type ContactType } from '../model.ts';
import { normaliseCompanyDomain } from './domain.ts';
import { isCalendarDate } from './dates.ts';
import { UnsafePatternError, compileSafePattern } from './regex.ts';
import { errorText } from '../errors.ts';

const CONTACT_TYPE_LIST = CONTACT_TYPES.join(', ');

const contactType = z.enum(CONTACT_TYPES, { error: `expected one of ${CONTACT_TYPE_LIST}` });

const companyDomain = z.pipe(
  z.string(),
  z.transform((raw: string, ctx) => {
    const result = normaliseCompanyDomain(raw);
    if ('error' in result) {
      ctx.issues.push({ code: 'custom', message: result.error, input: raw });
      return z.NEVER;
    }
    return result.domain;
  }),
);

const companyDomains = z.pipe(
  z.array(companyDomain).check(z.minLength(1, 'expected at least one company domain')),
  // 'Example.com' and 'example.com.' are one domain once normalised.
  z.transform((domains: string[]) => [...new Set(domains)]),
);

const requiredContactTypes = z.array(contactType).check(
  z.minLength(1, `expected at least one of ${CONTACT_TYPE_LIST}`),
  z.refine((types) => new Set(types).size === types.length, 'contains a contact type twice'),
);

const phonePrefix = z.string().check(
  z.refine((prefix) => /[0-9]/.test(prefix), 'a phone prefix needs at least one digit'),
);

const phone = z.strictObject({
  allowedPrefixes: z._default(z.array(phonePrefix), []),
  /** Placeholder numbers (+1 000 000 0000, 123456789, all one digit) are PLACEHOLDER_PHONE unless this is false. */
  rejectPlaceholders: z.optional(z.boolean()),
});

/** Why a policy pattern cannot be used, or undefined: it compiles and can be matched in linear time (regex.ts). */
function patternProblem(pattern: string): string | undefined {
  try {
    compileSafePattern(pattern);
    return undefined;
  } catch (error) {
    const reason = errorText(error);
    return error instanceof UnsafePatternError ? `unsafe regular expression: ${reason}` : `not a valid regular expression (${reason})`;
  }
}

function isContactType(key: string): key is ContactType {
  return CONTACT_TYPES.some((type) => type === key);
}

/**
 * A mapping keyed by contact type (`emailLocalPartPatterns`, `expect`). An unknown key is an error
 * at that key, as is a value `problem` rejects; the output is typed by contact type.
 */
function byContactType<V extends z.core.SomeType>(value: V, problem: (value: z.output<V>) => string | undefined = () => undefined) {
  const unknownKey = `unknown contact type, expected one of ${CONTACT_TYPE_LIST}`;
  return z.pipe(
    z.record(z.string(), value),
    z.transform((entries: Record<string, z.output<V>>, ctx) => {
      const byType: Partial<Record<ContactType, z.output<V>>> = {};
      for (const [key, entry] of Object.entries(entries)) {
        // `continue`, as a refinement's issue has: the enclosing checks still run, so a bad key
        // of `overrides` is reported beside an unknown contact type inside it.
        if (!isContactType(key)) {
          ctx.issues.push({ code: 'custom', message: unknownKey, path: [key], input: key, continue: true });
          continue;
        }
        const reason = problem(entry);
        if (reason) ctx.issues.push({ code: 'custom', message: reason, path: [key], input: entry, continue: true });
        byType[key] = entry;
      }
      return byType;
    }),
  );
}

/** Per contact type, a regular expression its e-mail local part must match. */
const localPartPatterns = byContactType(z.string(), patternProblem);

const calendarDate = z.string().check(z.refine(isCalendarDate, 'expected a date YYYY-MM-DD'));

/**
 * An AWS account ID. YAML reads an unquoted `111122223333` as a number; that is unambiguous when it
 * has 12 digits, but a shorter number is an ID whose leading zeros YAML dropped.
 */
const accountId = z.pipe(
  z.union([z.string(), z.number()], { error: 'expected a 12-digit account ID in quotes' }),
  z.transform((value: string | number, ctx) => {
    const id = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof id === 'string' && /^\d{12}$/.test(id)) return id;
    const hint = typeof value === 'number' ? ' in quotes (an unquoted number loses its leading zeros)' : '';
    ctx.issues.push({ code: 'custom', message: `expected a 12-digit account ID${hint}`, input: value });
    return z.NEVER;
  }),
);

const findingSubject = z.enum(FINDING_SUBJECTS, { error: `expected one of ${FINDING_SUBJECTS.join(', ')}` });

const exemption = z.strictObject({
  accountId,
  /** Defaults to the three alternate contact types; `PRIMARY` and `ROOT_EMAIL` are covered only when listed. */
  contactTypes: z._default(
    z.array(findingSubject).check(z.minLength(1, 'expected at least one contact type (omit the key for all)')),
    () => [...CONTACT_TYPES],
  ),
  reason: z.string().check(z.refine((reason) => reason.trim() !== '', 'a reason is required')),
  /** YYYY-MM-DD; the exemption applies up to and including this day (UTC). */
  expires: calendarDate,
});

const messageType = z.enum(MESSAGE_TYPES, { error: `expected one of ${MESSAGE_TYPES.join(', ')}` });

/**
 * An Alibaba Cloud account ID (16 digits today). Unquoted, YAML reads it as a number that is
 * usually beyond 2^53 and so already wrong: it must be quoted.
 */
const alibabaMemberId = z.string({ error: 'expected an Alibaba Cloud account ID in quotes' }).check(
  z.refine((id) => /^\d{10,20}$/.test(id), 'expected an Alibaba Cloud account ID (digits) in quotes'),
);

/** The `alibaba` section (docs/alibaba.md); what it leaves out comes from the top level or the defaults there. */
const alibabaSection = z.strictObject({
  requiredMessageTypes: z._default(
    z.array(messageType).check(
      z.minLength(1, 'expected at least one message type'),
      z.refine((types) => new Set(types).size === types.length, 'contains a message type twice'),
    ),
    (): (typeof MESSAGE_TYPES)[number][] => ['SecurityMessage', 'AccountExpenses', 'FaultMessage'],
  ),
  companyDomains: z.optional(companyDomains),
  allowSubdomains: z.optional(z.boolean()),
  phone: z._default(phone, () => ({ allowedPrefixes: [] })),
  requireActiveContacts: z._default(z.boolean(), true),
  requireSecureMobilePhone: z._default(z.boolean(), true),
  exemptions: z._default(
    z.array(
      z.strictObject({
        memberId: alibabaMemberId,
        messageTypes: z.optional(z.array(z.union([messageType, z.literal(SECURE_MOBILE_PHONE)], { error: `expected one of ${MESSAGE_TYPES.join(', ')}, ${SECURE_MOBILE_PHONE}` })).check(z.minLength(1, 'expected at least one message type (omit the key for all)'))),
        reason: z.string().check(z.refine((reason) => reason.trim() !== '', 'a reason is required')),
        expires: calendarDate,
      }),
    ),
    () => [],
  ),
});

/** The `alibaba` section with every default, for a policy that has none (e.g. from `--domain`). */
export function alibabaSectionDefaults(): z.output<typeof alibabaSection> {
  return alibabaSection.parse({});
}

/** A regular expression, checked to compile and to match in linear time. */
const regex = () =>
  z.string().check(
    z.superRefine((pattern, ctx) => {
      const problem = patternProblem(pattern);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: pattern });
    }),
  );

const primaryContact = z.strictObject({
  /** Regular expression the CompanyName must match (required). */
  companyNamePattern: regex(),
  /** Defaults to the top-level `phone.allowedPrefixes`. */
  phone: z.optional(z.strictObject({ allowedPrefixes: z._default(z.array(phonePrefix), []) })),
  /**
   * PRIMARY_PHONE_NOT_VERIFIED when GetContactInformation says the phone is UNVERIFIED or PENDING.
   * Off by default: verifying needs the holder of the phone to take an SMS (AWS Account Management
   * API, SendPhoneNumberVerification), so turning it on is the organization's decision.
   */
  requireVerifiedPhone: z.optional(z.boolean()),
});

/** The `rootEmail` section; domains default to `companyDomains`, subdomains to `allowSubdomains`. */
const rootEmail = z.strictObject({
  companyDomains: z.optional(companyDomains),
  allowSubdomains: z.optional(z.boolean()),
  /**
   * Also read the most recent root e-mail update (GetPrimaryEmailUpdateStatus) and note one in
   * flight (PENDING) or FAILED. Off by default: it is one more call per account on GetPrimaryEmail's
   * budget of 3 per second, and a note judges nothing.
   */
  updateStatus: z.optional(z.boolean()),
});

const expectedContact = z.strictObject({
  name: z.optional(z.string()),
  title: z.optional(z.string()),
  emailAddress: z.optional(z.string()),
  phoneNumber: z.optional(z.string()),
});

/** Per contact type, the exact values expected (e-mail compared case-insensitively, phone on digits). */
const expect = byContactType(expectedContact);

/** The keys an override may set: the expectations, not the run's settings (exemptions, alert limits). */
const override = z.strictObject({
  companyDomains: z.optional(companyDomains),
  allowSubdomains: z.optional(z.boolean()),
  requiredContactTypes: z.optional(requiredContactTypes),
  phone: z.optional(phone),
  requireDistinctContacts: z.optional(z.boolean()),
  emailLocalPartPatterns: z.optional(localPartPatterns),
  primaryContact: z.optional(primaryContact),
  rootEmail: z.optional(rootEmail),
  expect: z.optional(expect),
});

/** Organizations ID patterns (API reference, ParentId / AccountId). */
const OVERRIDE_KEY = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/;

const overrides = z.record(z.string(), override).check(
  z.superRefine((values, ctx) => {
    for (const key of Object.keys(values)) {
      if (!OVERRIDE_KEY.test(key)) {
        ctx.addIssue({
          code: 'custom',
          message: 'expected an OU ID (ou-…), a root ID (r-…) or a 12-digit account ID in quotes',
          path: [key],
          input: key,
        });
      }
    }
  }),
);

/** The grace period of a new account when the policy sets none: one day. */
const DEFAULT_NEW_ACCOUNT_GRACE_HOURS = 24;
/** A year: a longer grace is a typo, not a policy. */
const MAX_NEW_ACCOUNT_GRACE_HOURS = 8760;

/** The evidence bound when the policy names none (docs/continuous.md). */
export const DEFAULT_MAX_EVIDENCE_AGE_DAYS = 7;

/** The whole policy file. Unknown keys are errors: a typo such as `companyDomain` must not silently give defaults. */
export const policySchema = z.strictObject({
  /** Lower-cased, ASCII (punycode) domains, no trailing dot. */
  companyDomains,
  allowSubdomains: z._default(z.boolean(), true),
  requiredContactTypes: z._default(requiredContactTypes, () => [...CONTACT_TYPES]),
  phone: z._default(phone, () => ({ allowedPrefixes: [] })),
  requireDistinctContacts: z._default(z.boolean(), false),
  emailLocalPartPatterns: z._default(localPartPatterns, () => ({})),
  exemptions: z._default(z.array(exemption), () => []),
  /** §8: the most per-account alerts one sweep sends; the summary lists the rest. Default 25. */
  maxAlertsPerSweep: z._default(
    z.number().check(z.refine((n) => Number.isInteger(n) && n >= 0, 'expected a whole number ≥ 0')),
    25,
  ),
  /**
   * The oldest evidence a report may judge an account on, in days (docs/continuous.md): `sweep
   * --incremental` re-reads a rolling slice so none gets older. Absent: 7 (DEFAULT_MAX_EVIDENCE_AGE_DAYS);
   * left out rather than defaulted so that the hash of a policy without it stays what it was.
   */
  maxEvidenceAgeDays: z.optional(z.number().check(z.refine((n) => Number.isInteger(n) && n >= 1, 'expected a whole number ≥ 1'))),
  /** The `alibaba` section (Alibaba Cloud Resource Directory, docs/alibaba.md); absent when the file has none. */
  alibaba: z.optional(alibabaSection),
  /** Checks of the primary contact (GetContactInformation); absent: not read. */
  primaryContact: z.optional(primaryContact),
  /** Checks of the root user's e-mail address (GetPrimaryEmail); absent: not read. */
  rootEmail: z.optional(rootEmail),
  /** Exact values some alternate contacts must have (CONTACT_VALUE_MISMATCH). */
  expect: z.optional(expect),
  /** Other expectations by OU ID (`ou-…`, inherited down the tree, nearest wins), root ID (`r-…`) or account ID. */
  overrides: z.optional(overrides),
  /** EMAIL_REUSED_ACROSS_ACCOUNTS when one personal address is a contact of more than this many accounts; absent: off. */
  maxAccountsPerPersonalAddress: z.optional(
    z.number().check(z.refine((n) => Number.isInteger(n) && n >= 1, 'expected a whole number ≥ 1')),
  ),
  /** Local-part regular expressions of team or role mailboxes, which may be shared by any number of accounts. */
  teamMailboxPatterns: z.optional(z.array(regex())),
  /**
   * Hours a new account has to get its contacts right before NEW_ACCOUNT_NOT_COMPLIANT (README,
   * "New accounts"); absent: {@link DEFAULT_NEW_ACCOUNT_GRACE_HOURS}. Optional rather than a default
   * so a policy that does not set it keeps its hash.
   */
  newAccountGraceHours: z.optional(
    z.number().check(z.refine((n) => Number.isFinite(n) && n >= 0 && n <= MAX_NEW_ACCOUNT_GRACE_HOURS, `expected a number of hours from 0 to ${MAX_NEW_ACCOUNT_GRACE_HOURS}`)),
  ),
});

/** The policy's grace period of a new account, in hours (its `newAccountGraceHours`, else 24). */
export function newAccountGraceHours(policy: { newAccountGraceHours?: number | undefined }): number {
  return policy.newAccountGraceHours ?? DEFAULT_NEW_ACCOUNT_GRACE_HOURS;
}
