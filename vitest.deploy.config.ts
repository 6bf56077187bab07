import { defineConfig } from 'vitest/config';

/** `osls deploy` against the emulator (npm run test:deploy): minutes of packaging, so not in `npm test`. */
export default defineConfig({
  test: {
    include: ['test/deploy/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 60_000,
    hookTimeout: 900_000,
    fileParallelism: false,
  },
});
