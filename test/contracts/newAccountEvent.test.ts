/** The arrival events of README "New accounts": CreateAccountResult and an accepted AcceptHandshake. */
import { describe, expect, it } from 'vitest';
import { parseNewAccountEvent } from '../../src/contracts/newAccountEvent.ts';

const NEW = '555566667777';
const MANAGEMENT = '111111111111';

/** A CreateAccountResult as EventBridge delivers it (Organizations' CloudTrail service event). */
function createAccountResult(status: Record<string, unknown>, detail: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: 'a1b2c3d4-0000-0000-0000-000000000001',
    'detail-type': 'AWS Service Event via CloudTrail',
    source: 'aws.organizations',
    account: MANAGEMENT,
    time: '2026-12-01T10:00:05Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.08',
      userIdentity: { accountId: MANAGEMENT, invokedBy: 'AWS Internal' },
      eventTime: '2026-12-01T10:00:00Z',
      eventSource: 'organizations.amazonaws.com',
      eventName: 'CreateAccountResult',
      awsRegion: 'us-east-1',
      requestParameters: null,
      responseElements: null,
      eventID: '0f6c3c3e-1111-2222-3333-444455556666',
      readOnly: false,
      eventType: 'AwsServiceEvent',
      managementEvent: true,
      recipientAccountId: MANAGEMENT,
      serviceEventDetails: { createAccountStatus: status },
      eventCategory: 'Management',
      ...detail,
    },
  };
}

function acceptHandshake(detail: Record<string, unknown> = {}) {
  return {
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.organizations',
    time: '2026-12-02T08:00:00Z',
    detail: {
      eventSource: 'organizations.amazonaws.com',
      eventName: 'AcceptHandshake',
      eventTime: '2026-12-02T07:59:58Z',
      eventID: 'hs-event-1',
      userIdentity: { accountId: NEW },
      recipientAccountId: NEW,
      responseElements: { handshake: { action: 'INVITE', state: 'ACCEPTED' } },
      ...detail,
    },
  };
}

describe('parseNewAccountEvent', () => {
  it('reads the new account, its name and the time of a SUCCEEDED CreateAccountResult', () => {
    // Act
    const parsed = parseNewAccountEvent(createAccountResult({ id: 'car-abc12345', state: 'SUCCEEDED', accountId: NEW, accountName: 'new-app' }));
    // Assess
    expect(parsed).toEqual({
      kind: 'arrival',
      arrival: { accountId: NEW, accountName: 'new-app', source: 'CreateAccountResult', arrivedAt: '2026-12-01T10:00:00.000Z', eventId: '0f6c3c3e-1111-2222-3333-444455556666' },
    });
  });

  it('ignores a FAILED creation and one without an account ID, saying why', () => {
    // Act
    const failed = parseNewAccountEvent(createAccountResult({ state: 'FAILED', failureReason: 'EMAIL_ALREADY_EXISTS' }));
    const noId = parseNewAccountEvent(createAccountResult({ state: 'SUCCEEDED', accountId: '12345' }));
    // Assess
    expect(failed).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('"FAILED"'), eventId: '0f6c3c3e-1111-2222-3333-444455556666' });
    expect(noId).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('12-digit') });
  });

  it('takes the event time from the envelope when the record has none', () => {
    // Act
    const parsed = parseNewAccountEvent(createAccountResult({ state: 'SUCCEEDED', accountId: NEW }, { eventTime: undefined }));
    // Assess
    expect(parsed).toMatchObject({ kind: 'arrival', arrival: { arrivedAt: '2026-12-01T10:00:05.000Z' } });
  });

  it('reads an accepted invitation as the arrival of the accepting account', () => {
    // Act
    const parsed = parseNewAccountEvent(acceptHandshake());
    // Assess
    expect(parsed).toEqual({ kind: 'arrival', arrival: { accountId: NEW, source: 'AcceptHandshake', arrivedAt: '2026-12-02T07:59:58.000Z', eventId: 'hs-event-1' } });
  });

  it('ignores a handshake that adds no account, and a refused one', () => {
    // Act
    const allFeatures = parseNewAccountEvent(acceptHandshake({ responseElements: { handshake: { action: 'ENABLE_ALL_FEATURES' } } }));
    const refused = parseNewAccountEvent(acceptHandshake({ errorCode: 'HandshakeConstraintViolationException', responseElements: null }));
    // Assess
    expect(allFeatures).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('ENABLE_ALL_FEATURES') });
    expect(refused).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('errorCode') });
  });

  it('ignores other Organizations events, and leaves events of other services to the contact path', () => {
    // Act
    const other = parseNewAccountEvent({ ...acceptHandshake(), detail: { ...acceptHandshake().detail, eventName: 'CreateAccount' } });
    const account = parseNewAccountEvent({ source: 'aws.account', detail: { eventName: 'PutAlternateContact' } });
    // Assess
    expect(other).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('"CreateAccount"') });
    expect(account).toBeUndefined();
    expect(parseNewAccountEvent('junk')).toBeUndefined();
    expect(parseNewAccountEvent(null)).toBeUndefined();
  });

  it('does not take an account from a CreateAccountResult sent as an API call', () => {
    // Act
    const parsed = parseNewAccountEvent({ ...createAccountResult({ state: 'SUCCEEDED', accountId: NEW }), 'detail-type': 'AWS API Call via CloudTrail' });
    // Assess
    expect(parsed).toMatchObject({ kind: 'ignored' });
  });
});
