/**
 * Text hygiene shared by the renderers and the alerts: contact names, titles and account names
 * come from people outside our control, so every output first removes what could move a
 * cursor, fake a line or reorder text, then escapes for its own format.
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
