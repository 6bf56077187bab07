/**
 * The one text-hygiene policy: contact names, titles, account names, event fields and
 * AWS error messages come from outside our control, so every output first removes what could move
 * a cursor, fake a line or reorder text, then escapes for its own format (HTML entities, CSV
 * quoting, Markdown, XML, the SNS subject's ASCII). Which characters count as unsafe is decided
 * here only; the renderers, alerts, rules and the event path call these functions.
 */

/** ANSI/VT escape sequences: CSI (ESC [ … or the 8-bit 0x9B), OSC (ESC ] … BEL|ST), and two-byte ESC x. */
const ANSI_SEQUENCE =
  // eslint-disable-next-line no-control-regex
  /(?:\u001B\[|\u009B)[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[@-Z\\-_]/g;

/** Line breaks and tabs: replaced by a space so text stays on one line. */
// eslint-disable-next-line no-control-regex
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/** Other C0/C1 controls, DEL, and bidirectional overrides (which can make text read differently than it is). */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** A UTF-16 surrogate without its partner (not encodable as UTF-8). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * One line of display-safe text: escape sequences and control characters removed, line breaks
 * and tabs turned into single spaces, lone surrogates replaced by U+FFFD. Not trimmed.
 */
export function oneLine(text: string): string {
  return String(text)
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(ANSI_SEQUENCE, '')
    .replace(LINE_BREAKS, ' ')
    .replace(INVISIBLE, '');
}

/** C0/C1 controls, invisible format characters (bidi overrides, zero-width) and the line and paragraph separators. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** `text` without control or invisible format characters (finding messages echo contact text). */
export function stripControl(text: string): string {
  return text.replace(UNSAFE, '');
}

/** Text fit for logs, alerts and the audit record: control characters replaced, at most `max` characters. */
export function safeText(value: string, max: number): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return cut.replace(UNSAFE, '\uFFFD');
}
