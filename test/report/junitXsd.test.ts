/**
 * JUnit XML against the Jenkins xUnit `junit-10.xsd`. No npm package ships that schema and nothing
 * fetched is committed, so the full check runs `xmllint --schema` (Debian libxml2-utils) against the
 * XSD named by JUNIT_XSD when it is set, and is skipped otherwise. The attribute and element sets
 * the XSD allows are checked always, with xmllint parsing the document (well-formedness).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccountResult } from '../../src/model.ts';
import { renderJunit } from '../../src/report/render/junit.ts';
import { compliant, missingSecurity, report, skipped, unknownSecurity, withFindings } from './fixtures.ts';

const XSD = process.env.JUNIT_XSD;
const hostile: AccountResult = withFindings(compliant('888888888888', 'Evil <script>"x"</script> & \u0007 ]]>'), [{ contactType: 'BILLING', code: 'INVALID_PHONE', message: 'bad ]]> <phone> & "x"' }], 'NON_COMPLIANT');
const xml = renderJunit(report([missingSecurity('333333333333'), compliant('444444444444'), unknownSecurity('555555555555'), skipped('666666666666'), hostile]));

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'junit-')), 'report.xml');
  writeFileSync(path, text);
  return path;
}

/** junit-10.xsd: the attributes each element may carry. */
const ALLOWED: Record<string, string[]> = {
  testsuites: ['name', 'time', 'tests', 'failures', 'errors'],
  testsuite: ['name', 'tests', 'failures', 'errors', 'group', 'time', 'skipped', 'timestamp', 'hostname', 'id', 'package', 'file', 'log', 'url', 'version'],
  testcase: ['name', 'time', 'classname', 'group'],
  failure: ['type', 'message'],
  error: ['type', 'message'],
  skipped: ['type', 'message'],
  property: ['name', 'value'],
  properties: [],
  'system-out': [],
  'system-err': [],
};

describe('JUnit and junit-10.xsd', () => {
  it('is well-formed XML and uses only the elements and attributes junit-10.xsd allows', () => {
    execFileSync('xmllint', ['--noout', file(xml)]);
    for (const m of xml.matchAll(/<([a-z-]+)((?:\s+[a-z]+="[^"]*")*)\s*\/?>/g)) {
      const [, tag, attrs] = m as unknown as [string, string, string];
      expect(Object.keys(ALLOWED), tag).toContain(tag);
      for (const a of attrs.matchAll(/([a-z]+)="/g)) expect(ALLOWED[tag], `${tag}@${a[1]}`).toContain(a[1]);
    }
  });

  it.skipIf(XSD === undefined || !existsSync(XSD))('validates with xmllint against junit-10.xsd (JUNIT_XSD)', () => {
    const ok = spawnSync('xmllint', ['--noout', '--schema', XSD as string, file(xml)], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    // The check can fail: the attribute the XSD refuses on <testsuites>.
    const bad = spawnSync('xmllint', ['--noout', '--schema', XSD as string, file(xml.replace('<testsuites ', '<testsuites skipped="1" '))], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("attribute 'skipped': The attribute 'skipped' is not allowed");
  });
});
