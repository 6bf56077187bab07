import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/render/html.ts';
import { compliant, contact, missingSecurity, report, skipped, unknownSecurity, withFindings } from './fixtures.ts';

describe('renderHtml', () => {
  it('escapes script tags and quotes in names, titles and e-mails', () => {
    // Prepare
    const a = missingSecurity('333333333333', '<script>alert(1)</script>');
    a.contacts.BILLING = contact('x', {
      name: '"><img src=x onerror=alert(1)>',
      title: "O'Brien & <b>Co</b>",
      emailAddress: '"quoted"@example.com',
    });

    // Act
    const html = renderHtml(report([a]));

    // Assess
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('O&#39;Brien &amp; &lt;b&gt;Co&lt;/b&gt;');
    expect(html).toContain('&quot;quoted&quot;@example.com');
  });

  it('is one self-contained page: charset, CSP, no scripts, no URLs', () => {
    // Act
    const html = renderHtml(report([compliant('444444444444'), missingSecurity('333333333333')]));

    // Assess
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\bsrc=|\bhref=/i);
  });

  it('shows the summary first, then NON_COMPLIANT and UNKNOWN, then EXEMPT, COMPLIANT, SKIPPED', () => {
    // Prepare
    const exempt = withFindings(missingSecurity('555555555555', 'exempt-one'), [
      { contactType: 'SECURITY', code: 'MISSING_CONTACT', message: 'm', exemption: { reason: 'closing', expires: '2027-01-31' } },
    ], 'EXEMPT');
    const r = report([
      skipped('777777777777', 'skipped-one'),
      compliant('444444444444', 'compliant-one'),
      exempt,
      unknownSecurity('666666666666', 'unknown-one'),
      missingSecurity('333333333333', 'broken-one'),
    ]);

    // Act
    const html = renderHtml(r);

    // Assess
    const at = (s: string): number => html.indexOf(s);
    const order = ['Total', 'broken-one', 'unknown-one', 'exempt-one', 'compliant-one', 'skipped-one'].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(html).toContain(RUN_ID_TEXT);
    expect(html).toContain('o-abc123defg');
    expect(html).toContain('222222222222');
    expect(html).toContain('exempt until 2027-01-31: closing');
    expect(html).toContain('AccessDeniedException');
  });

  it('shows status as colour and text', () => {
    const html = renderHtml(report([missingSecurity('333333333333')]));
    expect(html).toMatch(/<span class="status noncompliant">[^<]*NON_COMPLIANT<\/span>/);
    expect(html).toMatch(/\.noncompliant\{color:#/);
  });

  it('property: no unescaped < > " \' from any contact name, title or e-mail', () => {
    const render = (name: string, title: string, email: string): string => {
      const a = compliant('333333333333', name);
      a.contacts.SECURITY = { name, title, emailAddress: email, phoneNumber: '1' };
      return renderHtml(report([a]));
    };
    const count = (html: string, ch: string): number => html.split(ch).length - 1;
    const baseline = render('', '', '');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), fc.string({ unit: 'binary-ascii' }), (name, title, email) => {
        const html = render(`<${name}`, `"${title}'`, `>${email}`);
        // The markup does not depend on the contact: as many of each special character as with empty text.
        for (const ch of ['<', '>', '"', "'"]) expect(count(html, ch)).toBe(count(baseline, ch));
      }),
      { numRuns: 300 },
    );
  });
});

const RUN_ID_TEXT = '2026-11-22T06-00-00Z-1a2b3c';
