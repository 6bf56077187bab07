/**
 * The deployed sweep's work files read back through their schemas (src/contracts/sweepWork.ts): a
 * corrupt, foreign or missing file gives a SweepStateError naming the object and the field, a
 * batch result that cannot be used counts as no result, and the schemas keep every field of the
 * report model they stand for.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod/mini';
import { readBaseline } from '../../src/audit/finalize.ts';
import { checkBatch, finishSweep } from '../../src/audit/stateMachine.ts';
import { MemoryStore as BaseMemoryStore } from '../fixtures/memoryStore.ts';
import {
  BatchInput,
  accountResultSchema,
  parseStepInput,
  reportSchema,
  workKeys,
  type BatchItem,
  type BatchResultFile,
} from '../../src/contracts/sweepWork.ts';
import type { ContactsAdapter } from '../../src/providers/aws/contacts.ts';
import type { AccountResult, Finding, OrgAccount, PrimaryContact, Report } from '../../src/model.ts';
import { POLICY, compliant, contact, report } from '../report/fixtures.ts';

const RUN = '2026-11-22T06-00-00Z-aaaaaa';
const keys = workKeys('p', RUN);

class MemoryStore extends BaseMemoryStore {
  json(key: string, value: unknown) {
    this.objects.set(key, JSON.stringify(value));
  }
}

const manifest = () => ({
  schemaVersion: 1 as const,
  runId: RUN,
  startedAt: '2026-11-22T06:00:00.000Z',
  organizationId: 'o-abc123defg',
  managementAccountId: '111111111111',
  callerAccountId: '222222222222',
  policy: POLICY,
  policyOrigin: 'test',
  accounts: 2,
  batches: 2,
});

const items = (): BatchItem[] => [
  { batch: 0, accounts: [{ id: '333333333333', name: 'a', state: 'ACTIVE' }] },
  { batch: 1, accounts: [{ id: '444444444444', name: 'b', state: 'ACTIVE' }] },
];

const result = (batch: number, accountId: string): BatchResultFile => ({
  schemaVersion: 1,
  runId: RUN,
  batch,
  results: [compliant(accountId)],
  stats: { calls: 3, retries: 0, throttled: 0, failed: 0 },
});

/** A run whose list step and both batches wrote their files. */
function listedRun(): MemoryStore {
  const store = new MemoryStore();
  store.json(keys.manifest, manifest());
  store.json(keys.items, items());
  store.json(keys.result(0), result(0, '333333333333'));
  store.json(keys.result(1), result(1, '444444444444'));
  return store;
}

const finish = (store: MemoryStore) =>
  finishSweep({ storage: store, prefix: 'p', now: () => new Date('2026-11-22T06:05:00.000Z') }, { runId: RUN, manifestKey: keys.manifest, itemsKey: keys.items });

