/** The command line: `contact-audit COMMAND …`, one file per command in this folder (SPEC.md §6). */
import { AccountSelectionError, ConfigError, NoCredentialsError, OutputUnavailableError, SetupError, UsageError, errorText } from '../errors.ts';
import { PolicyError } from '../policy/load.ts';
import { COMMANDS, commandPage, overviewPage } from './commands.ts';
import { EXIT, processIo, version, type CliIo } from './options.ts';
import { oneLine } from '../textHygiene.ts';

/** Runs the command line and returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    // `help COMMAND` is the command's own page, as `COMMAND --help` is.
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && Object.hasOwn(COMMANDS, topic)) return main([topic, '--help'], io);
    io.stdout(await overviewPage());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${version()}\n`);
    return EXIT.OK;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.stderr(`contact-audit: unknown command "${oneLine(name).slice(0, 100)}"\n\n${await overviewPage()}`);
    return EXIT.USAGE;
  }
  try {
    const command = await entry.load();
    // Only before "--": after it, "--help" is an argument (a file name), as parseArgs reads it.
    const own = rest.indexOf('--') < 0 ? rest : rest.slice(0, rest.indexOf('--'));
    if (own.includes('--help') || own.includes('-h')) {
      io.stdout(commandPage(name, command.options));
      return EXIT.OK;
    }
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, io, name);
  }
}

function reportError(error: unknown, io: CliIo, command: string): number {
  if (error instanceof UsageError || error instanceof PolicyError || error instanceof ConfigError || error instanceof AccountSelectionError) {
    io.stderr(`contact-audit: ${error.message}\n`);
    return EXIT.USAGE;
  }
  if (error instanceof NoCredentialsError) {
    io.stderr(`contact-audit: ${error.message}\n`);
    return EXIT.USAGE;
  }
  if (error instanceof OutputUnavailableError) {
    io.stderr(`contact-audit: the run could not complete: ${error.message}\n`);
    return EXIT.FAILED;
  }
  if (error instanceof SetupError) {
    io.stderr(`contact-audit: cannot sweep the organization: ${error.message}\n`);
    return EXIT.USAGE;
  }
  // node:util parseArgs: unknown option, missing value. Its own text for an unknown option talks
  // of positional arguments after "--", which misleads: name the option and where the list is.
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    const unknown = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-[^']*)'/.exec(error.message)?.[1] : undefined;
    const text = unknown ? `${command}: unknown option ${oneLine(unknown).slice(0, 100)}` : `${command}: ${error.message}`;
    io.stderr(`contact-audit: ${text} (contact-audit ${command} --help lists its options)\n`);
    return EXIT.USAGE;
  }
  const name = error instanceof Error ? error.name : 'Error';
  io.stderr(`contact-audit: the run could not complete: ${name}: ${errorText(error)}\n`);
  return EXIT.FAILED;
}
