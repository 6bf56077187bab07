/**
 * The HTML report in a real browser (Debian `chromium`, headless, no network, fresh profile):
 * rendered at the sample organization's size (examples/sample-org.json, 49 accounts; 10,000 accounts in
 * test/long/html10k.chromium.test.ts), as a screenshot and as the
 * DOM after the page's script ran, and printed to PDF (read back with poppler's `pdftotext`). Asserts what a reader notices: a non-blank page, the summary
 * before the accounts, the filters present (so the CSP let the hash-pinned script run), and the
 * search and status filters hiding what they should.
 *
 * Skipped when chromium is not installed (`apt-get install -y chromium`); the PDF check needs
 * `pdftotext` as well (`apt-get install -y poppler-utils`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '@contact-auditor/aws-emulator';
import { CONTACT_TYPES, type ContactReads, type Report } from '../../src/model.ts';
import { loadPolicyFile } from '../../src/policy/yamlFile.ts';
import { buildReport } from '../../src/report/buildReport.ts';
import { renderHtml } from '../../src/report/render/html.ts';
import { evaluateAccount, skippedAccount } from '../../src/rules/evaluate.ts';
import { CHROMIUM, SKIP_REASON, chromium, decodePng, inkShare, rows } from '../report/chromium.ts';

const run = promisify(execFile);
let work: string;

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

describe.skipIf(!CHROMIUM)(`HTML report in headless Chromium${CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let small: Report;
  let smallFile: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'contact-audit-html-'));
    small = await sampleReport();
    smallFile = join(work, 'sample.html');
    await writeFile(smallFile, renderHtml(small));
  }, 120_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('the sample organization: a non-blank screenshot with ink in the title and summary area', async () => {
    expect(small.accounts.length).toBe(49);
    const png = join(work, 'sample.png');
    await chromium(work, ['--window-size=1280,1600', `--screenshot=${png}`], smallFile);
    const img = decodePng(await readFile(png));
    expect([img.width, img.height]).toEqual([1280, 1600]);
    expect(inkShare(img)).toBeGreaterThan(0.02);
    expect(inkShare(img)).toBeLessThan(0.9);
    expect(inkShare(img, 0, 120)).toBeGreaterThan(0.005); // the title
  }, 180_000);

  it('the sample organization: the script ran under the CSP, the summary comes before the accounts', async () => {
    const dom = await chromium(work, ['--dump-dom'], smallFile);
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
    const searched = await chromium(work, ['--dump-dom'], smallFile, `#q=${target.accountId}`);
    expect(rows(searched).filter((r) => !r.hidden).map((r) => r.id)).toEqual([target.accountId]);
    expect(searched).toContain(`<output id="shown">1 of ${small.accounts.length} accounts shown</output>`);

    const compliant = small.accounts.filter((a) => a.status === 'COMPLIANT').map((a) => a.accountId).sort();
    expect(compliant.length).toBeGreaterThan(0);
    const filtered = await chromium(work, ['--dump-dom'], smallFile, '#status=COMPLIANT');
    expect(rows(filtered).filter((r) => !r.hidden).map((r) => r.id).sort()).toEqual(compliant);
    // The folded group opens when the filter finds something in it.
    expect(filtered).toMatch(/<details class="grp" open="">\s*<summary><span class="status compliant">/);
  }, 180_000);

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
    await chromium(work, [`--print-to-pdf=${pdf}`, '--no-pdf-header-footer'], file);
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
