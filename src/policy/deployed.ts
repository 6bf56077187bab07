import { PolicyError, parsePolicy, policyFromDomains } from './load.ts';
import type { Policy } from './types.ts';
import { errorText } from '../errors.ts';
import type { ReportStorage } from '../storage/reportStorage.ts';

/** Where the deployed stack looks for its policy, most specific first. */
export interface DeployedPolicySource {
  /** Key of the policy object (JSON) in the report bucket, e.g. `config/policy.json`. */
  policyKey: string;
  /** Policy JSON from the environment (CONTACT_AUDIT_POLICY). */
  policyText?: string;
  /** The `companyDomains` stack parameter (CONTACT_AUDIT_COMPANY_DOMAINS). */
  companyDomains?: readonly string[];
}

export interface LoadedPolicy {
  policy: Policy;
  /** Says where the policy came from, for the logs and the run manifest. */
  origin: string;
}

/** How to turn the YAML policy file of the CLI into the JSON the deployed stack reads. */
const CONVERT_HINT = 'convert a YAML policy with `npx yaml --json --single < policy.yaml > policy.json`';

/**
 * The policy §2 document as JSON. The deployed functions read JSON only: the YAML parser would
 * add 110 KB to the bundle, and JSON is YAML, so the same validation and messages apply.
 */
function parsePolicyJson(text: string, source: string): Policy {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const reason = errorText(error);
    throw new PolicyError(`${source}: not JSON (${reason}); ${CONVERT_HINT}`, { cause: error });
  }
  return parsePolicy(document, source);
}

/**
 * The policy of a deployed sweep, read at the start of every run so it changes without a
 * deployment: the policy object in the report bucket when there is one (the versioned bucket
 * keeps its history), else CONTACT_AUDIT_POLICY, else a policy of the `companyDomains` parameter
 * with every default.
 *
 * A policy object that exists but is invalid is an error, not a reason to fall back: a typo must
 * not silently loosen the audit.
 * @throws PolicyError naming the object and field, or saying that no policy is configured.
 */
export async function loadDeployedPolicy(storage: ReportStorage, source: DeployedPolicySource): Promise<LoadedPolicy> {
  const text = await storage.get(source.policyKey);
  if (text !== undefined) {
    const origin = storage.locate(source.policyKey);
    return { policy: parsePolicyJson(text, `policy object ${origin}`), origin };
  }
  if (source.policyText) return { policy: parsePolicyJson(source.policyText, 'CONTACT_AUDIT_POLICY'), origin: 'CONTACT_AUDIT_POLICY' };
  if (source.companyDomains && source.companyDomains.length > 0) {
    return { policy: policyFromDomains([...source.companyDomains]), origin: 'companyDomains parameter' };
  }
  throw new PolicyError(
    `no policy: upload one to ${storage.locate(source.policyKey)} or deploy with --param="companyDomains=example.com"`,
  );
}
