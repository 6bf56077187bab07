/**
 * Size and module-init time of each Lambda bundle, built with esbuild exactly as the deployment
 * builds it (serverless/esbuild.config.cjs). Init time: the bundle imported in a fresh node
 * process (as a Lambda cold start does before the first event), median of a few runs, with the
 * environment a deployed function has. `npm run bench` prints it; `tsx bench/bundles.ts` too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { esbuildOptions } = require('../serverless/esbuild.config.cjs') as { esbuildOptions: BuildOptions };

export interface BundleFigure {
  name: string;
  /** Minified bundle, bytes. */
  minifiedBytes: number;
  /** Median time to import the bundle in a fresh node process, milliseconds. */
  initMs: number;
}

/** The handlers of the deployed functions: every `handlers/*.ts` that exports a `handler`. */
function handlerNames(): string[] {
  return readdirSync(join(ROOT, 'handlers'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('Runtime.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
}

/** Imports the bundle in a new process and reports how long the import took (module init). */
function initTime(bundle: string, runs = 5): number {
  const probe = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(String(performance.now() - t));`;
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIABENCH',
    AWS_SECRET_ACCESS_KEY: 'bench',
    CONTACT_AUDIT_REPORT_BUCKET: 'bench-reports',
    CONTACT_AUDIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:bench',
    CONTACT_AUDIT_IDEMPOTENCY_TABLE: 'bench-idempotency',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`importing ${bundle} failed: ${run.stderr}`);
    times.push(Number(run.stdout));
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
}

/** Builds each handler as the deployment does; returns its minified size and module-init time. */
export async function bundleSizes(names: string[] = handlerNames()): Promise<BundleFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'contact-auditor-bundles-'));
  try {
    const figures: BundleFigure[] = [];
    for (const name of names) {
      const outfile = join(dir, `${name}.mjs`);
      const result = await build({ ...esbuildOptions, entryPoints: [join(ROOT, 'handlers', `${name}.ts`)], outfile, write: false, logLevel: 'silent' });
      const output = result.outputFiles?.[0];
      if (!output) throw new Error(`esbuild wrote nothing for ${name}`);
      writeFileSync(outfile, output.contents);
      figures.push({ name, minifiedBytes: output.contents.length, initMs: initTime(outfile) });
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await bundleSizes()) console.log(`${f.name.padEnd(16)} ${(f.minifiedBytes / 1024).toFixed(1).padStart(7)} KB  init ${f.initMs} ms`);
}
