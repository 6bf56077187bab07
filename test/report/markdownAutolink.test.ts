/**
 * Contact text in the Markdown report never becomes a link under GitHub-flavoured Markdown:
 * checked with a GFM renderer (marked, `gfm: true`), which must produce no <a> at all. And it stays
 * the text it is: the address is in report.md byte for byte (what `grep` and copy need), and the
 * rendered page shows it unchanged, with no invisible character inserted.
 */
import fc from 'fast-check';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/render/markdown.ts';
import { compliant, contact, report } from './fixtures.ts';

const gfm = (markdown: string) => marked.parse(markdown, { gfm: true, async: false }) as string;

/** What a reader sees of rendered HTML: tags dropped, the entities marked writes decoded. */
const visibleText = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

const HOSTILE = [
  'https://evil.example/sso-login',
  'http://evil.example',
  'HTTPS://EVIL.EXAMPLE',
  'www.evil.example',
  'WWW.evil.example/login',
  'ceo@evil.example',
  'mailto:ceo@evil.example',
  'xmpp:ceo@evil.example',
  '<https://evil.example>',
  '[click](https://evil.example)',
  'ftp://evil.example',
  '(www.evil.example)',
  '*www.evil.example*',
];

describe('Markdown: no autolinks from contact text', () => {
  it('the renderer under test does autolink such text when it is left alone', () => {
    expect(gfm('see https://evil.example/sso-login')).toContain('<a ');
    expect(gfm('see www.evil.example')).toContain('<a ');
    expect(gfm('see ceo@evil.example')).toContain('<a ');
  });

  it.each(HOSTILE)('%s in every contact field and the account name: no <a>', (text) => {
    const a = compliant('333333333333', text);
    a.status = 'NON_COMPLIANT';
    a.contacts.BILLING = contact('x', { name: text, title: `Team ${text}`, emailAddress: text, phoneNumber: text });
    a.findings = [{ contactType: 'BILLING', code: 'INVALID_EMAIL', message: `BILLING e-mail "${text}" is not a valid address` }];
    const markdown = renderMarkdown(report([a]));
    const html = gfm(markdown);
    expect(html).not.toMatch(/<a\b/i);
    expect(markdown).toContain(text);
    expect(markdown).not.toContain('\u2060');
    expect(visibleText(html)).toContain(text);
  });

  it('keeps billing@example.com findable by grep in report.md and shown as-is', () => {
    const a = compliant('333333333333');
    a.contacts.BILLING = contact('Billing', { emailAddress: 'billing@example.com' });
    const markdown = renderMarkdown(report([{ ...a, status: 'NON_COMPLIANT', findings: [{ contactType: 'BILLING', code: 'EMAIL_PATTERN_MISMATCH', message: 'x' }] }]));
    expect(markdown.split('\n').some((line) => line.includes('billing@example.com'))).toBe(true);
    const html = gfm(markdown);
    expect(html).not.toMatch(/<a\b/i);
    expect(visibleText(html)).toContain('billing@example.com');
  });

  it.each(['a`b@evil.example', '``x@evil.example``', '`', 'x|y@evil.example', 'x\\|y@evil.example', '<img src=x onerror=alert(1)>@evil.example'])(
    'hostile %s: still no link, no raw HTML, the text shown as-is',
    (text) => {
      const a = compliant('333333333333');
      a.status = 'NON_COMPLIANT';
      a.contacts.BILLING = contact('x', { emailAddress: text });
      const html = gfm(renderMarkdown(report([a])));
      expect(html).not.toMatch(/<a\b|<img\b/i);
      expect(visibleText(html)).toContain(text);
    },
  );

  it('property: no text assembled from link-like pieces ever autolinks', () => {
    const piece = fc.constantFrom('https', 'http', 'www', 'WWW', '.', '://', ':', '//', '@', 'mailto:', 'evil', 'example', ' ', '(', '*', '_', '~', 'a', '-', '/');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }).map((p) => p.join('')), (text) => {
        const a = compliant('333333333333', text);
        a.contacts.BILLING = contact('x', { name: text, title: text, emailAddress: text, phoneNumber: text });
        expect(gfm(renderMarkdown(report([a])))).not.toMatch(/<a\b/i);
      }),
      { numRuns: 300 },
    );
  });
});
