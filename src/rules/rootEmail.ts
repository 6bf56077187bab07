/** ROOT_EMAIL_NOT_COMPANY_DOMAIN: the root user's e-mail must be in a company domain. */
import type { Finding } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { echoAddress, emailDomain, emailProblem, isCompanyDomain, trimAscii } from './email.ts';

/**
 * The root e-mail is not a valid address in a company domain: the section's domains (else
 * `companyDomains`), subdomains as the section (else `allowSubdomains`) says. Judged exactly as an
 * alternate contact's address ({@link emailProblem}): only ASCII white space may surround it, so
 * BOM, NBSP or U+3000 around or inside it fail, as do look-alikes and `example.com.evil.io`.
 */
export function rootEmailNotCompanyDomain(email: string, policy: Pick<Policy, 'companyDomains' | 'allowSubdomains' | 'rootEmail'>): Finding | undefined {
  const companyDomains = policy.rootEmail?.companyDomains ?? policy.companyDomains;
  const allowSubdomains = policy.rootEmail?.allowSubdomains ?? policy.allowSubdomains;
  const problem = emailProblem(email);
  if (problem === undefined && isCompanyDomain(emailDomain(trimAscii(email)), { companyDomains, allowSubdomains })) return undefined;
  const scope = allowSubdomains ? `${companyDomains.join(', ')} or a subdomain` : companyDomains.join(', ');
  return {
    contactType: 'ROOT_EMAIL',
    code: 'ROOT_EMAIL_NOT_COMPANY_DOMAIN',
    message: `Root user e-mail ${echoAddress(email)} ${problem?.reason ?? `is not an address in a company domain (${scope})`}; change it with StartPrimaryEmailUpdate`,
  };
}
