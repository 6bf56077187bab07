/**
 * A security review of the whole template, as a reviewer of the security team would read it:
 * every store encrypted, nothing public, TLS only, and nothing secret or personal in the
 * functions' environment. (Least privilege per role: iam.test.ts.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_PARAMS, packaged, resourcesOfType, type Template } from './packaged.ts';

let template: Template;
beforeAll(async () => {
  ({ template } = await packaged());
}, 180_000);

/** Every statement of every resource policy in the template. */
function resourcePolicyStatements(): { id: string; statement: Record<string, any> }[] {
  const out: { id: string; statement: Record<string, any> }[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const props = resource.Properties ?? {};
    const documents = [props.PolicyDocument, props.KeyPolicy].filter(Boolean);
    if (resource.Type === 'AWS::Events::EventBusPolicy') documents.push({ Statement: [props.Statement] });
    if (resource.Type.startsWith('AWS::IAM::')) continue;
    for (const doc of documents) for (const statement of [doc.Statement].flat()) out.push({ id, statement });
  }
  return out;
}

describe('security review of the template', () => {
  it('encrypts every store: buckets, queues, topics, tables', () => {
    const buckets = resourcesOfType(template, 'AWS::S3::Bucket');
    expect(buckets.length).toBeGreaterThan(0);
    for (const [id, b] of buckets) expect(b.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration, id).toBeDefined();
    // Each kind is in the stack (dead-letter queues, the alert topic, the idempotency table): an empty
    // list would let its loop pass without checking anything.
    const queues = resourcesOfType(template, 'AWS::SQS::Queue');
    const topics = resourcesOfType(template, 'AWS::SNS::Topic');
    const tables = resourcesOfType(template, 'AWS::DynamoDB::Table');
    expect(queues.length).toBeGreaterThan(0);
    expect(topics.length).toBeGreaterThan(0);
    expect(tables.length).toBeGreaterThan(0);
    for (const [id, q] of queues) {
      expect(q.Properties?.SqsManagedSseEnabled === true || q.Properties?.KmsMasterKeyId !== undefined, id).toBe(true);
    }
    for (const [id, t] of topics) expect(t.Properties?.KmsMasterKeyId, id).toBeDefined();
    for (const [id, t] of tables) expect(t.Properties?.SSESpecification?.SSEEnabled, id).toBe(true);
  });

  it('blocks all public access on every bucket and denies plain HTTP to it', () => {
    const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy');
    const buckets = resourcesOfType(template, 'AWS::S3::Bucket');
    expect(buckets.length).toBeGreaterThan(0);
    for (const [id, b] of buckets) {
      expect(b.Properties?.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const policy = policies.find(([, p]) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: id }));
      expect(policy, `${id} has a bucket policy`).toBeDefined();
      const statements = [policy![1].Properties?.PolicyDocument?.Statement].flat();
      expect(
        statements.some((s) => s.Effect === 'Deny' && /"aws:SecureTransport":"?false"?/.test(JSON.stringify(s.Condition))),
        `${id} denies requests without TLS`,
      ).toBe(true);
    }
  });

  it('opens no resource policy to everyone without a condition that narrows it', () => {
    // The bucket, topic, queue and event bus policies are there to be read: none found would pass vacuously.
    const statements = resourcePolicyStatements();
    expect(new Set(statements.map(({ id }) => template.Resources[id]!.Type))).toEqual(
      new Set(['AWS::S3::BucketPolicy', 'AWS::SNS::TopicPolicy', 'AWS::SQS::QueuePolicy', 'AWS::Events::EventBusPolicy', 'AWS::KMS::Key']),
    );
    const open = statements.filter(
      ({ statement }) => statement.Effect === 'Allow' && (statement.Principal === '*' || statement.Principal?.AWS === '*') && !statement.Condition,
    );
    expect(open).toEqual([]);
  });

  it('puts no secret, credential or contact data in any function environment', () => {
    const functions = resourcesOfType(template, 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(4);
    for (const [id, fn] of functions) {
      const variables: Record<string, unknown> = fn.Properties?.Environment?.Variables ?? {};
      for (const [name, value] of Object.entries(variables)) {
        expect(name, `${id}.${name}`).not.toMatch(/SECRET|PASSWORD|PRIVATE|CREDENTIAL|ACCESS_KEY|SESSION_TOKEN/i);
        const text = JSON.stringify(value);
        expect(text, `${id}.${name}`).not.toMatch(/AKIA[0-9A-Z]{12,}/);
        expect(text, `${id}.${name}`).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
        expect(text, `${id}.${name}`).not.toMatch(/\+?\d[\d ()-]{7,}\d/);
      }
    }
    // The alert e-mail given at deployment goes to the subscription only, never to a function.
    const alertEmail = CLI_PARAMS.find((p) => p.startsWith('alertEmail='))!.split('=')[1]!;
    expect(JSON.stringify(functions)).not.toContain(alertEmail);
    expect(JSON.stringify(resourcesOfType(template, 'AWS::SNS::Subscription'))).toContain(alertEmail);
  });
});
