/**
 * Notes on the root e-mail's most recent update (GetPrimaryEmailUpdateStatus), with
 * `rootEmail.updateStatus`: ROOT_EMAIL_UPDATE_PENDING, ROOT_EMAIL_UPDATE_FAILED and
 * ROOT_EMAIL_UPDATE_STATUS_UNREAD. Notes, not findings: the root e-mail judged is the one
 * GetPrimaryEmail answers now, and an update under way or one that failed does not change it; an
 * unreadable status does not make the account UNKNOWN either (README, "The policy file").
 */
import type { Note, RootEmailUpdateRead } from '../model.ts';

/**
 * The note for one read: PENDING (an update was started and its one-time passcode not yet
 * entered) and FAILED get one, naming when AWS last changed the status; ACCEPTED and COMPLETED
 * (the update went through) and `none` (no update ever started) get none; a failed read gets
 * ROOT_EMAIL_UPDATE_STATUS_UNREAD with the AWS error code.
 */
export function rootEmailUpdateNote(read: RootEmailUpdateRead | undefined): Note | undefined {
  if (read === undefined || read.kind === 'none') return undefined;
  if (read.kind === 'failed') {
    return {
      contactType: 'ROOT_EMAIL',
      code: 'ROOT_EMAIL_UPDATE_STATUS_UNREAD',
      errorCode: read.errorCode,
      message: `Could not read the status of the root user e-mail's most recent update (GetPrimaryEmailUpdateStatus: ${read.errorCode}); the root e-mail itself is judged as read`,
    };
  }
  const since = read.updatedAt ? ` since ${read.updatedAt}` : '';
  if (read.status === 'PENDING') {
    return {
      contactType: 'ROOT_EMAIL',
      code: 'ROOT_EMAIL_UPDATE_PENDING',
      message: `A root user e-mail update is in flight${since} (PENDING): the one-time passcode sent to the new address has not been entered; if nobody here started it, find who called StartPrimaryEmailUpdate`,
    };
  }
  if (read.status === 'FAILED') {
    return {
      contactType: 'ROOT_EMAIL',
      code: 'ROOT_EMAIL_UPDATE_FAILED',
      message: `The most recent root user e-mail update failed${since}; the root e-mail is unchanged`,
    };
  }
  return undefined;
}
