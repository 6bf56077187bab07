/**
 * The commands of `contact-audit` in one table: what each does, its positional arguments, and
 * where its parser's options are. The help pages (`--help`, `COMMAND --help`) and the shell
 * completion (`contact-audit completion bash|zsh`) are generated from this table and the parsers'
 * own option specs, so neither can list an option the parser refuses or miss one it takes.
 */
import type { CliIo } from './options.ts';

/** One option as node:util parseArgs declares it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  default?: string | boolean | string[] | boolean[];
}

type Command = (args: string[], io: CliIo) => Promise<number>;

export interface CommandEntry {
  /** One line: what the command does. */
  summary: string;
  /** The positional arguments, as the usage line shows them ("FILE|-", "check FILE"). */
  positionals?: string;
  /** Loads the command and the option spec its parser uses (the command's module is loaded only when needed). */
  load: () => Promise<{ run: Command; options: Readonly<Record<string, OptionSpec>> }>;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  sweep: {
    summary: 'Sweeps the organization once: reads every account\'s alternate contacts and prints the report.',
    load: async () => {
      const m = await import('./sweepCommand.ts');
      return { run: m.sweepCommand, options: m.SWEEP_OPTIONS };
    },
  },
  event: {
    summary: 'Handles EventBridge events (a file, or - for stdin) exactly as the real-time function does; records new accounts, checked by --due.',
    positionals: 'FILE|-',
    load: async () => {
      const m = await import('./eventCommand.ts');
      return { run: m.eventCommand, options: m.EVENT_OPTIONS };
    },
  },
  'test-alert': {
    summary: 'Publishes a TEST alert, to prove the alert path works end to end.',
    load: async () => {
      const m = await import('./testAlert.ts');
      return { run: m.testAlertCommand, options: m.TEST_ALERT_OPTIONS };
    },
  },
  doctor: {
    summary: 'Checks trusted access, the delegated admin, permissions, the SCP lock and an organization trail.',
    load: async () => {
      const m = await import('./doctorCommand.ts');
      return { run: m.doctorCommand, options: m.DOCTOR_OPTIONS };
    },
  },
  policy: {
    summary: 'Validates a policy file offline, with the errors and exit code a sweep gives.',
    positionals: 'check FILE',
    load: async () => {
      const m = await import('./policyCheck.ts');
      return { run: m.policyCommand, options: m.POLICY_OPTIONS };
    },
  },
  remediate: {
    summary: 'Writes a plan of the contacts the policy\'s expect would change (--plan), or applies one (--apply; a dry run without --confirm).',
    load: async () => {
      const m = await import('./remediate.ts');
      return { run: m.remediateCommand, options: m.REMEDIATE_OPTIONS };
    },
  },
  emulator: {
    summary: 'Starts the local AWS (and Alibaba Cloud) emulator and prints the environment that points a shell at it.',
    load: async () => {
      const [m, command] = await Promise.all([import('./emulator.ts'), import('@contact-auditor/aws-emulator')]);
      return { run: m.emulatorCommand, options: command.EMULATOR_OPTIONS };
    },
  },
  demo: {
    summary: 'What `npm start` runs: a full sweep of the sample organization on the embedded emulator.',
    load: async () => {
      const m = await import('./demo.ts');
      return { run: m.demoCommand, options: m.DEMO_OPTIONS };
    },
  },
  completion: {
    summary: 'Prints the shell completion script: eval "$(contact-audit completion bash)".',
    positionals: 'bash|zsh',
    load: async () => {
      const m = await import('./completion.ts');
      return { run: async (args, io) => m.completionCommand(args, io, await completionTable()), options: m.COMPLETION_OPTIONS };
    },
  },
};

/** What an option's value is called on the help page, and what the option does. */
interface OptionHelp {
  value?: string;
  text: string;
}