describe('work files read back', () => {
  it('finishes a run whose files are whole', async () => {
    const out = await finish(listedRun());
    expect(out).toMatchObject({ missingAccounts: 0, missingBatches: [], unusableResults: [] });
    expect(out.summary).toMatchObject({ accounts: 2, compliant: 2 });
  });

  it('names the manifest and the field when the manifest is corrupt', async () => {
    // Prepare
    const store = listedRun();
    store.json(keys.manifest, { ...manifest(), policy: { ...POLICY, companyDomains: 'example.com' } });

    // Act / Assess: both steps that read it stop at the read.
    const named = { name: 'SweepStateError', message: expect.stringMatching(/^run manifest mem:\/\/p\/work\/.+\/manifest\.json: policy\.companyDomains: /) };
    await expect(finish(store)).rejects.toMatchObject(named);
    const contacts = { stats: undefined } as unknown as ContactsAdapter;
    await expect(checkBatch({ contacts, storage: store, prefix: 'p', concurrency: 1 }, { runId: RUN, manifestKey: keys.manifest, batch: items()[0]! })).rejects.toMatchObject(named);
  });

  it("names the manifest when it is missing, not JSON or another run's", async () => {
    const store = listedRun();
    store.objects.delete(keys.manifest);
    await expect(finish(store)).rejects.toMatchObject({ name: 'SweepStateError', message: expect.stringMatching(/^run manifest mem:\/\/p\/work\/.+\/manifest\.json does not exist$/) });
    store.objects.set(keys.manifest, '{"schemaVersion":1,');
    await expect(finish(store)).rejects.toMatchObject({ name: 'SweepStateError', message: expect.stringMatching(/manifest\.json is not JSON$/) });
    store.json(keys.manifest, { ...manifest(), runId: '2026-11-21T06-00-00Z-bbbbbb' });
    await expect(finish(store)).rejects.toMatchObject({ name: 'SweepStateError', message: expect.stringMatching(/manifest\.json: runId: "2026-11-21T06-00-00Z-bbbbbb" is not this run/) });
    store.json(keys.manifest, { ...manifest(), startedAt: 'yesterday' });
    await expect(finish(store)).rejects.toMatchObject({ name: 'SweepStateError', message: expect.stringMatching(/manifest\.json: startedAt: /) });
  });

  it('names the items file and the account when a batch is corrupt', async () => {
    const store = listedRun();
    store.json(keys.items, [items()[0], { batch: 1, accounts: [{ id: 444444444444, name: 'b', state: 'ACTIVE' }] }]);
    await expect(finish(store)).rejects.toMatchObject({
      name: 'SweepStateError',
      message: expect.stringMatching(/^batch items mem:\/\/p\/work\/.+\/items\.json: \[1\]\.accounts\[0\]\.id: .*expected string/),
    });
  });

  it('reports the accounts of an unusable batch result UNKNOWN and says why, naming the file and the field', async () => {
    // Prepare: batch 0 wrote a result without a status; batch 1 a file of another run.
    const store = listedRun();
    const { status: _, ...noStatus } = compliant('333333333333');
    store.json(keys.result(0), { ...result(0, '333333333333'), results: [noStatus] });
    store.json(keys.result(1), { ...result(1, '444444444444'), runId: '2026-11-21T06-00-00Z-bbbbbb' });

    // Act
    const out = await finish(store);

    // Assess
    expect(out.missingBatches).toEqual([0, 1]);
    expect(out.missingAccounts).toBe(2);
    expect(out.summary.unknown).toBe(2);
    expect(out.unusableResults).toEqual([
      expect.stringMatching(/^batch result mem:\/\/p\/work\/.+\/results\/batch-0\.json: results\[0\]\.status: /),
      expect.stringMatching(/^batch result mem:\/\/p\/work\/.+\/results\/batch-1\.json: runId: "2026-11-21T06-00-00Z-bbbbbb" is not this run/),
    ]);
  });

  it('names the pinned baseline and the field when it is corrupt', async () => {
    const store = listedRun();
    store.json(keys.baseline, { baseline: { ...report([compliant('333333333333')]), summary: null } });
    await expect(finish(store)).rejects.toMatchObject({
      name: 'SweepStateError',
      message: expect.stringMatching(/^pinned baseline mem:\/\/p\/work\/.+\/baseline\.json: baseline\.summary: /),
    });
  });

  it('treats a previous latest/report.json that is not a §5 report as no baseline', async () => {
    const store = new MemoryStore();
    store.json('p/latest/report.json', report([compliant('333333333333')]));
    expect((await readBaseline(store, 'p'))?.accounts).toHaveLength(1);
    store.json('p/latest/report.json', { ...report([compliant('333333333333')]), accounts: [{ accountId: '333333333333' }] });
    expect(await readBaseline(store, 'p')).toBeUndefined();
  });

  it("takes an Alibaba Cloud report, whose subjects are message types, as a baseline", async () => {
    // Prepare: what src/rules/messageContacts.ts writes where an AWS report names contact types.
    const store = new MemoryStore();
    const member = {
      ...compliant('1000000000000004'),
      status: 'NON_COMPLIANT',
      contacts: { SecurityMessage: contact('Security'), FaultMessage: null },
      findings: [{ contactType: 'SecureMobilePhone', code: 'NO_SECURE_MOBILE_PHONE', message: 'm' }],
    };
    const alibaba = { ...report([]), policy: { companyDomains: ['example.com'], requiredContactTypes: ['SecurityMessage', 'FaultMessage'] }, accounts: [member] };
    store.json('p/latest/report.json', alibaba);

    // Act / Assess
    expect(await readBaseline(store, 'p')).toEqual(alibaba);
  });
});

