/**
 * ASFF, OCSF and JUnit renderings: ASFF validated against botocore's own securityhub model
 * (AwsSecurityFinding, BatchImportFindingsRequest), OCSF with ajv against the schema in
 * test/fixtures/ (no OCSF schema package is on the npm registry), and checked for the identity,
 * status and escaping rules the README documents.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import type { AccountResult } from '../../src/model.ts';
import { ASFF_IMPORT_LIMITS, asffBatches, asffFindings, renderAsff, type AsffFinding } from '../../src/report/render/asff.ts';
import { renderJunit } from '../../src/report/render/junit.ts';
import { ocsfFindings, renderOcsf } from '../../src/report/render/ocsf.ts';
import { botocoreModel } from '../fixtures/botocoreModels.ts';
import { validateShape } from '../fixtures/botocoreValidate.ts';
import { OcsfSchema } from '../fixtures/ocsfSchema.ts';
import { compliant, contact, missingSecurity, report, skipped, unknownSecurity, withFindings } from './fixtures.ts';

const schema = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
const securityhub = botocoreModel('securityhub');
if (securityhub === undefined) throw new Error('The AWS CLI with its botocore models is needed: the ASFF checks read the securityhub model');
/** Violations of the BatchImportFindings request shape, from the model itself. */
const asffErrors = (body: unknown) => validateShape(securityhub, 'BatchImportFindingsRequest', body);
const lines = (jsonl: string) => jsonl.trimEnd().split('\n').map((l) => JSON.parse(l) as { Findings: Record<string, any>[] });
const validateOcsf = ajv.compile(schema('ocsf-compliance-finding.schema.json'));

const HOSTILE = 'Evil <script>alert("x")</script> & \u0007\u001b[31m\u0000 \'quote\' ]]>';

function hostile(accountId: string): AccountResult {
  return {
    ...withFindings(
      compliant(accountId, HOSTILE),
      [
        { contactType: 'BILLING', code: 'EMAIL_NOT_COMPANY_DOMAIN', message: `The BILLING e-mail ${HOSTILE}@evil.io is not in a company domain.` },
        { contactType: 'OPERATIONS', code: 'INVALID_PHONE', message: 'x'.repeat(3000) },
      ],
      'NON_COMPLIANT',
    ),
    contacts: { BILLING: contact('Billing', { name: HOSTILE }), OPERATIONS: contact('Ops'), SECURITY: contact('Security') },
  };
}

function exempted(accountId: string): AccountResult {
  return withFindings(
    compliant(accountId),
    [{ contactType: 'BILLING', code: 'MISSING_CONTACT', message: 'The BILLING contact is not set.', exemption: { reason: 'sandbox', expires: '2099-01-01' } }],
    'EXEMPT',
  );
}

const sample = () =>
  report([missingSecurity('333333333333'), compliant('444444444444'), unknownSecurity('555555555555'), skipped('666666666666'), exempted('777777777777'), hostile('888888888888')]);