/** What each option means; a command whose option means something else has its own entry in {@link COMMAND_OPTION_HELP}. */
const OPTION_HELP: Readonly<Record<string, OptionHelp>> = {
  config: { value: 'FILE', text: 'the policy file, YAML or JSON (README "The policy file")' },
  domain: { value: 'D', text: 'a company domain (repeatable); replaces the policy file\'s companyDomains' },
  'topic-arn': { value: 'ARN', text: 'the SNS topic alerts go to (or CONTACT_AUDIT_TOPIC_ARN)' },
  out: { value: 'DIR|s3://BUCKET/PREFIX', text: 'where the reports are kept (checked before any account is read)' },
  format: { value: 'F', text: 'table, json, csv, markdown, html, asff, ocsf or junit (default table)' },
  accounts: { value: 'ID,...', text: 'only these accounts (each read with DescribeAccount, no full listing)' },
  rate: { value: 'N', text: 'GetAlternateContact calls per second, at most the quota (10)' },
  concurrency: { value: 'N', text: 'accounts read at once (default 16)' },
  cloud: { value: 'aws|alibaba', text: 'the cloud to audit (default aws; docs/alibaba.md)' },
  profile: { value: 'NAME', text: 'the named profile of the shared AWS config and credentials files' },
  region: { value: 'REGION', text: 'the AWS region (default: AWS_REGION, the profile\'s region, else us-east-1)' },
  'no-color': { text: 'no colour, even on a terminal (NO_COLOR does the same)' },
  quiet: { text: 'print only the command\'s output: no progress, summary or notes on stderr' },
  'progress-every': { value: 'SECONDS', text: 'without a terminal, one progress line on stderr this often (default 10)' },
  'pipeline-role': { value: 'ARN', text: 'the role the SCP lock must exempt (one role in one account, no wildcards)' },
  for: { value: 'cli|stack', text: 'judge the set-up for the command line only, or for the deployed stack too (default stack)' },
  incremental: { text: 'with --out: read only the accounts changed, new, moved or due by age; judge the rest on the kept evidence (docs/continuous.md)' },
  'from-evidence': { text: 'with --out: judge every account on the kept evidence under this policy, with no contact read (docs/continuous.md)' },
  to: { value: 'securityhub', text: 'also import the findings into Security Hub (BatchImportFindings, batches of 100)' },
  failing: { text: 'list only the accounts that are not COMPLIANT (table, csv, markdown; the kept reports stay whole)' },
  status: { value: 'STATUS,...', text: 'list only accounts of these statuses (table, csv, markdown)' },
  code: { value: 'CODE,...', text: 'list only accounts with these finding codes (table, csv, markdown)' },
  ou: { value: 'OU-ID|PATH|NAME', text: 'list only the accounts of this OU (table, csv, markdown)' },
  fixture: { value: 'FILE', text: 'the organization to serve (JSON, SPEC §10)' },
  generate: { value: 'N', text: 'a generated organization of N accounts' },
  seed: { value: 'S', text: 'the seed of --generate (default 1)' },
  port: { value: 'P', text: 'the port on 127.0.0.1 (default: any free one)' },
  'quota-scale': { value: 'X', text: 'multiplies every quota (run the CLI with CONTACT_AUDIT_QUOTA_SCALE=X to pace to it)' },
  'fault-rate': { value: 'R', text: 'fails this fraction of calls with 500s and dropped connections' },
  'latency-ms': { value: 'MS', text: 'delay added to every answer' },
  bucket: { value: 'NAME', text: 'creates this S3 bucket (repeatable)' },
  topic: { value: 'NAME|ARN', text: 'creates this SNS topic (repeatable; a NAME belongs to the printed caller)' },
  'alibaba-fixture': { value: 'FILE', text: 'an Alibaba Cloud Resource Directory to serve too (docs/alibaba.md)' },
  'alibaba-generate': { value: 'N', text: 'a generated Resource Directory of N members' },
};

const COMMAND_OPTION_HELP: Readonly<Record<string, Readonly<Record<string, OptionHelp>>>> = {
  event: {
    out: { value: 'DIR|s3://BUCKET/PREFIX', text: "where each change record (changes/…), each re-read account's evidence (state/…) and each new account awaiting its check (new-accounts/…) is kept" },
    due: { text: 'check the new accounts whose grace period is over (newAccountGraceHours), instead of reading events' },
    at: { value: 'TIME', text: 'with --due: check as of this ISO time (default now)' },
  },
  doctor: { format: { value: 'text|json', text: 'the output (default text)' } },
  demo: { out: { value: 'DIR', text: 'where the reports are written (default reports)' } },
  remediate: {
    plan: { value: 'FILE', text: 'reads the organization (nothing is written to AWS) and writes the plan to FILE' },
    apply: { value: 'FILE', text: 'checks the plan FILE against what AWS holds now; writes it only with --confirm' },
    confirm: { text: 'with --apply: write the plan\'s contacts (PutAlternateContact, 5/s), then read each back' },
    'max-age-hours': { value: 'N', text: 'with --apply: refuse a plan older than N hours (default 24)' },
    out: { value: 'FILE', text: 'with --apply: write the remediation report to FILE instead of stdout' },
  },
};

