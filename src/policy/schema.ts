/**
 * The policy file's schema (SPEC.md §2) in `zod/mini`: this code ships to Lambda, where the full
 * zod build is too big. Normalisation (company domains, numeric account IDs) happens here too, so
 * the parsed value is the final {@link Policy}.
 */
import * as z from 'zod/mini';
import { CONTACT_TYPES, FINDING_SUBJECTS } from '../model.ts';
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

const localPartPatterns = z.record(z.string(), z.string()).check(
  z.superRefine((patterns, ctx) => {
    for (const [key, pattern] of Object.entries(patterns)) {
      if (!(CONTACT_TYPES as readonly string[]).includes(key)) {
        ctx.addIssue({ code: 'custom', message: `unknown contact type, expected one of ${CONTACT_TYPE_LIST}`, path: [key], input: key });
        continue;
      }
      const problem = patternProblem(pattern);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [key], input: pattern });
    }
  }),
);

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
  contactTypes: z._default(
    z.array(findingSubject).check(z.minLength(1, 'expected at least one contact type (omit the key for all)')),
    () => [...CONTACT_TYPES],
  ),
  reason: z.string().check(z.refine((reason) => reason.trim() !== '', 'a reason is required')),
  expires: calendarDate,
});

/** Message types of Alibaba Cloud message contacts (ListMessageContacts `MessageTypes`). */
export const ALIBABA_MESSAGE_TYPES = [
  'ServiceMessage',
  'FaultMessage',
  'AccountExpenses',
  'SecurityMessage',
  'ActivityMessage',
  'ProductMessage',
] as const;
const messageType = z.enum(ALIBABA_MESSAGE_TYPES, { error: `expected one of ${ALIBABA_MESSAGE_TYPES.join(', ')}` });

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
    (): (typeof ALIBABA_MESSAGE_TYPES)[number][] => ['SecurityMessage', 'AccountExpenses', 'FaultMessage'],
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
        messageTypes: z.optional(z.array(z.union([messageType, z.literal('SecureMobilePhone')], { error: `expected one of ${ALIBABA_MESSAGE_TYPES.join(', ')}, SecureMobilePhone` })).check(z.minLength(1, 'expected at least one message type (omit the key for all)'))),
        reason: z.string().check(z.refine((reason) => reason.trim() !== '', 'a reason is required')),
        expires: calendarDate,
      }),
    ),
    () => [],
  ),
});

/** A regular expression, checked to compile and to match in linear time. */
const regex = () =>
  z.string().check(
    z.superRefine((pattern, ctx) => {
      const problem = patternProblem(pattern);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: pattern });
    }),
  );

const primaryContact = z.strictObject({
  companyNamePattern: regex(),
  phone: z.optional(z.strictObject({ allowedPrefixes: z._default(z.array(phonePrefix), []) })),
});

const rootEmail = z.strictObject({
  companyDomains: z.optional(companyDomains),
  allowSubdomains: z.optional(z.boolean()),
});

const expectedContact = z.strictObject({
  name: z.optional(z.string()),
  title: z.optional(z.string()),
  emailAddress: z.optional(z.string()),
  phoneNumber: z.optional(z.string()),
});

const expect = z.record(z.string(), expectedContact).check(
  z.superRefine((values, ctx) => {
    for (const key of Object.keys(values)) {
      if (!(CONTACT_TYPES as readonly string[]).includes(key)) {
        ctx.addIssue({ code: 'custom', message: `unknown contact type, expected one of ${CONTACT_TYPE_LIST}`, path: [key], input: key });
      }
    }
  }),
);

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

/** The whole policy file. Unknown keys are errors: a typo such as `companyDomain` must not silently give defaults. */
export const policySchema = z.strictObject({
  companyDomains,
  allowSubdomains: z._default(z.boolean(), true),
  requiredContactTypes: z._default(requiredContactTypes, () => [...CONTACT_TYPES]),
  phone: z._default(phone, () => ({ allowedPrefixes: [] })),
  requireDistinctContacts: z._default(z.boolean(), false),
  emailLocalPartPatterns: z._default(localPartPatterns, () => ({})),
  exemptions: z._default(z.array(exemption), () => []),
  maxAlertsPerSweep: z._default(
    z.number().check(z.refine((n) => Number.isInteger(n) && n >= 0, 'expected a whole number ≥ 0')),
    25,
  ),
  alibaba: z.optional(alibabaSection),
  primaryContact: z.optional(primaryContact),
  rootEmail: z.optional(rootEmail),
  expect: z.optional(expect),
  overrides: z.optional(overrides),
  maxAccountsPerPersonalAddress: z.optional(
    z.number().check(z.refine((n) => Number.isInteger(n) && n >= 1, 'expected a whole number ≥ 1')),
  ),
  teamMailboxPatterns: z.optional(z.array(regex())),
});
