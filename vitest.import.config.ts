import { defineConfig } from 'vitest/config';

/**
 * Importing findings into Security Hub end to end (npm run test:import): the real binary and the
 * AWS CLI against the emulator, too slow for `npm test` (two sweeps and one AWS CLI call per request).
 */
export default defineConfig({
  test: {
    include: ['test/import/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
