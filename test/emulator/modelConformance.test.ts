/**
 * The model-driven conformance run (scripts/conformance-models.ts, part of `npm run conformance`)
 * over Organizations (the whole run, with Account, S3, SNS, STS and CloudTrail, is CI's conformance
 * step). It finds the operations from the emulator's routing, and every check holds against the model.
 */
import { describe, expect, it } from 'vitest';
import { runModelConformance } from '../../scripts/conformance-models.ts';
import { botocoreModel } from '../fixtures/botocoreModels.ts';

describe.skipIf(!botocoreModel('organizations'))('model-driven conformance of Organizations', () => {
  it('finds the served operations from the routing and passes every check of the models', async () => {
    // Act
    const r = await runModelConformance('examples/sample-org.json', ['organizations']);
    // Assess
    expect(r.lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(r.served).toEqual(expect.arrayContaining([
      'organizations ListDelegatedAdministrators', 'organizations ListAWSServiceAccessForOrganization', 'organizations ListPolicies',
      'organizations ListParents', 'organizations DescribeAccount', 'organizations ListTargetsForPolicy',
    ]));
    // Not served, so not checked: the emulator answers UnknownOperationException for it.
    expect(r.served).not.toContain('organizations CreateAccount');
    expect(r.lines).toContain('PASS organizations ListPolicies: accepts all 13 values of the Filter enum');
    expect(r.lines).toContain('PASS organizations ListAccounts: Paths of all 49 accounts run from the real root through every OU');
    expect(r.lines.some((l) => /^PASS organizations ListParents: ChildId breaking the pattern answers a declared error \(InvalidInputException\)/.test(l))).toBe(true);
    expect(r.passed).toBeGreaterThan(60);
  });
});
