/**
 * Organizations CreateAccount, as the management account calls it: the account is created at
 * once (AWS creates it asynchronously, so the reply is `IN_PROGRESS`, as AWS answers), and two
 * CloudTrail records go to the management account's event history, as AWS records them: the
 * `CreateAccount` call and the `CreateAccountResult` service event with
 * `serviceEventDetails.createAccountStatus` (Organizations API reference, CreateAccount and
 * CreateAccountStatus), which the new-account check reads (README, "New accounts"). An e-mail
 * address another account of the organization has makes the creation FAILED with
 * EMAIL_ALREADY_EXISTS, and no account. The new account has no alternate contacts.
 */
import { randomUUID } from 'node:crypto';
import { jsonObjectBody, jsonRpcError, jsonRpcReply, type Reply, type RequestContext } from '../protocol.ts';
import type { CloudTrailRecord, Store } from '../store.ts';
import { checkInput, organizationsReason, type InputRules } from '../modelInput.ts';

const NO_PERMISSION = "You don't have permissions to access this resource.";

/**
 * The string members of the model's CreateAccountRequest (botocore organizations). Kept here, not in
 * modelInput.ts's table, which holds operations whose every member is a scalar (CreateAccount has Tags).
 */
const CREATE_ACCOUNT_INPUT: InputRules = {
  required: ['Email', 'AccountName'],
  members: {
    Email: { shape: 'Email', type: 'string', min: 6, max: 64, pattern: '[^\\s@]+@[^\\s@]+\\.[^\\s@]+' },
    AccountName: { shape: 'CreateAccountName', type: 'string', min: 1, max: 50, pattern: '[\\u0020-\\u007E]+' },
    RoleName: { shape: 'RoleName', type: 'string', max: 64, pattern: '[\\w+=,.@-]{1,64}' },
    IamUserAccessToBilling: { shape: 'IAMUserAccessToBilling', type: 'string', enum: ['ALLOW', 'DENY'] },
  },
};

/** The next free 12-digit ID after the organization's highest: deterministic for a fixture. */
function nextAccountId(store: Store): string {
  let id = Math.max(100_000_000_000, ...[...store.accounts.keys()].map(Number).filter(Number.isSafeInteger)) + 1;
  while (store.accounts.has(String(id))) id++;
  return String(id);
}

/** The two records AWS writes: the call (with the reply) and, once done, the service event. */
function records(ctx: RequestContext, store: Store, status: Record<string, unknown>, requested: Record<string, unknown>): CloudTrailRecord[] {
  const id = store.identity(ctx);
  const iso = ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const common = { eventVersion: '1.08', eventTime: iso, eventSource: 'organizations.amazonaws.com', awsRegion: 'us-east-1', readOnly: false, managementEvent: true, eventCategory: 'Management', recipientAccountId: ctx.callerAccountId };
  return [
    {
      ...common,
      userIdentity: { type: 'AssumedRole', principalId: id.principalId, arn: id.arn, accountId: ctx.callerAccountId, accessKeyId: ctx.accessKeyId },
      eventName: 'CreateAccount',
      sourceIPAddress: ctx.sourceIp,
      userAgent: ctx.userAgent,
      // CloudTrail hides the root e-mail of a new account.
      requestParameters: { email: 'HIDDEN_DUE_TO_SECURITY_REASONS', accountName: requested.accountName },
      responseElements: { createAccountStatus: requested },
      requestID: ctx.requestId,
      eventID: randomUUID(),
      eventType: 'AwsApiCall',
    },
    {
      ...common,
      userIdentity: { accountId: ctx.callerAccountId, invokedBy: 'AWS Internal' },
      eventName: 'CreateAccountResult',
      sourceIPAddress: 'AWS Internal',
      userAgent: 'AWS Internal',
      requestParameters: null,
      responseElements: null,
      eventID: randomUUID(),
      eventType: 'AwsServiceEvent',
      serviceEventDetails: { createAccountStatus: status },
    },
  ];
}

export function createAccount(ctx: RequestContext, store: Store): Reply {
  const input = jsonObjectBody(ctx);
  if (!input) return jsonRpcError(ctx, 'SerializationException', 'Start of structure or map found where not expected.');
  if (ctx.callerAccountId !== store.organization.managementAccountId) return jsonRpcError(ctx, 'AccessDeniedException', NO_PERMISSION);
  const bad = checkInput(CREATE_ACCOUNT_INPUT, input);
  if (bad) {
    return jsonRpcError(ctx, 'InvalidInputException', `You provided a value that does not match the required pattern or range: ${bad.message}`, 400, { Reason: organizationsReason(bad) });
  }
  const email = input.Email as string;
  const name = input.AccountName as string;
  const requestId = `car-${randomUUID().replace(/-/g, '')}`;
  const requestedAt = ctx.now.toISOString();
  const taken = [...store.accounts.values()].some((a) => a.email.toLowerCase() === email.toLowerCase());
  const accountId = taken ? undefined : nextAccountId(store);
  if (accountId) store.accounts.set(accountId, { id: accountId, name, email, state: 'ACTIVE', contacts: {} });
  const done = taken
    ? { id: requestId, state: 'FAILED', accountName: name, failureReason: 'EMAIL_ALREADY_EXISTS', requestedTimestamp: requestedAt, completedTimestamp: requestedAt }
    : { id: requestId, state: 'SUCCEEDED', accountName: name, accountId, requestedTimestamp: requestedAt, completedTimestamp: requestedAt };
  for (const record of records(ctx, store, done, { id: requestId, state: 'IN_PROGRESS', accountName: name, requestedTimestamp: requestedAt })) store.recordEvent(ctx, record);
  return jsonRpcReply(ctx, { CreateAccountStatus: { Id: requestId, AccountName: name, State: 'IN_PROGRESS', RequestedTimestamp: ctx.now.getTime() / 1000 } });
}
