/**
 * The esbuild options of every Lambda bundle, in one place: serverless-esbuild reads them
 * (serverless.yml `custom.esbuild.config`) and bench/bundles.ts builds with the same ones.
 *
 * - ESM (`.mjs`): @middy/core 6 is ESM-only; `module` fields first so the SDK's ES builds tree-shake.
 *   CJS-only code still finds `require` through the banner.
 * - Nothing external: the bundle carries the SDK version the tests ran with, not whatever the
 *   nodejs22.x runtime ships that month; minified and tree-shaken it is a fraction of the runtime copy.
 * - `yaml` is declared free of import-time side effects (it is), so a bundle that imports the
 *   policy loader but never parses YAML (the deployed functions read JSON) drops the 110 KB parser.
 */
const PURE_PACKAGES = /^yaml$/;

/** @type {import('esbuild').Plugin} */
const pureDependencies = {
  name: 'pure-dependencies',
  setup(build) {
    build.onResolve({ filter: PURE_PACKAGES }, async (args) => {
      if (args.pluginData && args.pluginData.pureDependencies) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { pureDependencies: true },
      });
      return { ...resolved, sideEffects: false };
    });
  },
};

/** esbuild's own options (bench/bundles.ts passes exactly these). */
const esbuildOptions = {
  bundle: true,
  minify: true,
  sourcemap: false,
  target: 'node22',
  platform: 'node',
  format: 'esm',
  mainFields: ['module', 'main'],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  // Lambda gives credentials in the environment only: see lambda-credentials.mjs.
  alias: { '@aws-sdk/credential-provider-node': require('node:path').join(__dirname, 'lambda-credentials.mjs') },
  plugins: [pureDependencies],
};

/** serverless-esbuild's options: esbuild's plus its own packaging ones. */
const serverlessEsbuildOptions = {
  ...esbuildOptions,
  outputFileExtension: '.mjs',
  exclude: [],
};

module.exports = () => serverlessEsbuildOptions;
module.exports.esbuildOptions = esbuildOptions;
