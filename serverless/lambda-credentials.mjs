/**
 * Stands in for @aws-sdk/credential-provider-node in the Lambda bundles. Lambda always hands a
 * function its role's credentials as environment variables (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the rest of the default chain (profiles, SSO,
 * web identity, instance metadata, with the nested STS/SSO clients they load) is dead weight:
 * about 90 KB of each minified bundle.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init = {}) => fromEnv(init);
