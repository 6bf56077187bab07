import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files at once. Vitest's default (cores - 1) is one worker on a 2-core machine, but most of the
 * slow files wait on child processes and the emulator rather than use a core: measured with
 * `vitest run --maxWorkers=N` on 2 cores, 1 → 300 s, 2 → 200 s, 3 → 148 s, 4 → 150 s.
 * The pool stays Vitest's default, forks, each file isolated: `--pool=threads` was no faster
 * (22 unit-test files: 21.4 s forks, 23.4 s threads), and isolation keeps each file standing alone
 * (the sweep step handlers read their configuration once, at import, as in a Lambda cold start).
 */
const MAX_WORKERS = Math.max(3, availableParallelism() - 1);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    exclude: ['test/faults/**', 'test/deploy/**', 'test/import/**', 'test/long/**'],
    setupFiles: ['test/setup.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    maxWorkers: MAX_WORKERS,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
