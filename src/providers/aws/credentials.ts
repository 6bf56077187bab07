/**
 * A command-line run with no AWS credentials at all is a configuration error (exit 2), found before
 * the first call: otherwise every call fails, is retried, and the run ends as "could not complete"
 * (exit 4) or, for `event`, as an alert saying the account is UNKNOWN.
 */

import { NoCredentialsError } from '../../errors.ts';

/** What is needed of an SDK client: its resolved credential provider. */
export interface HasCredentialProvider {
  config: { credentials: () => Promise<unknown> };
}

/**
 * Resolves the client's credentials once.
 * @throws NoCredentialsError when the chain finds none (the SDK's CredentialsProviderError); any
 *   other failure (an SSO endpoint that cannot be reached …) goes on up unchanged.
 */
export async function requireCredentials(client: HasCredentialProvider): Promise<void> {
  try {
    await client.config.credentials();
  } catch (error) {
    if (error instanceof Error && error.name === 'CredentialsProviderError') {
      throw new NoCredentialsError(
        `no AWS credentials found (${error.message.split('\n')[0]}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run "aws sso login"`,
        { cause: error },
      );
    }
    throw error;
  }
}
