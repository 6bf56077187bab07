/** The evaluation rules (SPEC.md §3), one function per finding code, and the account evaluation. */
export { evaluateAccount, applyOrganizationRules, accountStatus, isInactive, skippedAccount, INACTIVE_STATES } from './evaluate.ts';
export { missingContact, checkFailed } from './contact.ts';
export { invalidEmail, emailNotCompanyDomain, emailPatternMismatch, isValidEmail, emailDomain, isCompanyDomain } from './email.ts';
export { invalidPhone, phoneNotCompany, isValidPhone, phoneDigits } from './phone.ts';
export { contactsNotDistinct } from './distinct.ts';
export { applyExemptions, isExemptionValid } from './exemptions.ts';
export { isPlaceholderPhone, placeholderPhone } from './placeholder.ts';
export {
  primaryContactMissing,
  primaryContactCompanyNameMismatch,
  primaryContactInvalidPhone,
  primaryContactPhoneNotCompany,
  primaryContactPlaceholderPhone,
  primaryContactFindings,
  isValidPrimaryPhone,
} from './primary.ts';
export { rootEmailNotCompanyDomain } from './rootEmail.ts';
export { contactValueMismatch } from './expect.ts';
export { emailReusedAcrossAccounts, isTeamMailbox } from './reuse.ts';
