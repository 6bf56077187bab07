import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { HTML_CSP, renderHtml } from '../../src/report/render/html.ts';
import { NO_OU } from '../../src/report/view.ts';
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
    // The page's own script is the only one; the contact's is text.
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html).not.toMatch(/<script>alert/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('O&#39;Brien &amp; &lt;b&gt;Co&lt;/b&gt;');
    expect(html).toContain('&quot;quoted&quot;@example.com');
  });

  it('is one self-contained page: charset, a CSP that allows only its own script by hash, no URLs', () => {
    // Act
    const html = renderHtml(report([compliant('444444444444'), missingSecurity('333333333333')]));

    // Assess
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(HTML_CSP).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-[A-Za-z0-9+/]+=*'; base-uri 'none'; form-action 'none'$/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">`);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]!, 'utf8').digest('base64');
    expect(HTML_CSP).toContain(`'sha256-${hash}'`);
    expect(html).not.toMatch(/<script [^>]*src|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\bsrc=|\bhref=/i);
  });

  it('summarises by finding code and by OU, falls back to "(no OU)", and folds accounts that need nothing', () => {
    // Prepare
    const prod = { id: 'ou-ab12-11111111', name: 'Prod', path: 'Root / Workloads / Prod' };
    const r = report([
      { ...missingSecurity('333333333333', 'prod-broken'), ou: prod },
      { ...compliant('444444444444', 'prod-fine'), ou: prod },
      missingSecurity('555555555555', 'loose-broken'),
    ]);

    // Act
    const html = renderHtml(r);

    // Assess
    expect(html).toMatch(/<tr><td><code>MISSING_CONTACT<\/code><\/td><td class="num">2<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">2<\/td>/);
    expect(html).toContain('<tr><td>Root / Workloads / Prod</td><td class="num">2</td>');
    expect(html).toContain(`<tr><td>${NO_OU}</td><td class="num">1</td>`);
    expect(html.indexOf('By organizational unit')).toBeLessThan(html.indexOf('prod-broken'));
    // Attention rows grouped by OU: Prod before (no OU).
    expect(html.indexOf('<th colspan="5">Root / Workloads / Prod (1)</th>')).toBeLessThan(html.indexOf(`<th colspan="5">${NO_OU} (1)</th>`));
    expect(html).toMatch(/<details class="grp"><summary><span class="status compliant">[^<]*<\/span> Compliant accounts \(1\)<\/summary>[\s\S]*prod-fine[\s\S]*<\/details>/);
    expect(html).toContain('<option value="ou-ab12-11111111">Root / Workloads / Prod</option>');
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
