/**
 * SecurityHubImporter with the real SDK v3 client against the emulator's BatchImportFindings:
 * requests within the limits, throttling retried, refused findings returned, and the emulator
 * answering bad requests as the model says.
 */
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecurityHubImporter } from '../../../src/providers/aws/securityHub.ts';
import { type Emulator, loadFixture, startEmulator } from '@contact-auditor/aws-emulator';
import { asffBatches, asffFindings, type AsffFinding } from '../../../src/report/render/asff.ts';
import { compliant, missingSecurity, report } from '../../report/fixtures.ts';

const CALLER = '222222222222';
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ fixture: await loadFixture(new URL('../../../examples/sample-org.json', import.meta.url).pathname), port: 0 });
});
afterAll(async () => {
  await emulator?.close();
});

const client = (account = CALLER) =>
  new SecurityHubClient({ region: 'us-east-1', endpoint: emulator.url, maxAttempts: 1, credentials: { accessKeyId: account, secretAccessKey: 'test' } });
const noWait = { attempts: 5, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined };
/** 150 accounts × 3 contact types = 450 findings, imported as the report's caller (222222222222). */
const findings = () => asffFindings(report(Array.from({ length: 150 }, (_, i) => (i % 2 ? compliant : missingSecurity)(String(300000000000 + i)))));

describe('SecurityHubImporter', () => {
  it('imports 450 findings in 5 requests of at most 100, retrying a throttled one', async () => {
    // Prepare
    emulator.injectFault({ operation: 'BatchImportFindings', count: 2, kind: 'throttle' });

    // Act
    const outcome = await new SecurityHubImporter(client(), noWait).importBatches(asffBatches(findings()));

    // Assess
    expect(outcome).toEqual({ requests: 5, imported: 450, failed: [] });
    const stored = emulator.state().securityHubFindings.filter((f) => String(f.finding.Id).startsWith('contact-auditor/3000000001'));
    expect(stored.length).toBeGreaterThan(0);
    expect(emulator.state().throttledCounts.BatchImportFindings).toBe(2);
  });

  it('returns the findings Security Hub refuses: another account than the caller in AwsAccountId', async () => {
    const outcome = await new SecurityHubImporter(client('999999999999'), noWait).importBatches(asffBatches(findings().slice(0, 3)));
    expect(outcome.imported).toBe(0);
    expect(outcome.failed).toEqual(findings().slice(0, 3).map((f) => expect.objectContaining({ Id: f.Id, ErrorCode: 'AccessDeniedException' })));
  });
});

describe('the emulated BatchImportFindings', () => {
  it('refuses a request of more than 100 findings with InvalidInputException', async () => {
    const Findings = findings().slice(0, 101) as unknown as NonNullable<ConstructorParameters<typeof BatchImportFindingsCommand>[0]['Findings']>;
    await expect(client().send(new BatchImportFindingsCommand({ Findings }))).rejects.toMatchObject({ name: 'InvalidInputException', $metadata: { httpStatusCode: 400 } });
  });

  it('fails one finding without a required member and imports the rest', async () => {
    const [bad, good] = findings() as [AsffFinding, AsffFinding];
    const broken = { ...bad, Title: ' ' };
    const Findings = [broken, good] as unknown as NonNullable<ConstructorParameters<typeof BatchImportFindingsCommand>[0]['Findings']>;
    const out = await client().send(new BatchImportFindingsCommand({ Findings }));
    expect(out).toMatchObject({ SuccessCount: 1, FailedCount: 1, FailedFindings: [{ Id: bad.Id, ErrorCode: 'InvalidInput' }] });
  });
});
