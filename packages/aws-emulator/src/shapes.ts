/**
 * The Account Management shapes the emulator serves, taken from the AWS SDK's model
 * (@aws-sdk/client-account), never from the code under test: the alternate contact types, an
 * alternate contact and the primary contact as the emulator keeps them (the model's members with a
 * lower-case first letter, as the fixture format spells them), and the phone verification statuses.
 */
import type { AlternateContact, AlternateContactType, ContactInformation, PhoneNumberVerificationStatus } from '@aws-sdk/client-account';

/** The model's AlternateContactType values, in the order the emulator lists them. */
export const CONTACT_TYPES = ['BILLING', 'OPERATIONS', 'SECURITY'] as const satisfies readonly AlternateContactType[];
export type ContactType = (typeof CONTACT_TYPES)[number];

/** The model's PhoneNumberVerificationStatus values (GetContactInformation `VerificationStatus`). */
export const PHONE_VERIFICATION_STATUSES = ['PENDING', 'VERIFIED', 'UNVERIFIED', 'NOT_SUPPORTED'] as const satisfies readonly PhoneNumberVerificationStatus[];

// Both lists name every value of the model: a value the SDK adds fails the type check here.
type Missing<All, Listed> = Exclude<All, Listed> extends never ? true : Exclude<All, Listed>;
const everyContactType: Missing<AlternateContactType, ContactType> = true;
const everyVerificationStatus: Missing<PhoneNumberVerificationStatus, (typeof PHONE_VERIFICATION_STATUSES)[number]> = true;
void everyContactType;
void everyVerificationStatus;

/** The model's member names with a lower-case first letter, their values never `undefined`. */
type Stored<Shape> = { [Member in keyof Shape as Uncapitalize<Member & string>]: Exclude<Shape[Member], undefined> };

/** An alternate contact as GetAlternateContact returns it, without its type. */
export type Contact = Stored<Required<Omit<AlternateContact, 'AlternateContactType'>>>;

/** The primary contact (ContactInformation): optional members stay optional. */
export type PrimaryContact = Stored<ContactInformation>;
