import { AccountClient, GetAlternateContactCommand } from '@aws-sdk/client-account';
import type { Contact, ContactRead, ContactType } from '../../model.ts';
import { awsErrorCode, awsErrorMessage, requestTrace } from './awsErrors.ts';
import { awsCaller, type AwsCall, type CallerOptions, type CallStats } from './awsCaller.ts';
import { clientOptions } from './clients.ts';

export { type CallStats, newCallStats } from './awsCaller.ts';

/** Who asks, about which account. Decides between standalone and organizations context. */
export interface ReadTarget {
  accountId: string;
  callerAccountId: string;
  managementAccountId: string;
}

/**
 * Standalone context (no AccountId) only when the management account reads itself: no caller may
 * name the management account's ID in organizations context, not even the management account
 * (reference guide, "Understanding API modes of operation"). Everyone else names the target,
 * including the delegated admin reading itself, which AWS allows. The delegated admin reading
 * the management account is asked too, and AWS's AccessDenied is reported as it is.
 */
export function accountIdParameter(target: ReadTarget): string | undefined {
  const standalone = target.accountId === target.callerAccountId && target.callerAccountId === target.managementAccountId;
  return standalone ? undefined : target.accountId;
}

function toContact(raw: { Name?: string; Title?: string; EmailAddress?: string; PhoneNumber?: string }): Contact {
  return {
    name: raw.Name ?? '',
    title: raw.Title ?? '',
    emailAddress: raw.EmailAddress ?? '',
    phoneNumber: raw.PhoneNumber ?? '',
  };
}

/** Reads alternate contacts (AWS Account Management), paced under the GetAlternateContact quota. */
export class ContactsAdapter {
  static readonly iamActions: readonly string[] = ['account:GetAlternateContact'];

  private readonly call: AwsCall;

  constructor(
    private readonly client: AccountClient = new AccountClient(clientOptions()),
    private readonly options: CallerOptions = {},
  ) {
    this.call = awsCaller(options);
  }

  get stats(): CallStats | undefined {
    return this.options.stats;
  }

  /** ResourceNotFound is a missing contact; every other error is a failed read, never a missing one. */
  async read(target: ReadTarget, type: ContactType): Promise<ContactRead> {
    const { stats } = this.options;
    const accountId = accountIdParameter(target);
    const command = new GetAlternateContactCommand({ AlternateContactType: type, ...(accountId ? { AccountId: accountId } : {}) });
    try {
      const out = await this.call(() => this.client.send(command));
      if (!out.AlternateContact) return { kind: 'missing', ...requestTrace(out) };
      return { kind: 'present', contact: toContact(out.AlternateContact), ...requestTrace(out) };
    } catch (error) {
      const errorCode = awsErrorCode(error);
      if (errorCode === 'ResourceNotFoundException') return { kind: 'missing', ...requestTrace(error) };
      if (stats) stats.failed++;
      return { kind: 'failed', errorCode, message: awsErrorMessage(error), ...requestTrace(error) };
    }
  }

  /** All the given types of one account, one after another (the pacer spreads the load, not parallelism). */
  async readAll(target: ReadTarget, types: readonly ContactType[]): Promise<Partial<Record<ContactType, ContactRead>>> {
    const reads: Partial<Record<ContactType, ContactRead>> = {};
    for (const type of types) reads[type] = await this.read(target, type);
    return reads;
  }
}
