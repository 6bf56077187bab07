/**
 * The rest of an account's contact surface (AWS Account Management): the primary contact
 * (GetContactInformation) and the root user's e-mail address (GetPrimaryEmail) with its most recent
 * update (GetPrimaryEmailUpdateStatus), each paced under its own quota. Absence is data, failure is
 * not: ResourceNotFound is a missing primary contact (or no update ever started); every other error
 * is a failed read.
 */
import { AccountClient, GetContactInformationCommand, GetPrimaryEmailCommand, GetPrimaryEmailUpdateStatusCommand, type ContactInformation } from '@aws-sdk/client-account';
import type { PrimaryContact, PrimaryContactRead, RootEmailRead, RootEmailUpdateRead } from '../../model.ts';
import { accountIdParameter, type CallStats, type ReadTarget } from './contacts.ts';
import { awsErrorCode, awsErrorMessage, requestTrace } from './awsErrors.ts';
import { awsCaller, type AwsCall, type RetryOptions } from './awsCaller.ts';
import { clientOptions } from './clients.ts';
import type { Pacer } from '../../calls/pacer.ts';

/** The error code of a root e-mail that neither GetPrimaryEmail nor the listing could give. */
const ROOT_EMAIL_NOT_LISTED = 'RootEmailNotListed';

function toPrimaryContact(raw: ContactInformation): PrimaryContact {
  const optional = <K extends string>(key: K, value: string | undefined) => (value ? ({ [key]: value } as Record<K, string>) : {});
  return {
    fullName: raw.FullName ?? '',
    ...optional('companyName', raw.CompanyName),
    phoneNumber: raw.PhoneNumber ?? '',
    addressLine1: raw.AddressLine1 ?? '',
    ...optional('addressLine2', raw.AddressLine2),
    ...optional('addressLine3', raw.AddressLine3),
    city: raw.City ?? '',
    ...optional('stateOrRegion', raw.StateOrRegion),
    ...optional('districtOrCounty', raw.DistrictOrCounty),
    postalCode: raw.PostalCode ?? '',
    countryCode: raw.CountryCode ?? '',
    ...optional('websiteUrl', raw.WebsiteUrl),
  };
}

export interface AccountSurfaceOptions {
  /**
   * One pacer per quota: GetContactInformation 10/s, GetPrimaryEmail 3/s. GetPrimaryEmailUpdateStatus
   * has no published quota (the reference guide's "Quotas" does not list it), so it shares
   * GetPrimaryEmail's pacer: both together stay under 3/s.
   */
  pacers?: { contactInformation?: Pacer; primaryEmail?: Pacer };
  retry?: RetryOptions;
  stats?: CallStats;
}

/** Reads the primary contact and the root e-mail of accounts. */
export class AccountSurfaceAdapter {
  static readonly iamActions: readonly string[] = ['account:GetContactInformation', 'account:GetPrimaryEmail', 'account:GetPrimaryEmailUpdateStatus'];

  private readonly callContactInformation: AwsCall;
  private readonly callPrimaryEmail: AwsCall;

  constructor(
    private readonly client: AccountClient = new AccountClient(clientOptions()),
    private readonly options: AccountSurfaceOptions = {},
  ) {
    const { pacers, retry, stats } = options;
    this.callContactInformation = awsCaller({ pacer: pacers?.contactInformation, retry, stats });
    this.callPrimaryEmail = awsCaller({ pacer: pacers?.primaryEmail, retry, stats });
  }

  /** GetContactInformation, in the context rules of the alternate contacts (standalone only for the management account itself). */
  async readPrimaryContact(target: ReadTarget): Promise<PrimaryContactRead> {
    const accountId = accountIdParameter(target);
    const command = new GetContactInformationCommand(accountId ? { AccountId: accountId } : {});
    try {
      const out = await this.callContactInformation(() => this.client.send(command));
      if (!out.ContactInformation) return { kind: 'missing', ...requestTrace(out) };
      const contact = toPrimaryContact(out.ContactInformation);
      return { kind: 'present', contact, ...(out.VerificationStatus ? { verificationStatus: out.VerificationStatus } : {}), ...requestTrace(out) };
    } catch (error) {
      const errorCode = awsErrorCode(error);
      if (errorCode === 'ResourceNotFoundException') return { kind: 'missing', ...requestTrace(error) };
      if (this.options.stats) this.options.stats.failed++;
      return { kind: 'failed', errorCode, message: awsErrorMessage(error), ...requestTrace(error) };
    }
  }

  /**
   * The root user's e-mail. GetPrimaryEmail cannot name the management account (API reference:
   * "The management account can't specify its own AccountId", and the operation has no standalone
   * form), so for it the address Organizations lists (`listedEmail`) is used.
   */
  async readRootEmail(target: ReadTarget, listedEmail?: string): Promise<RootEmailRead> {
    if (target.accountId === target.managementAccountId) {
      if (listedEmail) return { kind: 'present', email: listedEmail, source: 'Organizations' };
      return { kind: 'failed', errorCode: ROOT_EMAIL_NOT_LISTED, message: 'Organizations listed no e-mail for the management account' };
    }
    const command = new GetPrimaryEmailCommand({ AccountId: target.accountId });
    try {
      const out = await this.callPrimaryEmail(() => this.client.send(command));
      if (out.PrimaryEmail) return { kind: 'present', email: out.PrimaryEmail, source: 'GetPrimaryEmail', ...requestTrace(out) };
      if (this.options.stats) this.options.stats.failed++;
      return { kind: 'failed', errorCode: 'EmptyAnswer', message: 'GetPrimaryEmail answered without PrimaryEmail', ...requestTrace(out) };
    } catch (error) {
      if (this.options.stats) this.options.stats.failed++;
      return { kind: 'failed', errorCode: awsErrorCode(error), message: awsErrorMessage(error), ...requestTrace(error) };
    }
  }

  /**
   * The most recent root e-mail update (GetPrimaryEmailUpdateStatus). Like GetPrimaryEmail it is only
   * for a member account: the management account can't name its own AccountId (API reference), so
   * for it this is `none`. ResourceNotFoundException: no update was ever started. A failed read is
   * not counted in `stats.failed`: it decides no account's status (README, "The policy file").
   */
  async readRootEmailUpdate(target: ReadTarget): Promise<RootEmailUpdateRead> {
    if (target.accountId === target.managementAccountId) return { kind: 'none' };
    const command = new GetPrimaryEmailUpdateStatusCommand({ AccountId: target.accountId });
    try {
      const out = await this.callPrimaryEmail(() => this.client.send(command));
      if (!out.Status) return { kind: 'failed', errorCode: 'EmptyAnswer', message: 'GetPrimaryEmailUpdateStatus answered without Status' };
      const updatedAt = out.UpdatedAt instanceof Date && !Number.isNaN(out.UpdatedAt.getTime()) ? out.UpdatedAt.toISOString() : undefined;
      return { kind: 'present', status: out.Status, ...(updatedAt ? { updatedAt } : {}) };
    } catch (error) {
      const errorCode = awsErrorCode(error);
      if (errorCode === 'ResourceNotFoundException') return { kind: 'none' };
      return { kind: 'failed', errorCode, message: awsErrorMessage(error) };
    }
  }
}
