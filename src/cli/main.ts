/** The command line: `contact-audit COMMAND …`, one file per command in this folder (SPEC.md §6). */
import { AccountSelectionError, ConfigError, NoCredentialsError, SetupError, UsageError, errorText } from '../errors.ts';
import { PolicyError } from '../policy/load.ts';
import { EXIT, processIo, version, type CliIo } from './options.ts';

/** What `--help` prints: every command with every option it accepts (test/cli/help.test.ts holds it to the option specs). */
const HELP = `contact-audit — audits the alternate contacts of every account of an AWS Organization

Usage:
  contact-audit sweep  [--config FILE] [--domain D]... [--format table|json|csv|markdown|html|asff|ocsf|junit]
                       [--out DIR | --out s3://BUCKET/PREFIX] [--topic-arn ARN] [--accounts ID,...]
                       [--rate N] [--concurrency N] [--cloud aws|alibaba]
                       [--failing] [--status STATUS,...] [--code CODE,...] [--ou OU-ID|PATH|NAME]
                       # list only these accounts (table, csv, markdown); the kept reports stay whole
  contact-audit event  FILE|- [--config FILE] [--domain D]... [--topic-arn ARN] [--out DIR|s3://...]
  contact-audit test-alert --topic-arn ARN
  contact-audit doctor [--pipeline-role ARN] [--for cli|stack] [--format text|json]
                       # checks trusted access, delegated admin, permissions, the SCP lock, an org trail
                       # (--for cli: skips what only the deployed stack needs)
  contact-audit emulator [--fixture FILE | --generate N [--seed S]] [--port P]
                       [--quota-scale X] [--fault-rate R] [--latency-ms MS]
                       [--bucket NAME]... [--topic NAME|ARN]...   # create these before use
                       [--alibaba-fixture FILE | --alibaba-generate N]
  contact-audit demo   [--out DIR]
  contact-audit --help | --version

Exit codes: 0 every account COMPLIANT, EXEMPT or SKIPPED; 1 at least one NON_COMPLIANT;
2 usage or configuration error; 3 no NON_COMPLIANT but at least one UNKNOWN;
4 the run could not complete (AWS unreachable, report not written, alerts not delivered).
130/143 sweep stopped by SIGINT/SIGTERM (after any switch of latest/ under way).

AWS credentials and region come from the standard AWS chain; endpoints from AWS_ENDPOINT_URL.
--cloud alibaba audits an Alibaba Cloud Resource Directory instead (docs/alibaba.md): credentials from
ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, endpoint from ALIBABA_CLOUD_ENDPOINT.
Alerts go to --topic-arn or CONTACT_AUDIT_TOPIC_ARN.
`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  sweep: async () => (await import('./sweep.ts')).sweepCommand,
  demo: async () => (await import('./demo.ts')).demoCommand,
  emulator: async () => (await import('./emulator.ts')).emulatorCommand,
  event: async () => (await import('./event.ts')).eventCommand,
  'test-alert': async () => (await import('./testAlert.ts')).testAlertCommand,
  doctor: async () => (await import('./doctor.ts')).doctorCommand,
};

/** Runs the command line and returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${version()}\n`);
    return EXIT.OK;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr(`contact-audit: unknown command "${name}"\n\n${HELP}`);
    return EXIT.USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(HELP);
    return EXIT.OK;
  }
  try {
    return await (await load())(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof UsageError || error instanceof PolicyError || error instanceof ConfigError || error instanceof AccountSelectionError) {
    io.stderr(`contact-audit: ${error.message}\n`);
    return EXIT.USAGE;
  }
  if (error instanceof NoCredentialsError) {
    io.stderr(`contact-audit: ${error.message}\n`);
    return EXIT.USAGE;
  }
  if (error instanceof SetupError) {
    io.stderr(`contact-audit: cannot sweep the organization: ${error.message}\n`);
    return EXIT.USAGE;
  }
  // node:util parseArgs: unknown option, missing value.
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    io.stderr(`contact-audit: ${error.message}\n`);
    return EXIT.USAGE;
  }
  const name = error instanceof Error ? error.name : 'Error';
  io.stderr(`contact-audit: the run could not complete: ${name}: ${errorText(error)}\n`);
  return EXIT.FAILED;
}
