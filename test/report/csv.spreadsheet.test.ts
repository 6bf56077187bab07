/**
 * The CSV report opened as a spreadsheet would open it: gnumeric's `ssconvert` imports the .csv
 * (its CSV importer, chosen by the extension, as double-clicking the file would) and writes the
 * workbook as .gnumeric XML, whose cells say what the spreadsheet made of each value (text, number or
 * formula). An account ID must stay the text it is, leading zero and all 16 digits of an Alibaba ID;
 * no cell may become a formula; every row and column must survive.
 *
 * Skipped when ssconvert is not installed (`apt-get install -y gnumeric`).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, renderCsv } from '../../src/report/render/csv.ts';
import { compliant, contact, missingSecurity, parseCsv, report } from './fixtures.ts';

const SSCONVERT = ['/usr/bin/ssconvert', '/usr/local/bin/ssconvert'].find((p) => existsSync(p));
const SKIP_REASON = 'ssconvert is not installed (apt-get install -y gnumeric)';
const run = promisify(execFile);

/** A spreadsheet cell: its text, and its type (`string`, `number`, `formula`, …). */
interface Cell {
  row: number;
  col: number;
  type: string;
  text: string;
}

const XML_ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&amp;': '&' };

/** The cells of a .gnumeric workbook (gzip XML); gnumeric's ValueType 40 is a number, 60 a string, none a formula. */
function cellsOf(gnumeric: Buffer): Cell[] {
  const xml = gunzipSync(gnumeric).toString('utf8');
  const types: Record<string, string> = { '10': 'empty', '20': 'boolean', '40': 'number', '50': 'error', '60': 'string' };
  return [...xml.matchAll(/<gnm:Cell Row="(\d+)" Col="(\d+)"(?: ValueType="(\d+)")?[^>]*>([^<]*)<\/gnm:Cell>/g)].map((m) => ({
    row: Number(m[1]),
    col: Number(m[2]),
    type: m[3] === undefined ? 'formula' : (types[m[3]] ?? m[3]),
    text: m[4]!.replace(/&(lt|gt|quot|apos|amp);/g, (e) => XML_ENTITIES[e]!),
  }));
}

describe.skipIf(!SSCONVERT)(`CSV report opened by a spreadsheet (gnumeric ssconvert)${SSCONVERT ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'csv-sheet-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  async function open(csv: string): Promise<Cell[]> {
    const file = join(work, 'report.csv');
    await writeFile(file, csv, 'utf8');
    const out = join(work, 'report.gnumeric');
    await run(SSCONVERT!, [file, out], { timeout: 60_000 });
    return cellsOf(readFileSync(out));
  }

  it('keeps 012345678901 and a 16-digit ID as text, and every row and column', async () => {
    // Prepare
    const zero = compliant('012345678901', 'leading-zero');
    zero.contacts.BILLING = contact('Billing', { phoneNumber: '02071234567' });
    const csv = renderCsv(report([zero, missingSecurity('1000000000000006', 'alibaba-style')]));

    // Act
    const cells = await open(csv);

    // Assess
    const rows = parseCsv(csv);
    const at = (row: number, column: (typeof CSV_COLUMNS)[number]) => cells.find((c) => c.row === row && c.col === CSV_COLUMNS.indexOf(column));
    expect(Math.max(...cells.map((c) => c.row)) + 1).toBe(rows.length);
    expect(cells.filter((c) => c.row === 0).map((c) => c.text)).toEqual([...CSV_COLUMNS]);
    for (let row = 1; row < rows.length; row++) {
      const id = at(row, 'accountId')!;
      expect(id.type, `row ${row}`).toBe('string');
      expect(['012345678901', '1000000000000006']).toContain(id.text);
    }
    // A phone number of digits only keeps its leading zero too.
    const billing = rows.findIndex((r) => r[CSV_COLUMNS.indexOf('contactType')] === 'BILLING');
    expect(at(billing, 'phoneNumber')).toMatchObject({ type: 'string', text: '02071234567' });
  });

  it('makes no cell a formula, whatever the contact text', async () => {
    // Prepare
    const a = compliant('333333333333', '=HYPERLINK("http://evil","x")');
    a.contacts.BILLING = contact('x', { name: '+SUM(1,2)', title: "-2+3;=cmd|' /C calc'!A0", emailAddress: '@SUM(1)', phoneNumber: '=1+1' });

    // Act
    const cells = await open(renderCsv(report([a])));

    // Assess
    expect(cells.filter((c) => c.type === 'formula')).toEqual([]);
    // The mark that stops the formula is hidden by the spreadsheet: the reader sees the text as typed.
    expect(cells.find((c) => c.row === 1 && c.col === CSV_COLUMNS.indexOf('accountName'))).toMatchObject({ type: 'string', text: '=HYPERLINK("http://evil","x")' });
  });
});
