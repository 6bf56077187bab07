import { defineConfig } from 'vitest/config';

/**
 * Long runs kept out of `npm test` (npm run test:long, run by CI): the demo at the real quota (what
 * `npm start` does, about 15 s of paced calls) and the 10,000-account HTML report in Chromium.
 */
export default defineConfig({
  test: {
    include: ['test/long/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
