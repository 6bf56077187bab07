/**
 * The middy-wrapped handler with Powertools idempotency on a DynamoDB table mocked by
 * aws-sdk-client-mock (an in-memory table honouring Powertools' conditional put), and the rest of
 * AWS answered by the emulator.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  adapters,
  cachedPolicy,
  idempotencyConfigFor,
  idempotencyDedupe,
  makeHandler,
  runtimeFromEnv,
  type ContactChangeRuntime,
} from '../../handlers/contactChangeRuntime.ts';
import { createClients, type AwsClients } from '../../src/providers/aws/clients.ts';
import { actionsOf } from '../../src/providers/aws/iam.ts';
import { ObjectStore } from '../../src/providers/aws/objects.ts';
import { silentLog } from '../../src/audit/event.ts';
import { type Emulator, type Fixture, startEmulator } from '@contact-auditor/aws-emulator';
import { policyFromDomains } from '../../src/policy/load.ts';
import { MANAGEMENT, smallOrg } from '../fixtures/organizations.ts';
import { lambdaContext, savedEvent } from './lambda.ts';

/** The account the saved guide events name. */
const ACCOUNT = '123456789012';
const TOPIC = `arn:aws:sns:us-east-1:${MANAGEMENT}:alerts`;
const contact = (local: string) => ({ name: local, title: local, emailAddress: `${local}@example.com`, phoneNumber: '+1 206 555 0100' });
/** The shared small organization with the guide's account added, its three contacts on the company domain. */
const org = smallOrg();
const fixture: Fixture = {
  ...org,
  accounts: [
    ...org.accounts,
    { id: ACCOUNT, name: 'guide-account', email: 'aws+guide@example.com', state: 'ACTIVE', contacts: { BILLING: contact('billing'), OPERATIONS: contact('ops'), SECURITY: contact('sec') } },
  ],
};
const event = savedEvent;
const ddb = mockClient(DynamoDBClient);

/** An in-memory DynamoDB table with Powertools' conditional put (attribute_not_exists OR expired). */
function fakeTable() {
  const items = new Map<string, Record<string, AttributeValue>>();
  const id = (key: Record<string, AttributeValue> | undefined) => key?.id?.S ?? '';
  ddb.on(PutItemCommand).callsFake((input) => {
    const item = input.Item as Record<string, AttributeValue>;
    const existing = items.get(id(item));
    const now = Date.now();
    const expired = existing && Number(existing.expiration?.N) < now / 1000;
    const inProgressExpired =
      existing && existing.status?.S === 'INPROGRESS' && existing.in_progress_expiration && Number(existing.in_progress_expiration.N) < now;
    if (existing && !expired && !inProgressExpired) {
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: existing });
    }
    items.set(id(item), item);
    return {};
  });
  ddb.on(GetItemCommand).callsFake((input) => ({ Item: items.get(id(input.Key)) }));
  ddb.on(UpdateItemCommand).callsFake((input) => {
    const item = items.get(id(input.Key));
    if (!item) throw new Error('update of a missing item');
    const names = input.ExpressionAttributeNames ?? {};
    const values = input.ExpressionAttributeValues ?? {};
    for (const [placeholder, attribute] of Object.entries(names)) {
      const value = values[`:${placeholder.slice(1)}`];
      if (value) item[attribute as string] = value;
    }
    return {};
  });
  ddb.on(DeleteItemCommand).callsFake((input) => {
    items.delete(id(input.Key));
    return {};
  });
  return items;
}

const newContext = (): Context => lambdaContext(`req-${Math.random()}`);

let emu: Emulator;
let table: Map<string, Record<string, AttributeValue>>;
const logger = new Logger({ serviceName: 'contact-auditor-test', logLevel: 'SILENT' });

beforeAll(async () => {
  emu = await startEmulator({ fixture, port: 0, quotaScale: 100 });
  emu.createTopic(TOPIC);
});
afterAll(async () => {
  await emu?.close();
  ddb.restore();
});
beforeEach(() => {
  ddb.reset();
  table = fakeTable();
});

// API operations whose IAM action has another name.
const ACTION_OF_OPERATION: Record<string, string> = { 's3:ListObjectsV2': 's3:ListBucket', 's3:HeadObject': 's3:GetObject' };
/** Adds the IAM action of every call the clients make to `called` (seen by a middleware). */
function recordCalls(clients: AwsClients, called: Set<string>): AwsClients {
  for (const [service, client] of Object.entries(clients)) {
    client.middlewareStack.add(
      (next: any, context: any) => async (args: any) => {
        const operation = `${service}:${String(context.commandName).replace(/Command$/, '')}`;
        called.add(ACTION_OF_OPERATION[operation] ?? operation);
        return next(args);
      },
      { step: 'initialize', name: 'recordCalledActions' },
    );
  }
  return clients;
}