describe('ASFF', () => {
  it('validates against the botocore BatchImportFindings model, one finding per account and contact type', () => {
    // Prepare
    const r = sample();

    // Act
    const [body, ...more] = lines(renderAsff(r, { region: 'eu-west-1' }));

    // Assess
    expect(more).toEqual([]);
    expect(asffErrors(body)).toEqual([]);
    // 6 accounts × the 3 required types (a SKIPPED account's are NOT_AVAILABLE).
    expect(body!.Findings).toHaveLength(18);
    expect(new Set(body!.Findings.map((f) => f.Id)).size).toBe(18);
  });

  it('imports as the caller, with the member account as the resource, under the default product ARN', () => {
    const f = asffFindings(sample(), { region: 'eu-west-1' }).find((x) => x.Id === 'contact-auditor/333333333333/SECURITY')!;
    expect(f.AwsAccountId).toBe('222222222222');
    expect(f.ProductArn).toBe('arn:aws:securityhub:eu-west-1:222222222222:product/222222222222/default');
    expect(f.Resources).toEqual([expect.objectContaining({ Type: 'AwsAccount', Id: 'AWS::::Account:333333333333' })]);
    expect(f.Compliance.Status).toBe('FAILED');
    expect(f.Compliance.RelatedRequirements).toContain('CIS AWS Foundations Benchmark v3.0.0/1.2');
    expect(f.Compliance.RelatedRequirements).toContain('NIST.800-53.r5 CM-2');
    expect(f.FindingProviderFields.Severity.Label).toBe('HIGH');
    expect(f.ProductFields['contact-auditor/Codes']).toBe('MISSING_CONTACT');
    // Provider-owned fields only in FindingProviderFields; Workflow is the customer's (BatchImportFindings cannot update it).
    expect(Object.keys(f)).not.toContain('Severity');
    expect(Object.keys(f)).not.toContain('Types');
    expect(Object.keys(f)).not.toContain('Workflow');
  });

  it('cuts 1,000 accounts into JSON Lines of requests within the import limits, every finding once', () => {
    // Prepare
    const accounts = Array.from({ length: 1_000 }, (_, i) => (i % 7 === 0 ? missingSecurity : compliant)(String(100000000000 + i)));

    // Act
    const out = renderAsff(report(accounts));

    // Assess
    const batches = lines(out);
    expect(batches).toHaveLength(30);
    for (const line of out.trimEnd().split('\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(ASFF_IMPORT_LIMITS.requestBytes);
    for (const b of batches) {
      expect(b.Findings.length).toBeLessThanOrEqual(100);
      for (const f of b.Findings) expect(Buffer.byteLength(JSON.stringify(f))).toBeLessThanOrEqual(ASFF_IMPORT_LIMITS.findingBytes);
    }
    expect(asffErrors(batches[0])).toEqual([]);
    const ids = batches.flatMap((b) => b.Findings.map((f) => f.Id as string));
    expect(new Set(ids).size).toBe(3_000);
  });

  it('starts a new request before one would pass 6 MB', () => {
    const big = { Id: 'x', Description: 'y'.repeat(200_000) } as unknown as AsffFinding;
    const batches = asffBatches(Array.from({ length: 40 }, () => big));
    expect(batches.map((b) => b.length)).toEqual([29, 11]);
    expect(() => asffBatches([{ Id: 'z', Description: 'y'.repeat(250_000) } as unknown as AsffFinding])).toThrow(/over the 240000-byte import limit/);
  });

  it('keeps the Id stable across runs and maps every status', () => {
    const a = asffFindings(sample());
    const b = asffFindings(report(sample().accounts, '2026-11-23T06-00-00Z-ffffff', '2026-11-23T06:00:00.000Z'));
    expect(a.map((f) => f.Id)).toEqual(b.map((f) => f.Id));
    const status = (id: string) => a.find((f) => f.Id === id)?.Compliance.Status;
    expect(status('contact-auditor/444444444444/BILLING')).toBe('PASSED');
    expect(status('contact-auditor/555555555555/SECURITY')).toBe('WARNING');
    expect(status('contact-auditor/666666666666/SECURITY')).toBe('NOT_AVAILABLE');
    expect(a.find((f) => f.Id === 'contact-auditor/666666666666/SECURITY')?.RecordState).toBe('ARCHIVED');
    expect(status('contact-auditor/777777777777/BILLING')).toBe('PASSED');
    expect(status('contact-auditor/888888888888/BILLING')).toBe('FAILED');
  });

  it('keeps titles and descriptions within the ASFF limits and free of control characters', () => {
    for (const f of asffFindings(sample())) {
      expect(f.Title.length).toBeLessThanOrEqual(256);
      expect(f.Description.length).toBeLessThanOrEqual(1024);
      // eslint-disable-next-line no-control-regex
      expect(JSON.stringify(f)).not.toMatch(/\\u00(0|1)[0-9a-f]/);
    }
  });

  it('fails the model for a missing member, an unknown one, a wrong enum and too many findings (the check can fail)', () => {
    const [body] = lines(renderAsff(sample()));
    delete body!.Findings[0]!.AwsAccountId;
    body!.Findings[1]!.Bogus = 'x';
    body!.Findings[2]!.Compliance.Status = 'OK';
    body!.Findings[3]!.Title = ' ';
    const errors = asffErrors({ Findings: [...body!.Findings, ...Array.from({ length: 90 }, () => body!.Findings[5])] });
    expect(errors).toEqual(
      expect.arrayContaining([
        '$.Findings[0].AwsAccountId: required by AwsSecurityFinding',
        '$.Findings[1].Bogus: not a member of AwsSecurityFinding',
        expect.stringMatching(/^\$\.Findings\[2\]\.Compliance\.Status: "OK" not one of/),
        expect.stringMatching(/^\$\.Findings\[3\]\.Title: .* does not match/),
        expect.stringMatching(/^\$\.Findings: length 108 above the maximum 100/),
      ]),
    );
  });
});

describe('OCSF', () => {
  it('validates as Compliance Findings (class 2003) with type_uid = class × 100 + activity', () => {
    const events = JSON.parse(renderOcsf(sample(), { productVersion: '0.1.0' })) as Record<string, any>[];
    expect(validateOcsf(events), JSON.stringify(validateOcsf.errors)).toBe(true);
    expect(events).toHaveLength(18);
    for (const e of events) {
      expect(e.class_uid).toBe(2003);
      expect(e.type_uid).toBe(e.class_uid * 100 + e.activity_id);
      expect(e.time).toBe(Date.parse('2026-11-22T06:02:30.000Z'));
    }
  });

  it('carries the account, the compliance status and a stable uid', () => {
    const e = ocsfFindings(sample()).find((x: any) => x.finding_info.uid === 'contact-auditor/333333333333/SECURITY') as any;
    expect(e.compliance).toMatchObject({ status_id: 3, status: 'Fail', status_code: 'MISSING_CONTACT' });
    expect(e.cloud.account.uid).toBe('333333333333');
    expect(e.resources[0].uid).toBe('333333333333');
    expect(e.metadata.product.name).toBe('contact-auditor');
    const pass = ocsfFindings(sample()).find((x: any) => x.finding_info.uid === 'contact-auditor/444444444444/BILLING') as any;
    expect(pass.compliance).toMatchObject({ status_id: 1, status: 'Pass' });
    expect(pass.status).toBe('Resolved');
  });

  it('fails the schema for a wrong class (the schema can fail)', () => {
    const events = JSON.parse(renderOcsf(sample())) as Record<string, unknown>[];
    events[0]!.class_uid = 2001;
    expect(validateOcsf(events)).toBe(false);
  });
});

describe('JUnit', () => {
  const xml = renderJunit(sample());

  it('has one testsuite per account and failures carrying the finding codes', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(6);
    expect(xml).toMatch(/<testsuites [^>]*tests="18" failures="3" errors="1" time="0">/);
    expect(xml).toMatch(/classname="contact-auditor.333333333333" name="SECURITY" time="0">\s*<failure type="MISSING_CONTACT"/);
    expect(xml).toMatch(/name="SECURITY" time="0">\s*<error type="CHECK_FAILED" message="AccessDeniedException"/);
    expect(xml).toMatch(/<skipped message="account is SUSPENDED"\/>/);
    // An exempted finding passes, the exemption stays visible.
    expect(xml).toMatch(/classname="contact-auditor.777777777777" name="BILLING" time="0">\s*<system-out>MISSING_CONTACT: .*exempt until 2099-01-01: sandbox/);
  });

  it('escapes contact text and drops characters XML 1.0 forbids', () => {
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('Evil &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;');
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    // Every tag that opens closes: a crude well-formedness check without an XML parser.
    const opened = (tag: string) => (xml.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length;
    const closed = (tag: string) => (xml.match(new RegExp(`</${tag}>`, 'g')) ?? []).length;
    for (const tag of ['testsuites', 'testsuite', 'testcase', 'failure', 'error', 'properties', 'system-out']) expect(closed(tag), tag).toBe(opened(tag));
  });
});

describe.skipIf(process.env.OCSF_SCHEMA_DIR === undefined)('OCSF against the real schema (OCSF_SCHEMA_DIR: an ocsf-schema checkout)', () => {
  // Read in the tests: a skipped describe still runs its body to collect them.
  let schemaDir: OcsfSchema | undefined;
  const real = () => (schemaDir ??= new OcsfSchema(process.env.OCSF_SCHEMA_DIR as string));

  it('is the 1.3.0 schema the events name', () => {
    expect(real().version).toBe('1.3.0');
  });

  it('validates every event, hostile text included, as a Compliance Finding with the cloud profile', () => {
    const events = JSON.parse(renderOcsf(sample(), { productVersion: '0.1.0' })) as Record<string, unknown>[];
    for (const e of events) expect(real().validate(e)).toEqual([]);
  });

  it('fails an event without the cloud profile, with an unknown attribute or a wrong enum (the check can fail)', () => {
    const [e] = JSON.parse(renderOcsf(sample())) as Record<string, any>[];
    e!.metadata.profiles = [];
    e!.bogus = 1;
    e!.compliance.status_id = 7;
    expect(real().validate(e!)).toEqual(
      expect.arrayContaining([
        '$.cloud: belongs to profile cloud, which metadata.profiles does not name',
        '$.bogus: not an attribute here',
        expect.stringMatching(/^\$\.compliance\.status_id: 7 not in its enum/),
        expect.stringMatching(/cloud_partition: belongs to profile cloud/),
      ]),
    );
  });
});
