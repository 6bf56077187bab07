#!/usr/bin/env node
// Runs the TypeScript CLI directly, so the command works straight after `npm ci` with no build step.

// SIGINT/SIGTERM while the CLI is still loading: nothing has been done yet, so stop with the
// shell's codes (130, 143) rather than be killed. Each command installs its own handling after.
const loading = { SIGINT: () => process.exit(130), SIGTERM: () => process.exit(143) };
for (const [signal, listener] of Object.entries(loading)) process.on(signal, listener);

// The SDK warns on every run under Node 20 that releases after January 2027 need Node 22; the
// CLI supports Node 20 (package.json engines), so the warning is noise on stderr here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `contact-audit sweep | head`: the reader went away. What it did not read is lost by its own
// choice; the run itself went on, so its exit code (1 for NON_COMPLIANT …) is the one to keep,
// not a crash with a stack trace.
const CLOSED = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (CLOSED.has(error?.code)) return;
    throw error;
  });
}

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../src/cli/main.ts');
for (const [signal, listener] of Object.entries(loading)) process.off(signal, listener);
process.exitCode = await main(process.argv.slice(2));
// The command is done and its exit code set; a signal while open sockets close only ends it sooner,
// with that code (the run finished), rather than killing it as if the run had been cut short.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit());