function runtime(overrides: Partial<ContactChangeRuntime> = {}, called = new Set<string>()): ContactChangeRuntime {
  const clients = recordCalls(createClients({ endpoint: emu.url, credentials: { accessKeyId: MANAGEMENT, secretAccessKey: 'x' }, forcePathStyle: true }), called);
  const config = idempotencyConfigFor(3600);
  const persistence = new DynamoDBPersistenceLayer({ tableName: 'idempotency', awsSdkV3Client: new DynamoDBClient({ region: 'us-east-1' }) });
  return {
    policy: policyFromDomains(['example.com']),
    topicArn: TOPIC,
    clients,
    changes: { storage: new ObjectStore('reports', clients.s3), prefix: '' },
    context: async () => ({ callerAccountId: MANAGEMENT, managementAccountId: MANAGEMENT, organizationId: 'o-abc123defg' }),
    dedupe: idempotencyDedupe(persistence, config),
    idempotencyConfig: config,
    log: silentLog,
    ...overrides,
  };
}

const messagesFor = (eventId: string) => emu.state().snsMessages.filter((m) => m.message.includes(eventId));

describe('handler (middy + Powertools idempotency on DynamoDB)', () => {
  it('alerts once when EventBridge delivers the same event twice', async () => {
    const rt = runtime();
    const handler = makeHandler(() => rt, logger);
    const e = event('guide-example-2-put-alternate-contact');

    const first = await handler(e, newContext());
    const second = await handler(structuredClone(e), newContext());

    expect(first).toMatchObject({ kind: 'changed', eventId: e.detail.eventID, accountId: ACCOUNT, status: 'COMPLIANT', messageId: expect.any(String) });
    expect(second).toEqual({ kind: 'duplicate', eventId: e.detail.eventID });
    expect(messagesFor(e.detail.eventID)).toHaveLength(1);
    // One record for the event, completed: what makes the next delivery a duplicate.
    expect(table.size).toBe(1);
    const [record] = [...table.values()];
    expect(record?.status?.S).toBe('COMPLETED');
    // Records expire: TTL on `expiration`, about an hour from now here.
    expect(Number(record?.expiration?.N)).toBeGreaterThan(Date.now() / 1000 + 3500);
  });

  it('a second delivery in a new container (cold start, same table) is still a duplicate', async () => {
    const e = event('guide-example-3-delete-alternate-contact');
    await makeHandler(() => runtime(), logger)(e, newContext());
    const again = await makeHandler(() => runtime(), logger)(e, newContext());
    expect(again).toEqual({ kind: 'duplicate', eventId: e.detail.eventID });
    expect(messagesFor(e.detail.eventID)).toHaveLength(1);
  });

  it('a failed publish rejects and releases the event ID, so the retry alerts', async () => {
    const e = event('org-context-put-accountId');
    e.detail.requestParameters.accountId = ACCOUNT;
    const rt = runtime();
    const failing = runtime({ dedupe: rt.dedupe, idempotencyConfig: rt.idempotencyConfig, topicArn: 'arn:aws:sns:us-east-1:111111111111:' }); // malformed: the emulator refuses it
    await expect(makeHandler(() => failing, logger)(e, newContext())).rejects.toThrow();
    expect(table.size).toBe(0);

    const retried = await makeHandler(() => rt, logger)(e, newContext());
    expect(retried).toMatchObject({ kind: 'changed' });
    expect(messagesFor(e.detail.eventID)).toHaveLength(1);
  });

  it('a twin arriving while the first is in flight fails (EventBridge retries it later) instead of alerting twice', async () => {
    const e = event('denied-put-alternate-contact');
    const rt = runtime();
    const handler = makeHandler(() => rt, logger);
    const results = await Promise.allSettled([handler(e, newContext()), handler(structuredClone(e), newContext())]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as Error).name).toBe('IdempotencyAlreadyInProgressError');
    expect(messagesFor(e.detail.eventID)).toHaveLength(1);
    // The retry, once the first has completed, is a duplicate.
    expect(await handler(e, newContext())).toEqual({ kind: 'duplicate', eventId: e.detail.eventID });
  });

  it('acknowledges ignored and malformed events without touching DynamoDB', async () => {
    const handler = makeHandler(() => runtime(), logger);
    for (const input of [event('guide-example-1-get-alternate-contact'), { detail: 'x'.repeat(300_000) }, null, 'text', [1, 2]]) {
      expect(await handler(input, newContext())).toMatchObject({ kind: 'ignored', reason: expect.any(String) });
    }
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('runtimeFromEnv', () => {
  const base = {
    CONTACT_AUDIT_TOPIC_ARN: TOPIC,
    CONTACT_AUDIT_IDEMPOTENCY_TABLE: 'idempotency',
    CONTACT_AUDIT_REPORT_BUCKET: 'reports',
    CONTACT_AUDIT_PARTITION: 'aws',
    AWS_REGION: 'us-east-1',
  };

  it('builds the runtime from the function environment, the policy read from the bucket when needed', () => {
    const rt = runtimeFromEnv(base, logger);
    expect(rt.topicArn).toBe(TOPIC);
    expect(typeof rt.policy).toBe('function');
    expect(rt.changes?.storage.locate('k')).toBe('s3://reports/k');
  });

  it('takes the policy from CONTACT_AUDIT_POLICY or CONTACT_AUDIT_COMPANY_DOMAINS without a bucket', async () => {
    const noBucket = { ...base, CONTACT_AUDIT_REPORT_BUCKET: undefined };
    const read = async (env: Record<string, string | undefined>) => {
      const { policy } = runtimeFromEnv(env, logger);
      return typeof policy === 'function' ? policy() : policy;
    };
    expect(await read({ ...noBucket, CONTACT_AUDIT_POLICY: '{"companyDomains": ["example.com"]}' })).toMatchObject({ companyDomains: ['example.com'] });
    expect(await read({ ...noBucket, CONTACT_AUDIT_COMPANY_DOMAINS: 'example.org' })).toMatchObject({ companyDomains: ['example.org'] });
    await expect(read({ ...noBucket, CONTACT_AUDIT_POLICY: '{"companyDomains": []}' })).rejects.toThrow(/CONTACT_AUDIT_POLICY/);
    expect(() => runtimeFromEnv(noBucket, logger)).toThrow(/no policy/);
  });

  it.each(['CONTACT_AUDIT_TOPIC_ARN', 'CONTACT_AUDIT_IDEMPOTENCY_TABLE'])('fails the cold start naming %s when it is missing', (name) => {
    expect(() => runtimeFromEnv({ ...base, [name]: undefined }, logger)).toThrow(name);
  });
});

describe('cachedPolicy', () => {
  it('reads once per TTL and does not keep a failure', async () => {
    let t = 0;
    let calls = 0;
    let fail = true;
    const load = async () => {
      calls++;
      if (fail) throw new Error('no policy');
      return policyFromDomains(['example.com']);
    };
    const policy = cachedPolicy(load, 1000, () => t);
    await expect(policy()).rejects.toThrow('no policy');
    fail = false;
    await policy();
    await policy();
    expect(calls).toBe(2);
    t = 2000;
    await policy();
    expect(calls).toBe(3);
  });
});

/**
 * Every AWS call the function makes, as IAM actions, on the paths the handler tests above take: an
 * alerted change of each kind, a redelivery, a twin in flight, and a failed publish and its retry.
 * The clients' own calls are seen by a middleware, the idempotency table's by the DynamoDB mock.
 * What the adapters declare is checked against this, not against a second hand-written list.
 */
async function actionsCalled(): Promise<Set<string>> {
  const called = new Set<string>();
  const fresh = (name: string) => {
    const e = event(name);
    // IDs of their own: the alerts counted by the tests above stay theirs.
    e.detail.eventID = crypto.randomUUID();
    return e;
  };
  const rt = runtime({}, called);
  const handler = makeHandler(() => rt, logger);
  for (const name of ['guide-example-2-put-alternate-contact', 'guide-example-3-delete-alternate-contact', 'denied-put-alternate-contact']) {
    const e = fresh(name);
    await Promise.allSettled([handler(e, newContext()), handler(structuredClone(e), newContext())]);
    await handler(structuredClone(e), newContext());
  }
  const retried = fresh('org-context-put-accountId');
  retried.detail.requestParameters.accountId = ACCOUNT;
  const failing = runtime({ dedupe: rt.dedupe, idempotencyConfig: rt.idempotencyConfig, topicArn: 'arn:aws:sns:us-east-1:111111111111:' }, called);
  await expect(makeHandler(() => failing, logger)(retried, newContext())).rejects.toThrow();
  expect(await handler(retried, newContext())).toMatchObject({ kind: 'changed' });
  for (const call of ddb.calls()) called.add(`dynamodb:${call.args[0].constructor.name.replace(/Command$/, '')}`);
  return called;
}

describe('adapters', () => {
  it('declare every call the function makes', async () => {
    const called = await actionsCalled();
    expect(called.size).toBeGreaterThan(0);
    expect(actionsOf(adapters)).toEqual(expect.arrayContaining([...called]));
  });

  it('declare nothing beyond those calls but the paths the handler does not take here', async () => {
    const called = await actionsCalled();
    // Each is reached only on a path left out here, so it cannot be observed.
    const NOT_TAKEN: Record<string, string> = {
      'account:GetContactInformation': 'policy with a primaryContact section',
      'account:GetPrimaryEmail': 'policy with a rootEmail section',
      'account:GetPrimaryEmailUpdateStatus': 'policy with rootEmail.updateStatus',
      'organizations:DescribeOrganization': 'auditor context (the tests give their own)',
      'organizations:ListRoots': 'policy with OU overrides',
      'organizations:ListParents': 'policy with OU overrides',
      'organizations:DescribeOrganizationalUnit': 'policy with OU overrides',
      'dynamodb:GetItem': 'an idempotency record Powertools must read back',
      's3:ListBucket': 'a GetObject of a missing key answers 404 only with it',
    };
    const extra = actionsOf(adapters).filter((action) => !called.has(action));
    expect(extra.filter((action) => !(action in NOT_TAKEN))).toEqual([]);
  });
});
