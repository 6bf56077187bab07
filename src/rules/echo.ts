/**
 * Safe echoing of contact text in finding messages: messages are one line and end up in terminals,
 * e-mails, CSV and HTML, so control characters never get through (the renderers escape the rest).
 */
import { stripControl } from '../textHygiene.ts';

/** At most this many characters of contact text in a message; an address is at most 64 when valid. */
const MAX_ECHO = 80;

/** `text` without control characters, shortened with '…', in double quotes. */
export function quote(text: string): string {
  const clean = stripControl(text);
  const short = clean.length > MAX_ECHO ? `${clean.slice(0, MAX_ECHO)}…` : clean;
  return `"${short}"`;
}

/** A contact field as a string: GetAlternateContact documents every response field as optional. */
export function field(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A non-ASCII white space or invisible format character (BOM, NBSP, U+3000, U+200B …), which no AWS contact pattern accepts. */
const INVISIBLE_OR_SPACE = /[\p{White_Space}\p{Cf}]/u;

/** What is wrong with `text` when it holds such a character (the first named as U+XXXX); undefined when it holds none. */
export function invisibleProblem(text: string): string | undefined {
  const char = INVISIBLE_OR_SPACE.exec(text.replace(/[\x00-\x7f]/g, ''))?.[0];
  return char && `has non-ASCII white space or invisible characters (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) that AWS does not accept`;
}
