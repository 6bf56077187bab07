/**
 * The HTML report of a 10,000-account organization in headless Chromium: small enough, rendered
 * non-blank, and the page's script handles every row. A long run (about 12 s of browser on 2 cores),
 * so it lives in `npm run test:long`, beside the sample organization's page tests in
 * test/long/htmlSample.chromium.test.ts. Skipped when chromium is not installed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/render/html.ts';
import { bigReport } from '../report/bigReport.ts';
import { CHROMIUM, SKIP_REASON, chromium, decodePng, inkShare, rows } from '../report/chromium.ts';

describe.skipIf(!CHROMIUM)(`HTML report of 10,000 accounts in headless Chromium${CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let work: string;
  let bigFile: string;
  let bigBytes: number;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'contact-audit-html10k-'));
    const big = renderHtml(bigReport(10_000));
    bigBytes = Buffer.byteLength(big);
    bigFile = join(work, 'big.html');
    await writeFile(bigFile, big);
  }, 120_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('well under the old 7.3 MB, renders non-blank, and the script handles every row', async () => {
    expect(bigBytes).toBeLessThan(4 * 1024 * 1024);
    const png = join(work, 'big.png');
    await chromium(work, ['--window-size=1280,1600', `--screenshot=${png}`], bigFile);
    const img = decodePng(await readFile(png));
    expect(inkShare(img)).toBeGreaterThan(0.02);
    const dom = await chromium(work, ['--dump-dom'], bigFile, '#status=SKIPPED');
    const r = rows(dom);
    expect(r).toHaveLength(10_000);
    const skipped = r.filter((x) => !x.hidden);
    expect(skipped.length).toBeGreaterThan(0);
    expect(dom).toContain(`<output id="shown">${skipped.length} of 10000 accounts shown</output>`);
  }, 300_000);
});
