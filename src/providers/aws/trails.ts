import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { awsCaller, type AwsCall, type RetryOptions } from './awsCaller.ts';
import { clientOptions } from './clients.ts';

export interface TrailInfo {
  name: string;
  arn: string;
  isOrganizationTrail: boolean;
  isMultiRegionTrail: boolean;
  homeRegion: string;
}

/** The CloudTrail trails the caller can see, organization trails shown to members included (`contact-audit doctor`). */
export class TrailsAdapter {
  static readonly iamActions: readonly string[] = ['cloudtrail:DescribeTrails'];

  private readonly call: AwsCall;

  constructor(
    private readonly client: CloudTrailClient = new CloudTrailClient(clientOptions()),
    retry?: RetryOptions,
  ) {
    this.call = awsCaller({ retry });
  }

  async describeTrails(): Promise<TrailInfo[]> {
    const out = await this.call(() => this.client.send(new DescribeTrailsCommand({ includeShadowTrails: true })));
    return (out.trailList ?? []).map((t) => ({
      name: t.Name ?? '',
      arn: t.TrailARN ?? '',
      isOrganizationTrail: t.IsOrganizationTrail === true,
      isMultiRegionTrail: t.IsMultiRegionTrail === true,
      homeRegion: t.HomeRegion ?? '',
    }));
  }
}
