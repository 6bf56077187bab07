/** `contact-audit emulator …`: the emulator's own command (packages/aws-emulator/src/command.ts), run from the CLI. */
import { emulatorCommand as runEmulator } from '@contact-auditor/aws-emulator';
import type { CliIo } from './options.ts';

/** Starts the emulator and resolves with its exit code once SIGINT/SIGTERM stops it. */
export async function emulatorCommand(args: string[], io: CliIo): Promise<number> {
  return runEmulator(args, io);
}