/** The help of one option of a command; undefined when nobody wrote it (test/cli/help.test.ts finds those). */
function optionHelp(command: string, option: string): OptionHelp | undefined {
  return COMMAND_OPTION_HELP[command]?.[option] ?? OPTION_HELP[option];
}

/** Every command with its options and their help, for the shell completion (completion.ts). */
async function completionTable() {
  return Promise.all(
    Object.entries(COMMANDS).map(async ([name, entry]) => ({
      name,
      summary: entry.summary,
      options: Object.entries((await entry.load()).options).map(([option, spec]) => ({
        name: option,
        type: spec.type,
        multiple: spec.multiple === true,
        value: optionHelp(name, option)?.value,
        text: optionHelp(name, option)?.text ?? '',
      })),
    })),
  );
}

/** "--out DIR|s3://BUCKET/PREFIX", "--quiet". */
function optionUsage(command: string, option: string): string {
  const value = optionHelp(command, option)?.value;
  return value ? `--${option} ${value}` : `--${option}`;
}

/** `contact-audit COMMAND --help`: the command's usage, what it does and every option its parser takes. */
export function commandPage(name: string, options: Readonly<Record<string, OptionSpec>>): string {
  const entry = COMMANDS[name]!;
  const rows = Object.entries(options).map(([option, spec]) => ({
    left: `${optionUsage(name, option)}${spec.multiple ? '...' : ''}`,
    text: optionHelp(name, option)?.text ?? '',
  }));
  const width = Math.max(0, ...rows.map((row) => row.left.length)) + 2;
  return [
    `Usage: contact-audit ${name}${entry.positionals ? ` ${entry.positionals}` : ''}${rows.length > 0 ? ' [OPTIONS]' : ''}`,
    '',
    entry.summary,
    ...(rows.length > 0 ? ['', 'Options:', ...rows.map((row) => `  ${row.left.padEnd(width)}${row.text}`.trimEnd())] : []),
    '',
    'Exit codes and more: contact-audit --help; README.md.',
    '',
  ].join('\n');
}

/** The overview's usage lines of one command, wrapped under its name. */
function usageLines(name: string, options: Readonly<Record<string, OptionSpec>>): string[] {
  const head = `  contact-audit ${name}`;
  const words = [
    ...(COMMANDS[name]!.positionals ? [COMMANDS[name]!.positionals!] : []),
    ...Object.entries(options).map(([option, spec]) => `[${optionUsage(name, option)}]${spec.multiple ? '...' : ''}`),
  ];
  const indent = ' '.repeat(head.length);
  const lines: string[] = [];
  let line = head;
  let wordsOnLine = 0;
  for (const word of words) {
    if (wordsOnLine > 0 && line.length + 1 + word.length > 110) {
      lines.push(line);
      line = indent;
      wordsOnLine = 0;
    }
    line += ` ${word}`;
    wordsOnLine++;
  }
  lines.push(line);
  return lines;
}

const EXIT_CODES = `Exit codes: 0 every account COMPLIANT, EXEMPT or SKIPPED; 1 at least one NON_COMPLIANT;
2 usage or configuration error; 3 no NON_COMPLIANT but at least one UNKNOWN;
4 the run could not complete (AWS unreachable, report not written, alerts not delivered).
130/143 sweep stopped by SIGINT/SIGTERM (after any switch of latest/ under way).

AWS credentials and region come from the standard AWS chain (--profile, --region, AWS_PROFILE,
AWS_REGION, ~/.aws/config); endpoints from AWS_ENDPOINT_URL. NO_COLOR turns colour off.
--cloud alibaba audits an Alibaba Cloud Resource Directory instead (docs/alibaba.md): credentials from
ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, endpoint from ALIBABA_CLOUD_ENDPOINT.
Alerts go to --topic-arn or CONTACT_AUDIT_TOPIC_ARN.
`;

/** `contact-audit --help`: every command with every option its parser takes. */
export async function overviewPage(): Promise<string> {
  const sections: string[] = [];
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const { options } = await entry.load();
    sections.push(`${usageLines(name, options).join('\n')}\n      ${entry.summary}`);
  }
  return [
    'contact-audit — audits the alternate contacts of every account of an AWS Organization',
    '',
    'Usage:',
    sections.join('\n'),
    '  contact-audit --help | --version | COMMAND --help',
    '',
    EXIT_CODES,
  ].join('\n');
}
