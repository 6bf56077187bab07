import { describe, expect, it } from 'vitest';
import type { CoveringContact, MemberReads, MessageContact, RdMember } from '../../src/model.ts';
import { alibabaPolicy, type AlibabaPolicy } from '../../src/policy/alibaba.ts';
import { evaluateMember } from '../../src/rules/messageContacts.ts';
import { parsePolicy, PolicyError } from '../../src/policy/load.ts';

/** The report keys contacts by type; for Alibaba the types are message types (plain strings on the wire). */
const messageContacts = (account: { contacts: object }) => account.contacts as Record<string, { emailAddress: string; phoneNumber: string } | null | undefined>;

const TODAY = '2026-12-02';
const RD = 'rd-abc123';
const FOLDER = 'fd-prod01';
const MEMBER: RdMember = { id: '1000000000000003', displayName: 'pay-prod', type: 'ResourceAccount', status: 'CreateSuccess', folderId: FOLDER };
const PATH = [RD, 'r-root01', FOLDER, MEMBER.id];

const policy = (section: Record<string, unknown> = {}): AlibabaPolicy => alibabaPolicy(parsePolicy({ companyDomains: ['example.com'], alibaba: section }));

function contact(over: Partial<MessageContact> = {}): MessageContact {
  return {
    contactId: 'c-1',
    name: 'Ops',
    title: 'Ops',
    emailAddress: 'ops@example.com',
    phoneNumber: '86-13900001234',
    messageTypes: ['SecurityMessage', 'AccountExpenses', 'FaultMessage'],
    members: [RD],
    status: 'Active',
    ...over,
  };
}

/** `hasSecureMobilePhone` null: GetAccount answered without the field. */
const reads = (contacts: CoveringContact[], hasSecureMobilePhone: boolean | null = true): MemberReads => ({
  contacts: { ok: true, value: contacts },
  account: { ok: true, value: hasSecureMobilePhone === null ? {} : { hasSecureMobilePhone } },
});

const codes = (result: ReturnType<typeof evaluateMember>) => result.findings.map((f) => `${f.contactType}:${f.code}`);