describe('step inputs', () => {
  it('names the step and at most three wrong fields', () => {
    const batch = { batch: -1, accounts: [1, 2, 3, 4, 5] };
    const parse = () => parseStepInput(BatchInput, { runId: RUN, manifestKey: keys.manifest, batch }, 'sweepBatch');
    expect(parse).toThrow(expect.objectContaining({ name: 'SweepEventError' }));
    expect(parse).toThrow(/^sweepBatch: unexpected input \(batch\.batch: [^;]+; batch\.accounts\[0\]: [^;]+; batch\.accounts\[1\]: [^;]+; and 3 more\)$/);
  });
});

describe('the schemas and the report model', () => {
  it('have the same fields, so parsing drops nothing a batch or a report holds', () => {
    // Checked by `tsc --noEmit` (expectTypeOf does nothing at run time).
    expectTypeOf<keyof z.output<typeof accountResultSchema>>().toEqualTypeOf<keyof AccountResult>();
    type Output = z.output<typeof accountResultSchema>;
    expectTypeOf<keyof NonNullable<Output['primaryContact']>>().toEqualTypeOf<keyof PrimaryContact>();
    expectTypeOf<keyof Output['findings'][number]>().toEqualTypeOf<keyof Finding>();
    expectTypeOf<keyof NonNullable<Output['ou']>>().toEqualTypeOf<keyof NonNullable<AccountResult['ou']>>();
    expectTypeOf<keyof z.output<typeof reportSchema>>().toEqualTypeOf<keyof Report>();
    expectTypeOf<keyof z.output<typeof reportSchema>['summary']>().toEqualTypeOf<keyof Report['summary']>();
    expectTypeOf<keyof BatchItem['accounts'][number]>().toEqualTypeOf<keyof OrgAccount>();
    expectTypeOf<keyof NonNullable<BatchItem['accounts'][number]['ou']>>().toEqualTypeOf<keyof NonNullable<OrgAccount['ou']>>();
  });

  it('keeps every field of a result that has them all', () => {
    const full: AccountResult = {
      ...compliant('333333333333'),
      status: 'EXEMPT',
      contacts: { BILLING: contact('Billing'), OPERATIONS: null },
      findings: [{ contactType: 'ROOT_EMAIL', code: 'CHECK_FAILED', message: 'm', errorCode: 'AccessDeniedException', exemption: { reason: 'r', expires: '2030-01-01' } }],
      ou: { id: 'ou-ab12-cdefgh34', name: 'Prod', path: 'Root / Prod' },
      primaryContact: {
        fullName: 'A', companyName: 'C', phoneNumber: '+1', addressLine1: '1', addressLine2: '2', addressLine3: '3',
        city: 'X', stateOrRegion: 'S', districtOrCounty: 'D', postalCode: 'P', countryCode: 'US', websiteUrl: 'https://example.com',
      },
      rootEmail: 'root@example.com',
    };
    expect(z.parse(accountResultSchema, JSON.parse(JSON.stringify(full)))).toEqual(full);
    expect(z.parse(reportSchema, JSON.parse(JSON.stringify(report([full]))))).toEqual(report([full]));
  });
});
