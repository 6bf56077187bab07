import { defineConfig } from 'vitest/config';

/** The fault matrix: long runs against the emulator with faults injected (npm run test:faults). */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 300_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