describe('evaluateMember', () => {
  it('a contact bound at the directory covers every member below it: COMPLIANT', () => {
    const result = evaluateMember(MEMBER, PATH, reads([{ contact: contact(), boundAt: RD }]), policy(), TODAY);
    expect(result.status).toBe('COMPLIANT');
    expect(messageContacts(result).SecurityMessage).toEqual({ name: 'Ops', title: 'Ops', emailAddress: 'ops@example.com', phoneNumber: '86-13900001234' });
  });

  it('MISSING_CONTACT per required type no contact covers; a Deleting contact does not count', () => {
    const deleting = contact({ contactId: 'c-2', messageTypes: ['AccountExpenses'], status: 'Deleting', members: [MEMBER.id] });
    const security = contact({ messageTypes: ['SecurityMessage'] });
    const result = evaluateMember(MEMBER, PATH, reads([{ contact: security, boundAt: RD }, { contact: deleting, boundAt: MEMBER.id }]), policy(), TODAY);
    expect(codes(result)).toEqual(['AccountExpenses:MISSING_CONTACT', 'FaultMessage:MISSING_CONTACT']);
    expect(messageContacts(result).AccountExpenses).toBeNull();
    expect(result.status).toBe('NON_COMPLIANT');
  });

  it('CONTACT_NOT_VERIFIED for a Verifying contact even beside an Active one; the Active one is shown', () => {
    const verifying = contact({ contactId: 'c-new', messageTypes: ['FaultMessage'], status: 'Verifying', emailAddress: 'new@example.com', members: [MEMBER.id] });
    const result = evaluateMember(MEMBER, PATH, reads([{ contact: contact(), boundAt: FOLDER }, { contact: verifying, boundAt: MEMBER.id }]), policy(), TODAY);
    expect(codes(result)).toEqual(['FaultMessage:CONTACT_NOT_VERIFIED']);
    expect(result.findings[0]!.message).toMatch(/contact c-new, bound to 1000000000000003/);
    expect(messageContacts(result).FaultMessage?.emailAddress).toBe('ops@example.com');
    expect(evaluateMember(MEMBER, PATH, reads([{ contact: verifying, boundAt: MEMBER.id }, { contact: contact(), boundAt: FOLDER }]), policy({ requireActiveContacts: false }), TODAY).status).toBe('COMPLIANT');
  });

  it('reuses the AWS e-mail and phone rules: company domain, <country>-<number> phones and digit prefixes', () => {
    const p = policy({ phone: { allowedPrefixes: ['86-139'] } });
    expect(evaluateMember(MEMBER, PATH, reads([{ contact: contact(), boundAt: RD }]), p, TODAY).status).toBe('COMPLIANT');
    const hongKong = contact({ phoneNumber: '852-61234567', messageTypes: ['SecurityMessage'] });
    const lookalike = contact({ contactId: 'c-3', emailAddress: 'ops@example.com.evil.io', messageTypes: ['AccountExpenses', 'FaultMessage'] });
    const result = evaluateMember(MEMBER, PATH, reads([{ contact: hongKong, boundAt: RD }, { contact: lookalike, boundAt: FOLDER }]), p, TODAY);
    expect(codes(result)).toEqual(['SecurityMessage:PHONE_NOT_COMPANY', 'AccountExpenses:EMAIL_NOT_COMPANY_DOMAIN', 'FaultMessage:EMAIL_NOT_COMPANY_DOMAIN']);
    const invalid = contact({ phoneNumber: '86-139 ext. 7', emailAddress: 'ops(at)example.com' });
    expect(codes(evaluateMember(MEMBER, PATH, reads([{ contact: invalid, boundAt: RD }]), p, TODAY)).slice(0, 2)).toEqual([
      'SecurityMessage:INVALID_EMAIL',
      'SecurityMessage:INVALID_PHONE',
    ]);
  });

  it('contacts that could not be read are CHECK_FAILED for every type, never missing or compliant: UNKNOWN', () => {
    const result = evaluateMember(MEMBER, PATH, { contacts: { ok: false, errorCode: 'Throttling.User', message: 'Request was denied due to user flow control.' }, account: { ok: true, value: { hasSecureMobilePhone: true } } }, policy(), TODAY);
    expect(codes(result)).toEqual(['SecurityMessage:CHECK_FAILED', 'AccountExpenses:CHECK_FAILED', 'FaultMessage:CHECK_FAILED']);
    expect(result.findings.every((f) => f.errorCode === 'Throttling.User')).toBe(true);
    expect(result.status).toBe('UNKNOWN');
    expect(result.contacts).toEqual({});
  });

  it('NO_SECURE_MOBILE_PHONE for a resource account only; a failed or silent GetAccount is CHECK_FAILED', () => {
    const covered = [{ contact: contact(), boundAt: RD }];
    expect(codes(evaluateMember(MEMBER, PATH, reads(covered, false), policy(), TODAY))).toEqual(['SecureMobilePhone:NO_SECURE_MOBILE_PHONE']);
    expect(evaluateMember({ ...MEMBER, type: 'CloudAccount' }, PATH, reads(covered, false), policy(), TODAY).status).toBe('COMPLIANT');
    expect(evaluateMember(MEMBER, PATH, reads(covered, false), policy({ requireSecureMobilePhone: false }), TODAY).status).toBe('COMPLIANT');
    const silent = evaluateMember(MEMBER, PATH, reads(covered, null), policy(), TODAY);
    expect([silent.status, silent.findings[0]?.errorCode]).toEqual(['UNKNOWN', 'NotReported']);
    const denied = evaluateMember(MEMBER, PATH, { contacts: { ok: true, value: covered }, account: { ok: false, errorCode: 'NoPermission', message: 'no' } }, policy(), TODAY);
    expect([denied.status, codes(denied)]).toEqual(['UNKNOWN', ['SecureMobilePhone:CHECK_FAILED']]);
  });

  it('a member whose deletion is under way is SKIPPED without reads; exemptions of the alibaba section make it EXEMPT', () => {
    const skipped = evaluateMember({ ...MEMBER, deletionStatus: 'Deleting' }, PATH, reads([]), policy(), TODAY);
    expect([skipped.status, skipped.state]).toEqual(['SKIPPED', 'Deleting']);
    const p = policy({ exemptions: [{ memberId: MEMBER.id, reason: 'moving', expires: '2026-12-02' }] });
    expect(evaluateMember(MEMBER, PATH, reads([], false), p, TODAY).status).toBe('EXEMPT');
    expect(evaluateMember(MEMBER, PATH, reads([], false), p, '2026-12-03').status).toBe('NON_COMPLIANT');
    const onlyPhone = policy({ exemptions: [{ memberId: MEMBER.id, messageTypes: ['SecureMobilePhone'], reason: 'r', expires: '2999-01-01' }] });
    expect(evaluateMember(MEMBER, PATH, reads([{ contact: contact(), boundAt: RD }], false), onlyPhone, TODAY).status).toBe('EXEMPT');
  });
});

describe('the policy alibaba section', () => {
  it('defaults: SecurityMessage, AccountExpenses, FaultMessage; domains and subdomains from the top level', () => {
    const p = alibabaPolicy(parsePolicy({ companyDomains: ['Example.com'], allowSubdomains: false }));
    expect(p).toMatchObject({
      requiredMessageTypes: ['SecurityMessage', 'AccountExpenses', 'FaultMessage'],
      companyDomains: ['example.com'],
      allowSubdomains: false,
      phone: { allowedPrefixes: [] },
      requireActiveContacts: true,
      requireSecureMobilePhone: true,
      exemptions: [],
    });
  });

  it('names the field of a bad value', () => {
    expect(() => parsePolicy({ companyDomains: ['example.com'], alibaba: { requiredMessageTypes: ['Security'] } })).toThrow(/alibaba\.requiredMessageTypes\[0\]: expected one of ServiceMessage/);
    expect(() => parsePolicy({ companyDomains: ['example.com'], alibaba: { exemptions: [{ memberId: 1000000000000003, reason: 'r', expires: '2027-01-01' }] } })).toThrow(PolicyError);
    expect(() => parsePolicy({ companyDomains: ['example.com'], alibaba: { requireActive: true } })).toThrow(/alibaba\.requireActive: unknown key/);
  });
});
