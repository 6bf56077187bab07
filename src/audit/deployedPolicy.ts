import { PolicyError, parsePolicyText, policyFromDomains } from '../policy/load.ts';
import type { Policy } from '../policy/types.ts';
import type { ReportStorage } from './storage.ts';

/** Where the deployed stack looks for its policy, most specific first. */
export interface DeployedPolicySource {
  /** Key of the policy object (YAML or JSON) in the report bucket, e.g. `config/policy.yaml`. */
  policyKey: string;
  /** Policy text from the environment (CONTACT_AUDIT_POLICY). */
  policyText?: string;
  /** The `companyDomains` stack parameter (CONTACT_AUDIT_COMPANY_DOMAINS). */
  companyDomains?: readonly string[];
}

export interface LoadedPolicy {
  policy: Policy;
  /** Says where the policy came from, for the logs and the run manifest. */
  origin: string;
}

/**
 * The policy of a deployed sweep or event handler, read at the start of every run so it changes
 * without a deployment: the policy object in the report bucket when there is one (a versioned
 * bucket keeps its history), else CONTACT_AUDIT_POLICY, else a policy of the `companyDomains`
 * parameter with every default.
 *
 * A policy object that exists but is invalid is an error, not a reason to fall back: a typo must
 * not silently loosen the audit.
 * @throws PolicyError naming the object and field, or saying that no policy is configured.
 */
export async function loadDeployedPolicy(storage: ReportStorage, source: DeployedPolicySource): Promise<LoadedPolicy> {
  const text = await storage.get(source.policyKey);
  if (text !== undefined) {
    const origin = storage.locate(source.policyKey);
    return { policy: parsePolicyText(text, `policy object ${origin}`), origin };
  }
  if (source.policyText) return { policy: parsePolicyText(source.policyText, 'CONTACT_AUDIT_POLICY'), origin: 'CONTACT_AUDIT_POLICY' };
  if (source.companyDomains && source.companyDomains.length > 0) {
    return { policy: policyFromDomains([...source.companyDomains]), origin: 'companyDomains parameter' };
  }
  throw new PolicyError(
    `no policy: upload one to ${storage.locate(source.policyKey)} or deploy with --param="companyDomains=example.com"`,
  );
}
