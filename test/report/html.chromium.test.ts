/**
 * The HTML report in a real browser (Debian `chromium`, headless, no network, fresh profile):
 * rendered at the sample organization's size (examples/sample-org.json, 49 accounts) and at 10,000, as a screenshot and as the
 * DOM after the page's script ran, and printed to PDF (read back with poppler's `pdftotext`). Asserts what a reader notices: a non-blank page, the summary
 * before the accounts, the filters present (so the CSP let the hash-pinned script run), and the
 * search and status filters hiding what they should.
 *
 * Skipped when chromium is not installed (`apt-get install -y chromium`); the PDF check needs
 * `pdftotext` as well (`apt-get install -y poppler-utils`).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '@contact-auditor/aws-emulator';
import { CONTACT_TYPES, type ContactReads, type Report } from '../../src/model.ts';
import { loadPolicyFile } from '../../src/policy/yamlFile.ts';
import { buildReport } from '../../src/report/buildReport.ts';
import { renderHtml } from '../../src/report/render/html.ts';
import { evaluateAccount, skippedAccount } from '../../src/rules/evaluate.ts';
import { bigReport } from './bigReport.ts';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const SKIP_REASON = 'chromium is not installed (apt-get install -y chromium)';
const run = promisify(execFile);

let work: string;

/** Runs headless chromium on a file URL in a fresh profile, with everything that could reach the network off. */
async function chromium(args: string[], file: string, hash = ''): Promise<string> {
  const profile = await mkdtemp(join(work, 'profile-'));
  const { stdout } = await run(
    CHROMIUM!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      ...args,
      `file://${file}${hash}`,
    ],
    { maxBuffer: 256 * 1024 * 1024, timeout: 150_000 },
  );
  return stdout;
}

/** Decodes an 8-bit RGB/RGBA PNG (what chromium writes) into pixels, enough to tell a blank page. */
function decodePng(png: Buffer): { width: number; height: number; pixel: (x: number, y: number) => [number, number, number] } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString('latin1');
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8);
      colorType = data[9]!;
      expect(data[12]).toBe(0); // not interlaced
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  expect(bpp, `PNG colour type ${colorType}`).toBeGreaterThan(0);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[y * stride + i - bpp]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = i >= bpp && y > 0 ? out[(y - 1) * stride + i - bpp]! : 0;
      const pa = Math.abs(b - c);
      const pb = Math.abs(a - c);
      const pc = Math.abs(a + b - 2 * c);
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]!;
      out[y * stride + i] = (line[i]! + predictor) & 0xff;
    }
  }
  return { width, height, pixel: (x, y) => [out[y * stride + x * bpp]!, out[y * stride + x * bpp + 1]!, out[y * stride + x * bpp + 2]!] };
}

/** Share of pixels that are not (near) white, in a band of rows. */
function inkShare(img: ReturnType<typeof decodePng>, fromY = 0, toY = img.height): number {
  let ink = 0;
  let total = 0;
  for (let y = fromY; y < toY; y += 2) {
    for (let x = 0; x < img.width; x += 2) {
      const [r, g, b] = img.pixel(x, y);
      total++;
      if (r < 200 || g < 200 || b < 200) ink++;
    }
  }
  return ink / total;
}

async function sampleReport(): Promise<Report> {
  const fixture = await loadFixture(new URL('../../examples/sample-org.json', import.meta.url).pathname);
  // Alternate contacts only: this page test reads no primary contact or root e-mail.
  const { primaryContact: _primary, rootEmail: _root, ...policy } = await loadPolicyFile(new URL('../../examples/policy.yaml', import.meta.url).pathname);
  const accounts = fixture.accounts.map((account) => {
    const org = { id: account.id, name: account.name, state: account.state };
    if (account.state !== 'ACTIVE') return skippedAccount(org);
    const reads: ContactReads = {};
    for (const type of CONTACT_TYPES) {
      const c = account.contacts[type];
      reads[type] = c ? { kind: 'present', contact: c } : { kind: 'missing' };
    }
    return evaluateAccount(org, reads, policy, '2026-12-01');
  });
  const org = fixture.organization;
  return buildReport(
    { runId: '2026-12-01T06-00-00Z-sample', startedAt: '2026-12-01T06:00:00.000Z', finishedAt: '2026-12-01T06:00:05.000Z', organizationId: org.id, managementAccountId: org.managementAccountId, callerAccountId: org.managementAccountId, policy },
    accounts,
  );
}

