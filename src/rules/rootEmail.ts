/** ROOT_EMAIL_NOT_COMPANY_DOMAIN (issue 11): the root user's e-mail must be in a company domain. */
import type { Finding } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { emailDomain, isCompanyDomain, isValidEmail } from './email.ts';
import { quote } from './text.ts';

/**
 * The root e-mail is not a valid address in a company domain: the section's domains (else
 * `companyDomains`), subdomains as the section (else `allowSubdomains`) says. The same
 * normalisation as alternate contacts: look-alikes and `example.com.evil.io` fail.
 */
export function rootEmailNotCompanyDomain(email: string, policy: Pick<Policy, 'companyDomains' | 'allowSubdomains' | 'rootEmail'>): Finding | undefined {
  const companyDomains = policy.rootEmail?.companyDomains ?? policy.companyDomains;
  const allowSubdomains = policy.rootEmail?.allowSubdomains ?? policy.allowSubdomains;
  const address = email.trim();
  if (isValidEmail(address) && isCompanyDomain(emailDomain(address), { companyDomains, allowSubdomains })) return undefined;
  const scope = allowSubdomains ? `${companyDomains.join(', ')} or a subdomain` : companyDomains.join(', ');
  return {
    contactType: 'ROOT_EMAIL',
    code: 'ROOT_EMAIL_NOT_COMPANY_DOMAIN',
    message: `Root user e-mail ${quote(address)} is not an address in a company domain (${scope}); change it with StartPrimaryEmailUpdate`,
  };
}
