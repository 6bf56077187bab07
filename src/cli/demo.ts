import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClients } from '../providers/aws/clients.ts';
import { ReportsNotKeptError, awsProviderSource, exitCodeFor, runSweepJob } from '../audit/job.ts';
import { colorWanted, type CliIo } from './options.ts';
import { loadFixture, startEmulator } from '@contact-auditor/aws-emulator';
import { loadPolicyFile } from '../policy/yamlFile.ts';
import { renderReport } from '../report/render/index.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

/**
 * `npm start`: a full sweep of the bundled sample organization, through the real AWS SDK
 * clients, against the emulator started in this process. Runs as the Account Management
 * delegated administrator, the recommended set-up, and writes the reports to ./reports/.
 */
/** The options of `demo` (node:util parseArgs). */
export const DEMO_OPTIONS = { out: { type: 'string', default: 'reports' } } as const;

export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: DEMO_OPTIONS });
  const fixture = await loadFixture(`${EXAMPLES}sample-org.json`);
  const policy = await loadPolicyFile(`${EXAMPLES}policy.yaml`);
  const caller = fixture.organization.delegatedAdminAccountId ?? fixture.organization.managementAccountId;
  const emulator = await startEmulator({ fixture, port: 0 });
  try {
    io.stderr(
      `Emulator on ${emulator.url}: organization ${fixture.organization.id}, ${fixture.accounts.length} accounts.\n` +
        `Sweeping as the delegated administrator ${caller} with examples/policy.yaml, at the real quota (10 reads/s)…\n`,
    );
    const topicArn = `arn:aws:sns:us-east-1:${caller}:contact-auditor-alerts`;
    const outcome = await runSweepJob({
      policy,
      clients: createClients({
        endpoint: emulator.url,
        credentials: { accessKeyId: caller, secretAccessKey: 'demo' },
        forcePathStyle: true,
      }),
      provider: awsProviderSource(10),
      concurrency: 8,
      out: { kind: 'dir', path: values.out },
      topicArn,
      ...(io.stderrIsTTY ? { onProgress: (done, total) => io.stderr(`\r${done}/${total} accounts checked`) } : {}),
    }).catch((error: unknown) => {
      if (!(error instanceof ReportsNotKeptError)) throw error;
      if (io.stderrIsTTY) io.stderr('\n');
      // The demo shows no report it could not keep: the run fails naming what refused it.
      throw error.cause;
    });
    if (io.stderrIsTTY) io.stderr('\n');
    io.stdout(renderReport(outcome.report, 'table', { color: colorWanted(io, undefined) }));
    const alerts = emulator.state().snsMessages;
    io.stdout(
      `\nReports written to ${values.out}/ (runs/, latest/, findings/).\n` +
        `HTML report: ${outcome.finalized?.htmlLocation}\n` +
        `Alerts published to the emulator's SNS topic: ${alerts.map((m) => `"${m.subject}"`).join(', ') || 'none'}\n` +
        `A real sweep would have exited ${exitCodeFor(outcome.report.summary)} (1 = something is NON_COMPLIANT); the demo exits 0.\n`,
    );
    return 0;
  } finally {
    await emulator.close();
  }
}
