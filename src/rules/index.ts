/** The evaluation rules (SPEC.md §3), one function per finding code, and the account evaluation. */
export { evaluateAccount, accountStatus, isInactive, skippedAccount, INACTIVE_STATES } from './evaluate.ts';
export { missingContact, checkFailed } from './contact.ts';
export { invalidEmail, emailNotCompanyDomain, emailPatternMismatch, isValidEmail, emailDomain, isCompanyDomain } from './email.ts';
export { invalidPhone, phoneNotCompany, isValidPhone, phoneDigits } from './phone.ts';
export { contactsNotDistinct } from './distinct.ts';
export { applyExemptions, isExemptionValid } from './exemptions.ts';
