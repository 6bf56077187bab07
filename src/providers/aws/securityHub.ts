/**
 * Imports ASFF findings into Security Hub with BatchImportFindings, in requests within the import
 * limits (at most 100 findings, 240 KB a finding, 6 MB a request: src/report/render/asff.ts makes the batches).
 * Throttling (LimitExceededException, 10 requests per second with a burst of 30 per account and
 * Region) and transient faults are retried by the shared caller; findings Security Hub refuses come
 * back in `FailedFindings` and are returned to the caller, never dropped in silence.
 */
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { awsCaller, type AwsCall, type RetryOptions } from './awsCaller.ts';
import { clientOptions, type ClientSettings } from './clients.ts';

/** A finding Security Hub did not import, as BatchImportFindings names it. */
interface FailedFinding {
  Id: string;
  ErrorCode: string;
  ErrorMessage: string;
}

export interface ImportOutcome {
  requests: number;
  imported: number;
  failed: FailedFinding[];
}

export class SecurityHubImporter {
  static readonly iamActions: readonly string[] = ['securityhub:BatchImportFindings'];

  private readonly call: AwsCall;

  constructor(
    private readonly client: SecurityHubClient = new SecurityHubClient(clientOptions()),
    retry?: RetryOptions,
  ) {
    this.call = awsCaller({ retry });
  }

  /**
   * Imports every batch, one request each, one at a time (the import quota is per account and Region).
   * Each batch is one BatchImportFindings request's findings, already within its limits (the ASFF
   * renderer's `asffBatches`).
   */
  async importBatches(batches: Iterable<readonly object[]>): Promise<ImportOutcome> {
    const outcome: ImportOutcome = { requests: 0, imported: 0, failed: [] };
    for (const batch of batches) {
      // The SDK's AwsSecurityFinding type lists every member; the renderer's are a subset of the same shape.
      const Findings = batch as unknown as NonNullable<ConstructorParameters<typeof BatchImportFindingsCommand>[0]['Findings']>;
      const out = await this.call(() => this.client.send(new BatchImportFindingsCommand({ Findings })));
      outcome.requests++;
      outcome.imported += out.SuccessCount ?? 0;
      for (const f of out.FailedFindings ?? []) outcome.failed.push({ Id: f.Id ?? '-', ErrorCode: f.ErrorCode ?? '-', ErrorMessage: f.ErrorMessage ?? '-' });
    }
    return outcome;
  }
}

/** An importer for the Region and endpoint of `settings` (the CLI's `--to securityhub`). */
export function securityHubImporter(settings: ClientSettings, retry?: RetryOptions): SecurityHubImporter {
  return new SecurityHubImporter(new SecurityHubClient(clientOptions(settings)), retry);
}
