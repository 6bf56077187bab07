/**
 * Safe echoing of contact text in finding messages: messages are one line and end up in terminals,
 * e-mails, CSV and HTML, so control characters never get through (the renderers escape the rest).
 */
import { stripControl } from '../text.ts';

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
