/**
 * Organizations MoveAccount, as the management account calls it (API reference, MoveAccount: only
 * the management account may call it): the account leaves its source parent (a root or OU) for the
 * destination parent, so ListParents, ListAccountsForParent and the account's Paths answer its new
 * place at once. The reply is empty, as the operation has no output in the model. One CloudTrail
 * record, the `MoveAccount` call, goes to the management account's event history (Organizations
 * user guide, "Logging AWS Organizations API calls with AWS CloudTrail"). The model's input
 * patterns are checked in front (modelInput.ts, ORGANIZATIONS_INPUT).
 */
import { randomUUID } from 'node:crypto';
import { jsonObjectBody, jsonRpcError, jsonRpcReply, type Reply, type RequestContext } from '../protocol.ts';
import type { CloudTrailRecord, Store } from '../store.ts';

const NO_PERMISSION = "You don't have permissions to access this resource.";
/** The texts of the model's error shapes (API reference, MoveAccount, Errors). */
const ACCOUNT_NOT_FOUND = "We can't find an Amazon Web Services account with the AccountId that you specified.";
const SOURCE_NOT_FOUND = "We can't find a source root or OU with the ParentId that you specified.";
const DESTINATION_NOT_FOUND = "We can't find the destination container (a root or OU) with the ParentId that you specified.";
const ALREADY_THERE = 'That account is already present in the specified destination.';

/** The `MoveAccount` call as CloudTrail records it: the three IDs asked for, no response elements. */
function moveRecord(ctx: RequestContext, store: Store, requested: { accountId: string; sourceParentId: string; destinationParentId: string }): CloudTrailRecord {
  const id = store.identity(ctx);
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'AssumedRole', principalId: id.principalId, arn: id.arn, accountId: ctx.callerAccountId, accessKeyId: ctx.accessKeyId },
    eventTime: ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'organizations.amazonaws.com',
    eventName: 'MoveAccount',
    awsRegion: 'us-east-1',
    sourceIPAddress: ctx.sourceIp,
    userAgent: ctx.userAgent,
    requestParameters: requested,
    responseElements: null,
    requestID: ctx.requestId,
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
    recipientAccountId: ctx.callerAccountId,
  };
}

export function moveAccount(ctx: RequestContext, store: Store): Reply {
  const input = jsonObjectBody(ctx);
  if (!input) return jsonRpcError(ctx, 'SerializationException', 'Start of structure or map found where not expected.');
  if (ctx.callerAccountId !== store.organization.managementAccountId) return jsonRpcError(ctx, 'AccessDeniedException', NO_PERMISSION);
  const accountId = input.AccountId as string;
  const sourceParentId = input.SourceParentId as string;
  const destinationParentId = input.DestinationParentId as string;
  const isParent = (id: string) => store.roots.some((r) => r.id === id) || store.organizationalUnits.some((o) => o.id === id);
  const account = store.accounts.get(accountId);
  if (!account) return jsonRpcError(ctx, 'AccountNotFoundException', ACCOUNT_NOT_FOUND);
  if (!isParent(sourceParentId)) return jsonRpcError(ctx, 'SourceParentNotFoundException', SOURCE_NOT_FOUND);
  if (!isParent(destinationParentId)) return jsonRpcError(ctx, 'DestinationParentNotFoundException', DESTINATION_NOT_FOUND);
  // The API reference moves an account "from its current source parent" and names no error for a
  // SourceParentId that is a root or OU but not the account's parent: the emulator answers
  // SourceParentNotFoundException, the error about the source parent.
  if (store.parentOf(account) !== sourceParentId) return jsonRpcError(ctx, 'SourceParentNotFoundException', SOURCE_NOT_FOUND);
  if (sourceParentId === destinationParentId) return jsonRpcError(ctx, 'DuplicateAccountException', ALREADY_THERE);
  account.parentId = destinationParentId;
  store.recordEvent(ctx, moveRecord(ctx, store, { accountId, sourceParentId, destinationParentId }));
  return jsonRpcReply(ctx, {});
}
