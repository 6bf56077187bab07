import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { awsCaller, type AwsCall, type RetryOptions } from './awsCaller.ts';
import { clientOptions } from './clients.ts';
import { UnexpectedResponseError } from '../../errors.ts';

export interface CallerIdentity {
  accountId: string;
  arn: string;
}

/** Who is calling (STS). */
export class IdentityAdapter {
  /** sts:GetCallerIdentity needs no IAM permission. */
  static readonly iamActions: readonly string[] = [];

  private readonly call: AwsCall;

  constructor(
    private readonly client: STSClient = new STSClient(clientOptions()),
    retry?: RetryOptions,
  ) {
    this.call = awsCaller({ retry });
  }

  async whoAmI(): Promise<CallerIdentity> {
    const out = await this.call(() => this.client.send(new GetCallerIdentityCommand({})));
    if (!out.Account || !out.Arn) throw new UnexpectedResponseError('STS GetCallerIdentity answered without Account or Arn');
    return { accountId: out.Account, arn: out.Arn };
  }
}
