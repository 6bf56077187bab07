/**
 * Every deployed function's bundle stays ≤ 600 KB: a bigger bundle means a slower cold
 * start, and the size is where a stray import (the YAML parser, a whole SDK) shows first. The
 * functions are the ones serverless.yml deploys, each built with the deployment's own esbuild
 * options (serverless/esbuild.config.cjs), as bench/bundles.ts builds them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const { esbuildOptions } = createRequire(import.meta.url)('../../serverless/esbuild.config.cjs') as { esbuildOptions: BuildOptions };
const LIMIT_BYTES = 600 * 1024;

/** The handler files of the deployed functions, read from the stack's own definition. */
function deployedHandlers(): string[] {
  const definitions = ['serverless.yml', 'serverless/realtime.yml'].map((file) => readFileSync(join(ROOT, file), 'utf8')).join('\n');
  return [...new Set([...definitions.matchAll(/^\s*handler:\s*handlers\/(\w+)\.handler\s*$/gm)].map((m) => m[1]!))].sort();
}

const handlers = deployedHandlers();

describe('Lambda bundle sizes', () => {
  it('finds the deployed functions in serverless.yml (the sweep steps and the real-time one)', () => {
    expect(handlers).toEqual(expect.arrayContaining(['contactChange', 'sweepBatch', 'sweepFinalize', 'sweepList']));
  });

  it.each(handlers)('%s bundles to at most 600 KB (614,400 bytes), minified as deployed, without the YAML parser', async (name) => {
    const result = await build({
      ...esbuildOptions,
      entryPoints: [join(ROOT, 'handlers', `${name}.ts`)],
      outfile: `${name}.mjs`,
      absWorkingDir: ROOT,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const bytes = result.outputFiles.reduce((sum, file) => sum + file.contents.length, 0);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes, `${name}.mjs is ${bytes} bytes`).toBeLessThanOrEqual(LIMIT_BYTES);
    // The YAML parser is the command line's (src/policy/yamlFile.ts); no deployed function reads YAML.
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs, 'the metafile lists the bundled sources').toContain(`handlers/${name}.ts`);
    expect(inputs.filter((input) => input.includes('node_modules/yaml/') || input.endsWith('src/policy/yamlFile.ts'))).toEqual([]);
  }, 60_000);
});
