/**
 * The import graph's rules (checked in CI by `npm run lint:deps`): no circle, and no import upwards
 * through the layers (README "Where each part of SPEC.md lives"): handlers and the CLI compose use
 * cases (src/audit), which compose adapters, reports, alerts, rules and policy; rules and policy are pure.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle makes load order matter and hides which module owns what.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-import-of-cli',
      severity: 'error',
      comment: 'Use cases, adapters, rules and handlers take what they need as arguments; only the CLI imports the CLI.',
      from: { pathNot: '^(src/cli(/|\\.ts$)|bin/)' },
      to: { path: '^src/cli(/|\\.ts$)' },
    },
    {
      name: 'no-import-of-handlers',
      severity: 'error',
      comment: 'Handlers are the outermost adapters: they wire src/ together, and nothing in src/ reaches back out to them.',
      from: { path: '^src/' },
      to: { path: '^handlers/' },
    },
    {
      name: 'no-import-of-use-cases',
      severity: 'error',
      comment: 'Adapters, rules, policy, reports and alerts sit below the use cases (src/audit): they never import them.',
      from: { path: '^src/', pathNot: '^src/(audit|cli)/' },
      to: { path: '^src/audit/' },
    },
    {
      name: 'rules-and-policy-stay-pure',
      severity: 'error',
      comment: 'Rules and policy are pure (no I/O): they never import adapters, reports or alerts.',
      from: { path: '^src/(rules|policy)/' },
      to: { path: '^src/(aws|alibaba|emulator|report|alerts)/' },
    },
    {
      name: 'sdk-only-in-adapters',
      severity: 'error',
      comment: 'STYLE.md: src/aws is the only place in src/ that imports @aws-sdk/* (handlers build clients at module scope).',
      from: { path: '^src/', pathNot: '^src/(aws|emulator)/' },
      to: { path: 'node_modules/@aws-sdk/' },
    },
    {
      name: 'yaml-only-in-policy-file-reader',
      severity: 'error',
      comment: 'Lambda bundles must not carry the YAML parser: only the command line reads policy files (src/policy/yamlFile.ts).',
      from: { pathNot: '^src/(policy/yamlFile|cli/)' },
      to: { path: 'node_modules/yaml/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'] },
  },
};
