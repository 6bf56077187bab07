import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { DEFAULT_RETRY, withRetries, type RetryOptions } from './retry.ts';

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

  constructor(
    private readonly client: CloudTrailClient = new CloudTrailClient({}),
    private readonly retry: RetryOptions = DEFAULT_RETRY,
  ) {}

  async describeTrails(): Promise<TrailInfo[]> {
    const out = await withRetries(() => this.client.send(new DescribeTrailsCommand({ includeShadowTrails: true })), this.retry);
    return (out.trailList ?? []).map((t) => ({
      name: t.Name ?? '',
      arn: t.TrailARN ?? '',
      isOrganizationTrail: t.IsOrganizationTrail === true,
      isMultiRegionTrail: t.IsMultiRegionTrail === true,
      homeRegion: t.HomeRegion ?? '',
    }));
  }
}
