/**
 * Writes alternate contacts: PutAlternateContact, paced under its quota, in the context the
 * reference guide gives ("Understanding API modes of operation"): standalone (no AccountId) for
 * the management account writing itself, organizations context (AccountId) for every other account.
 * Used by `contact-audit remediate --apply … --confirm` only; nothing else in the product writes.
 */
import { type AccountClient, PutAlternateContactCommand } from '@aws-sdk/client-account';
import { Pacer } from '../../calls/pacer.ts';
import type { Contact, ContactType } from '../../model.ts';
import { awsCaller, type AwsCall } from './awsCaller.ts';
import { accountIdParameter, type ReadTarget } from './contacts.ts';
import { PUT_ALTERNATE_CONTACT_QUOTA } from './quotas.ts';

export class ContactWriterAdapter {
  static readonly iamActions: readonly string[] = ['account:PutAlternateContact'];

  private readonly call: AwsCall;

  constructor(
    private readonly client: AccountClient,
    pacer: Pacer = Pacer.forShare(PUT_ALTERNATE_CONTACT_QUOTA),
  ) {
    this.call = awsCaller({ pacer });
  }

  /** Writes one contact; throws what AWS answered after the retries. */
  async write(target: ReadTarget, type: ContactType, contact: Contact): Promise<void> {
    const accountId = accountIdParameter(target);
    await this.call(() =>
      this.client.send(
        new PutAlternateContactCommand({
          AlternateContactType: type,
          Name: contact.name,
          Title: contact.title,
          EmailAddress: contact.emailAddress,
          PhoneNumber: contact.phoneNumber,
          ...(accountId ? { AccountId: accountId } : {}),
        }),
      ),
    );
  }
}
