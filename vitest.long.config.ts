import { defineConfig } from 'vitest/config';

/**
 * Long runs kept out of `npm test` (npm run test:long, run by CI), each driving a whole engine for
 * many seconds: the demo at the real quota (what `npm start` does, about 15 s of paced calls), the
 * HTML reports in Chromium (the sample organization, printed to PDF, and 10,000 accounts), the
 * deployed sweep in the ASL interpreter over freshly built bundles, and the stack packaged a second
 * time with other parameters (first-deploy.test.ts).
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
