/**
 * The esbuild options of every Lambda bundle, in one place: serverless-esbuild reads them
 * (serverless.yml `custom.esbuild.config`) and bench/bundles.ts builds with the same ones.
 *
 * - ESM (`.mjs`): @middy/core 6 is ESM-only; `module` fields first so the SDK's ES builds tree-shake.
 *   CJS-only code still finds `require` through the banner.
 * - Nothing external: the bundle carries the SDK version the tests ran with, not whatever the
 *   nodejs22.x runtime ships that month; minified and tree-shaken it is a fraction of the runtime copy.
 * - No side-effects plugin: the YAML parser stays out because no Lambda imports it (the policy
 *   file reader, src/policy/yamlFile.ts, is the command line's; test/stack/bundle-size.test.ts checks).
 */

/** esbuild's own options (bench/bundles.ts passes exactly these). */
const esbuildOptions = {
  bundle: true,
  minify: true,
  sourcemap: false,
  target: 'node22',
  platform: 'node',
  format: 'esm',
  mainFields: ['module', 'main'],
  // The only comments esbuild keeps as "legal" here are Powertools' coverage pragmas
  // (`v8 ignore … -- @preserve`), no license text: 600 bytes the real-time bundle cannot spare.
  legalComments: 'none',
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  // Lambda gives credentials in the environment only: see lambda-credentials.mjs. The endpoint
  // cache's LRU in the few lines the SDK calls: see lru-cache.mjs.
  alias: {
    '@aws-sdk/credential-provider-node': require('node:path').join(__dirname, 'lambda-credentials.mjs'),
    'mnemonist/lru-cache': require('node:path').join(__dirname, 'lru-cache.mjs'),
  },
};

/** serverless-esbuild's options: esbuild's plus its own packaging ones. */
const serverlessEsbuildOptions = {
  ...esbuildOptions,
  outputFileExtension: '.mjs',
  exclude: [],
};

module.exports = () => serverlessEsbuildOptions;
module.exports.esbuildOptions = esbuildOptions;