/** Account rows in a DOM dump: [accountId, hidden]. */
function rows(dom: string): { id: string; hidden: boolean }[] {
  return [...dom.matchAll(/<tr data-s="[^"]*"[^>]*?( hidden="")?><td>(?:<code>)?(\d{12})/g)].map((m) => ({ id: m[2]!, hidden: m[1] !== undefined }));
}

describe.skipIf(!CHROMIUM)(`HTML report in headless Chromium${CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let small: Report;
  let smallFile: string;
  let bigFile: string;
  let bigBytes: number;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'contact-audit-html-'));
    small = await sampleReport();
    smallFile = join(work, 'sample.html');
    await writeFile(smallFile, renderHtml(small));
    const big = renderHtml(bigReport(10_000));
    bigBytes = Buffer.byteLength(big);
    bigFile = join(work, 'big.html');
    await writeFile(bigFile, big);
  }, 120_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('the sample organization: a non-blank screenshot with ink in the title and summary area', async () => {
    expect(small.accounts.length).toBe(49);
    const png = join(work, 'sample.png');
    await chromium(['--window-size=1280,1600', `--screenshot=${png}`], smallFile);
    const img = decodePng(await readFile(png));
    expect([img.width, img.height]).toEqual([1280, 1600]);
    expect(inkShare(img)).toBeGreaterThan(0.02);
    expect(inkShare(img)).toBeLessThan(0.9);
    expect(inkShare(img, 0, 120)).toBeGreaterThan(0.005); // the title
  }, 180_000);

  it('the sample organization: the script ran under the CSP, the summary comes before the accounts', async () => {
    const dom = await chromium(['--dump-dom'], smallFile);
    expect(dom).toContain('<div id="filters">'); // no longer hidden: the hash-pinned script ran
    expect(dom).toContain(`<output id="shown">${small.accounts.length} of ${small.accounts.length} accounts shown</output>`);
    const summary = dom.indexOf('id="summary"');
    expect(summary).toBeGreaterThan(0);
    expect(summary).toBeLessThan(dom.indexOf('By organizational unit'));
    expect(dom.indexOf('By organizational unit')).toBeLessThan(dom.indexOf('id="attention"'));
    expect(dom.indexOf('id="attention"')).toBeLessThan(dom.indexOf('<tr data-s='));
    expect(rows(dom)).toHaveLength(small.accounts.length);
  }, 180_000);

  it('the sample organization: search and the status filter hide the other rows', async () => {
    const target = small.accounts.find((a) => a.status === 'NON_COMPLIANT')!;
    const searched = await chromium(['--dump-dom'], smallFile, `#q=${target.accountId}`);
    expect(rows(searched).filter((r) => !r.hidden).map((r) => r.id)).toEqual([target.accountId]);
    expect(searched).toContain(`<output id="shown">1 of ${small.accounts.length} accounts shown</output>`);

    const compliant = small.accounts.filter((a) => a.status === 'COMPLIANT').map((a) => a.accountId).sort();
    expect(compliant.length).toBeGreaterThan(0);
    const filtered = await chromium(['--dump-dom'], smallFile, '#status=COMPLIANT');
    expect(rows(filtered).filter((r) => !r.hidden).map((r) => r.id).sort()).toEqual(compliant);
    // The folded group opens when the filter finds something in it.
    expect(filtered).toMatch(/<details class="grp" open="">\s*<summary><span class="status compliant">/);
  }, 180_000);

  it(`10,000 accounts: well under the old 7.3 MB, renders non-blank, and the script handles every row`, async () => {
    expect(bigBytes).toBeLessThan(4 * 1024 * 1024);
    const png = join(work, 'big.png');
    await chromium(['--window-size=1280,1600', `--screenshot=${png}`], bigFile);
    const img = decodePng(await readFile(png));
    expect(inkShare(img)).toBeGreaterThan(0.02);
    const dom = await chromium(['--dump-dom'], bigFile, '#status=SKIPPED');
    const r = rows(dom);
    expect(r).toHaveLength(10_000);
    const skipped = r.filter((x) => !x.hidden);
    expect(skipped.length).toBeGreaterThan(0);
    expect(dom).toContain(`<output id="shown">${skipped.length} of 10000 accounts shown</output>`);
  }, 300_000);

  it('printed to PDF: every account and every contact value is on the pages, folded sections opened', async () => {
    // Prepare: the sample organization plus one account whose values are long enough to need wrapping.
    const long = small.accounts.find((a) => a.status === 'COMPLIANT')!;
    const wide: Report = {
      ...small,
      accounts: [
        ...small.accounts,
        {
          ...long,
          accountId: '012345678901',
          name: 'a-very-long-account-name-that-goes-on-and-on-without-a-break',
          contacts: {
            ...long.contacts,
            BILLING: { name: 'Accounts Payable and Procurement Department', title: 'Finance', emailAddress: 'accounts-payable-and-procurement-department@subsidiary.example.com', phoneNumber: '+1 206 555 0199' },
          },
        },
      ],
    };
    const file = join(work, 'print.html');
    await writeFile(file, renderHtml(wide));
    const pdf = join(work, 'print.pdf');

    // Act
    await chromium([`--print-to-pdf=${pdf}`, '--no-pdf-header-footer'], file);
    const { stdout: text } = await run('pdftotext', ['-raw', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 });

    // Assess: compared without white space, since a long value may wrap onto the next line (`-raw`:
    // in the order drawn, and without joining a word broken after a hyphen, which drops the hyphen).
    const flat = text.replace(/\s+/g, '');
    const missing: string[] = [];
    for (const a of wide.accounts) {
      if (!flat.includes(a.accountId)) missing.push(a.accountId);
      for (const c of Object.values(a.contacts)) {
        for (const value of c ? [c.name, c.title, c.emailAddress, c.phoneNumber] : []) {
          if (!flat.includes(value.replace(/\s+/g, ''))) missing.push(`${a.accountId}: ${value}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(flat).toContain('Accountsneedingattention');
    // Nothing runs off the right edge of a page (a long value wraps in its cell instead).
    const { stdout: boxes } = await run('pdftotext', ['-bbox', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 });
    const offPage: string[] = [];
    for (const page of boxes.split('<page ').slice(1)) {
      const width = Number(/^width="([\d.]+)"/.exec(page)?.[1]);
      for (const w of page.matchAll(/<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</g)) if (Number(w[1]) > width) offPage.push(w[2]!);
    }
    expect(offPage).toEqual([]);
  }, 180_000);
});
