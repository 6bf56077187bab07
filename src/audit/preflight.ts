/**
 * The checks a sweep makes before its first contact read: each output it will need at the end
 * (the report bucket, the alert topic) is tried now, so a wrong `--out` or `--topic-arn` fails in
 * seconds with what AWS answered and how to fix it, not after every account was read.
 */
import { awsErrorCode, awsErrorMessage } from '../providers/aws/awsErrors.ts';
import type { OutputsProbe } from '../providers/aws/outputs.ts';
import { OutputUnavailableError, SetupError } from '../errors.ts';
import { oneLine } from '../textHygiene.ts';

/**
 * Answers that mean the output is set up wrong (a usage error, exit 2); anything else (throttling,
 * 5xx, a dropped connection, after the retries) is an outage: OutputUnavailableError (exit 4). The SDK
 * names SNS's errors by their model shapes: `NotFound` on the wire is NotFoundException.
 */
const NOT_SET_UP = new Set([
  'NoSuchBucket',
  'AccessDenied',
  'AllAccessDisabled',
  'InvalidBucketName',
  'PermanentRedirect',
  'NotFoundException',
  'AuthorizationErrorException',
  'InvalidParameterException',
  'InvalidSecurityException',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
]);

/** How to fix each answer, as a user would type it. */
function fixFor(code: string, output: { bucket?: string; prefix?: string; topicArn?: string }): string {
  if (output.bucket !== undefined) {
    const where = `s3://${output.bucket}${output.prefix ? `/${output.prefix}` : ''}`;
    if (code === 'NoSuchBucket') return `Create the bucket (aws s3 mb s3://${output.bucket}) or name another with --out.`;
    if (code === 'PermanentRedirect') return 'The bucket is in another region: run with --region set to the bucket\'s region.';
    return `Allow the caller s3:PutObject on ${where}/* and s3:DeleteObject on ${where}/latest/* (README "IAM permissions of the caller").`;
  }
  if (code === 'NotFoundException') return `Create the topic (aws sns create-topic --name ${output.topicArn?.split(':')[5]}) in the account and region of the ARN, or name another with --topic-arn.`;
  return `Allow the caller sns:GetTopicAttributes and sns:Publish on ${output.topicArn} (its IAM policy and the topic's access policy).`;
}

function answer(error: unknown): string {
  return `${awsErrorCode(error)}: ${oneLine(awsErrorMessage(error)).slice(0, 300)}`;
}

function refused(what: string, error: unknown, fix: string): SetupError {
  return new SetupError(`${what}: ${answer(error)}. ${fix}`, { cause: error });
}

function unavailable(output: string, check: string, error: unknown): OutputUnavailableError {
  return new OutputUnavailableError(`${output}: ${check} before the first read failed after its retries: ${answer(error)}. No account was read; run again when the service answers.`, { cause: error });
}

/** The report bucket and prefix of `--out s3://…` take a write. @throws SetupError naming the AWS error code and the fix. */
export async function checkReportBucket(probe: Pick<OutputsProbe, 'checkWritable'>, bucket: string, prefix: string): Promise<void> {
  try {
    await probe.checkWritable(bucket, prefix);
  } catch (error) {
    const code = awsErrorCode(error);
    const where = `--out s3://${bucket}${prefix ? `/${prefix}` : ''}`;
    if (!NOT_SET_UP.has(code)) throw unavailable(where, 'the write check', error);
    throw refused(`${where}: the reports could not be written`, error, fixFor(code, { bucket, prefix }));
  }
}

/** The `--topic-arn` topic exists and answers the caller. @throws SetupError naming the AWS error code and the fix. */
export async function checkAlertTopic(probe: Pick<OutputsProbe, 'checkTopic'>, topicArn: string): Promise<void> {
  try {
    await probe.checkTopic(topicArn);
  } catch (error) {
    const code = awsErrorCode(error);
    if (!NOT_SET_UP.has(code)) throw unavailable(`--topic-arn ${topicArn}`, 'the topic check', error);
    throw refused(`--topic-arn ${topicArn}: alerts could not be published`, error, fixFor(code, { topicArn }));
  }
}
