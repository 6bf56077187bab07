import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DEFAULT_RETRY, withRetries, type RetryOptions } from './retry.ts';
import { UnexpectedResponseError } from '../errors.ts';

export interface CallerIdentity {
  accountId: string;
  arn: string;
}

/** Who is calling (STS). */
export class IdentityAdapter {
  /** sts:GetCallerIdentity needs no IAM permission. */
  static readonly iamActions: readonly string[] = [];

  constructor(
    private readonly client: STSClient = new STSClient({}),
    private readonly retry: RetryOptions = DEFAULT_RETRY,
  ) {}

  async whoAmI(): Promise<CallerIdentity> {
    const out = await withRetries(() => this.client.send(new GetCallerIdentityCommand({})), this.retry);
    if (!out.Account || !out.Arn) throw new UnexpectedResponseError('STS GetCallerIdentity answered without Account or Arn');
    return { accountId: out.Account, arn: out.Arn };
  }
}
