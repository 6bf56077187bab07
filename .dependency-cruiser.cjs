/**
 * The import graph's rules (checked in CI by `npm run lint:deps`): no circle, and no import upwards
 * through the layers (README "Where each part of SPEC.md lives"): handlers and the CLI compose use
 * cases (src/audit), which compose a provider (src/providers/<cloud>/ behind src/providers/provider.ts),
 * reports, alerts, rules and policy; rules and policy are pure.
 * Each cloud's SDK stays inside its provider, providers do not import each other, and only the CLI
 * reaches the emulator (packages/aws-emulator, which imports nothing of the product). test/lint/importRules.test.ts plants one forbidden import per rule and expects
 * each to be reported.
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
      to: { path: '^(src/(providers|report|alerts)|packages/aws-emulator)/' },
    },
    {
      name: 'rules-and-policy-do-no-io',
      severity: 'error',
      comment: 'Rules are pure functions of a contact surface and a policy: no file, network or process access.',
      from: { path: '^src/rules/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|cluster)$' },
    },
    {
      name: 'no-import-between-providers',
      severity: 'error',
      comment: 'One provider never reaches into another: what both need lives in a neutral module.',
      from: { path: '^src/providers/([^/]+)/' },
      to: { path: '^src/providers/[^/]+/', pathNot: '^src/providers/$1/' },
    },
    {
      name: 'adapters-do-not-import-reports-or-alerts',
      severity: 'error',
      comment: 'Adapters talk to a cloud; use cases hand them what to send. Reports and alert texts sit beside them, not below.',
      from: { path: '^src/providers/' },
      to: { path: '^src/(report|alerts)/' },
    },
    {
      name: 'emulator-only-from-cli-and-tests',
      severity: 'error',
      comment: 'The emulator stands in for AWS in the demo, the `emulator` command and the tests; the product itself never imports it.',
      from: { path: '^(src|handlers)/', pathNot: '^src/cli/' },
      to: { path: '^packages/aws-emulator/' },
    },
    {
      name: 'emulator-stands-alone',
      severity: 'error',
      comment: 'The emulator package serves shapes from the AWS models, never from the code it stands in for: it imports nothing of the product.',
      from: { path: '^packages/aws-emulator/src/' },
      to: { path: '^(src|handlers|bin)/' },
    },
    {
      name: 'sdk-only-in-adapters',
      severity: 'error',
      comment: 'STYLE.md: src/providers/aws is the only place in src/ that imports @aws-sdk/* (handlers build clients at module scope).',
      from: { path: '^src/', pathNot: '^src/providers/aws/' },
      to: { path: 'node_modules/@aws-sdk/' },
    },
    {
      name: 'alibaba-sdk-only-in-alibaba-provider',
      severity: 'error',
      comment: 'The Alibaba SDK belongs to src/providers/alibaba alone; nothing else, handlers included, loads it.',
      from: { pathNot: '^src/providers/alibaba/' },
      to: { path: 'node_modules/@alicloud/' },
    },
    {
      name: 'yaml-only-in-policy-file-reader',
      severity: 'error',
      comment: 'Lambda bundles must not carry the YAML parser: only the command line reads policy files (src/policy/yamlFile.ts), and the emulator (never in a bundle) YAML templates.',
      from: { pathNot: '^(src/policy/yamlFile|src/cli/|packages/aws-emulator/)' },
      to: { path: 'node_modules/yaml/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'], exportsFields: ['exports'], conditionNames: ['import', 'node', 'default'] },
  },
};
