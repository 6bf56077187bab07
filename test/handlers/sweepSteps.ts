/** The three step functions of the deployed sweep, imported as Lambda loads them, for tests that run them in the state machine's order. */
import type { FinishOutput, StartOutput } from '../../src/contracts/sweepWork.ts';
import { type Emulator, type Fixture, startEmulator } from '@contact-auditor/aws-emulator';

export interface SweepHandlers {
  sweepList: (event: unknown) => Promise<StartOutput>;
  sweepBatch: (event: unknown) => Promise<unknown>;
  sweepFinalize: (event: unknown) => Promise<FinishOutput>;
}

/**
 * Points the handlers at the emulator as `callerAccountId`, with the stack's `settings`
 * (CONTACT_AUDIT_REPORT_BUCKET …), then imports them: they read their config once, at import, as
 * in a Lambda cold start. `restoreEnv` puts the process environment back.
 */
async function importSweepHandlers(
  emulatorUrl: string,
  callerAccountId: string,
  settings: Record<string, string>,
): Promise<{ handlers: SweepHandlers; restoreEnv: () => void }> {
  const savedEnv = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulatorUrl,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: callerAccountId,
    AWS_SECRET_ACCESS_KEY: 'emulator',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...settings,
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  const [list, batch, finalize] = await Promise.all([
    import('../../handlers/sweepList.ts'),
    import('../../handlers/sweepBatch.ts'),
    import('../../handlers/sweepFinalize.ts'),
  ]);
  const restoreEnv = (): void => {
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  };
  return { handlers: { sweepList: list.sweepList, sweepBatch: batch.sweepBatch, sweepFinalize: finalize.sweepFinalize }, restoreEnv };
}

/** An emulator (Account Management quotas ×20) with the stack's bucket and topic, and the step handlers pointed at it. */
export interface DeployedSweep {
  emu: Emulator;
  handlers: SweepHandlers;
  /** Puts the environment back and stops the emulator. */
  close(): Promise<void>;
}

/**
 * The deployed sweep on the emulator, as the delegated administrator: `settings` adds to (or
 * overrides) the stack's bucket, topic and company domain (example.com).
 */
export async function deployedSweep(fixture: Fixture, bucket: string, topic: string, settings: Record<string, string> = {}): Promise<DeployedSweep> {
  const emu = await startEmulator({ fixture, port: 0, quotaScale: 20 });
  emu.createBucket(bucket);
  emu.createTopic(topic);
  const caller = fixture.organization.delegatedAdminAccountId ?? '';
  try {
    const { handlers, restoreEnv } = await importSweepHandlers(emu.url, caller, {
      CONTACT_AUDIT_REPORT_BUCKET: bucket,
      CONTACT_AUDIT_TOPIC_ARN: topic,
      CONTACT_AUDIT_COMPANY_DOMAINS: 'example.com',
      ...settings,
    });
    return {
      emu,
      handlers,
      close: async () => {
        restoreEnv();
        await emu.close();
      },
    };
  } catch (error) {
    await emu.close();
    throw error;
  }
}
