/**
 * Both clouds behind the one Provider interface (src/providers/provider.ts): each declares the
 * permissions and quotas it needs, and tells the cloud's errors apart the same way, so that only
 * "not found" may read as absence and everything else leaves a subject UNKNOWN with its code.
 */
import { AccessDeniedException, ResourceNotFoundException, TooManyRequestsException } from '@aws-sdk/client-account';
import { describe, expect, it } from 'vitest';
import type { AlibabaClients } from '../../src/providers/alibaba/client.ts';
import { ResourceDirectoryAdapter } from '../../src/providers/alibaba/directory.ts';
import { AlibabaProvider } from '../../src/providers/alibaba/alibabaProvider.ts';
import { ContactsAdapter } from '../../src/providers/aws/contacts.ts';
import { IdentityAdapter } from '../../src/providers/aws/identity.ts';
import { OrganizationsAdapter } from '../../src/providers/aws/organizations.ts';
import { AwsProvider } from '../../src/providers/aws/awsProvider.ts';
import type { Provider } from '../../src/providers/provider.ts';
import { parsePolicy } from '../../src/policy/load.ts';

const unused = { request: async () => ({}) };
const alibaba = (): Provider => new AlibabaProvider({ resourceDirectory: unused, sts: unused } satisfies AlibabaClients, { ratePerSecond: 5 });
const aws = (): Provider => new AwsProvider({ identity: new IdentityAdapter(), organizations: new OrganizationsAdapter(), contacts: new ContactsAdapter() });

/** An error as Alibaba's RPC client throws it. */
const alibabaError = (code: string, status: number) => Object.assign(new Error(`${code} here`), { code, data: { Code: code, Message: `${code} here` }, entry: { response: { statusCode: status } } });
const awsError = <E extends new (o: { message: string; $metadata: object }) => Error>(type: E) => new type({ message: 'said AWS', $metadata: {} });

describe('the Provider interface', () => {
  it('each provider declares the actions its caller needs and the quotas it paces under', () => {
    expect(aws().permissions).toEqual(expect.arrayContaining(['account:GetAlternateContact', 'organizations:ListAccounts', 'organizations:DescribeOrganization']));
    expect(alibaba().permissions).toEqual(ResourceDirectoryAdapter.ramActions);
    expect(aws().quotas.find((q) => q.operation === 'GetAlternateContact')).toEqual({ operation: 'GetAlternateContact', ratePerSecond: 10, burst: 15 });
    expect(alibaba().quotas.map((q) => q.operation)).toEqual(['ResourceDirectory']);
  });

  it.each([
    ['aws', awsError(TooManyRequestsException), { kind: 'throttled', code: 'TooManyRequestsException' }],
    ['aws', awsError(AccessDeniedException), { kind: 'access-denied', code: 'AccessDeniedException' }],
    ['aws', awsError(ResourceNotFoundException), { kind: 'not-found', code: 'ResourceNotFoundException' }],
    ['aws', Object.assign(new Error('reset'), { code: 'ECONNRESET' }), { kind: 'retryable', code: 'ECONNRESET' }],
    ['alibaba', alibabaError('Throttling.User', 400), { kind: 'throttled', code: 'Throttling.User' }],
    ['alibaba', alibabaError('NoPermission', 403), { kind: 'access-denied', code: 'NoPermission' }],
    ['alibaba', alibabaError('EntityNotExists.Account', 404), { kind: 'not-found', code: 'EntityNotExists.Account' }],
    ['alibaba', alibabaError('InternalError', 500), { kind: 'retryable', code: 'InternalError' }],
    ['alibaba', alibabaError('InvalidParameter', 400), { kind: 'failed', code: 'InvalidParameter' }],
  ] as const)('%s: an error becomes %o', (cloud, error, expected) => {
    expect((cloud === 'aws' ? aws() : alibaba()).classify(error)).toMatchObject(expected);
  });

  it('an Alibaba sweep reports its message types and section domains as the policy it applied', () => {
    const policy = { companyDomains: ['example.com'], alibaba: { companyDomains: ['example.cn'], requiredMessageTypes: ['SecurityMessage'] } };
    const applied = alibaba().appliedPolicy(parsePolicy(policy));
    expect([applied.companyDomains, applied.requiredContactTypes]).toEqual([['example.cn'], ['SecurityMessage']]);
    expect(aws().appliedPolicy(parsePolicy(policy)).requiredContactTypes).toEqual(['BILLING', 'OPERATIONS', 'SECURITY']);
  });
});
