import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { CliIo } from '../src/cli/options.ts';
import { PRODUCT_VERSION } from '../src/version.ts';

describe('the product version', () => {
  it("is package.json's version, and what --version prints", async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(PRODUCT_VERSION).toBe(pkg.version);
    const out: string[] = [];
    const io: CliIo = { stdout: (t) => out.push(t), stderr: () => {}, env: {}, stderrIsTTY: false, stdoutIsTTY: false };
    expect(await main(['--version'], io)).toBe(0);
    expect(out.join('')).toBe(`${pkg.version}\n`);
  });
});
