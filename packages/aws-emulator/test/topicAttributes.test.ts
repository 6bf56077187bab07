/**
 * The emulator's SNS GetTopicAttributes, held to the botocore model of the AWS CLI on this machine:
 * the operation's declared errors and their wire codes (NotFound 404, AuthorizationError 403), and
 * the TopicAttributesMap it returns, read back by the real SDK client.
 */
import { GetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/server.ts';
import { botocoreModel } from '../../../test/fixtures/botocoreModels.ts';
import { DELEGATED_ADMIN, MANAGEMENT, smallOrg } from '../../../test/fixtures/organizations.ts';
import { clients, failure } from './helpers.ts';

const model = botocoreModel('sns');
const TOPIC = `arn:aws:sns:us-east-1:${DELEGATED_ADMIN}:alerts`;
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ fixture: { ...smallOrg(), topics: [{ arn: TOPIC }] }, port: 0 });
});
afterAll(async () => emu?.close());

describe.skipIf(!model)('SNS GetTopicAttributes against the botocore model', () => {
  const errorCode = (shape: string) => model!.shapes[shape]?.error;

  it('answers the owner with the attributes map of the model', async () => {
    const operation = model!.operations.GetTopicAttributes!;
    const output = model!.shapes[operation.output!.shape]!;
    expect(model!.shapes[output.members!.Attributes!.shape]!.type).toBe('map');

    const out = await clients(emu, DELEGATED_ADMIN).sns.send(new GetTopicAttributesCommand({ TopicArn: TOPIC }));
    expect(out.Attributes).toMatchObject({ TopicArn: TOPIC, Owner: DELEGATED_ADMIN });
  });

  it('a missing topic and a foreign caller get the errors the model declares, with their codes and statuses', async () => {
    const declared = model!.operations.GetTopicAttributes!.errors!.map((e) => e.shape);
    expect(declared).toEqual(expect.arrayContaining(['NotFoundException', 'AuthorizationErrorException']));

    const missing = await failure(clients(emu, DELEGATED_ADMIN).sns.send(new GetTopicAttributesCommand({ TopicArn: `${TOPIC}-gone` })));
    expect(missing.name).toBe('NotFoundException');
    expect(errorCode('NotFoundException')).toMatchObject({ code: 'NotFound', httpStatusCode: missing.$metadata?.httpStatusCode });

    const foreign = await failure(clients(emu, MANAGEMENT).sns.send(new GetTopicAttributesCommand({ TopicArn: TOPIC })));
    expect(foreign.name).toBe('AuthorizationErrorException');
    expect(errorCode('AuthorizationErrorException')).toMatchObject({ code: 'AuthorizationError', httpStatusCode: foreign.$metadata?.httpStatusCode });
  });
});
