/**
 * The model-driven conformance run (scripts/conformance-models.ts, part of `npm run conformance`)
 * over the Organizations operations that drifted before (the whole run over every served operation is
 * CI's `npm run conformance`; it takes too long for the unit tests). The operations come from the
 * emulator's routing, and every check holds against the model.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runModelConformance } from '../../../scripts/conformance-models.ts';
import { botocoreModel } from '../../../test/fixtures/botocoreModels.ts';

/** The root's sample organization, wherever the tests are started from. */
const SAMPLE_ORG = fileURLToPath(new URL('../../../examples/sample-org.json', import.meta.url));

describe.skipIf(!botocoreModel('organizations'))('model-driven conformance of Organizations', () => {
  it('finds the served operations from the routing and passes every check of the models', async () => {
    // Act
    const operations = ['ListAccounts', 'ListDelegatedAdministrators', 'ListAWSServiceAccessForOrganization', 'ListPolicies', 'ListParents', 'LeaveOrganization'];
    const r = await runModelConformance(SAMPLE_ORG, ['organizations'], operations);
    // Assess
    expect(r.lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(r.served.sort()).toEqual([
      'organizations ListAWSServiceAccessForOrganization', 'organizations ListAccounts', 'organizations ListDelegatedAdministrators',
      'organizations ListParents', 'organizations ListPolicies',
    ]);
    // Not served, so not checked: the emulator answers UnknownOperationException for it.
    expect(r.served).not.toContain('organizations LeaveOrganization');
    expect(r.lines).toContain('PASS organizations ListPolicies: accepts all 13 values of the Filter enum');
    expect(r.lines).toContain('PASS organizations ListAccounts: Paths of all 49 accounts run from the real root through every OU');
    expect(r.lines.some((l) => /^PASS organizations ListParents: ChildId breaking the pattern answers a declared error \(InvalidInputException\)/.test(l))).toBe(true);
    expect(r.lines).toContain('PASS organizations ListDelegatedAdministrators: the delegated administrator may call it (model documentation)');
    expect(r.passed).toBeGreaterThan(25);
  });
});

describe.skipIf(!botocoreModel('account'))('model-driven conformance of the Account primary-contact and root e-mail operations', () => {
  it('holds every check of the CLI model; VerificationStatus is sent only where a fixture sets it, so a model without it still passes', async () => {
    // Act
    const operations = ['GetContactInformation', 'PutContactInformation', 'GetPrimaryEmail', 'StartPrimaryEmailUpdate', 'AcceptPrimaryEmailUpdate'];
    const r = await runModelConformance(SAMPLE_ORG, ['account'], operations);
    // Assess
    expect(r.lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(r.served.sort()).toEqual(operations.map((op) => `account ${op}`).sort());
    expect(r.lines).toContain('PASS account GetContactInformation: a valid input answers the output shape');
  });
});
