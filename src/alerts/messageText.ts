/**
 * Subject and body text of SNS messages (§8).
 */
import { oneLine } from '../textHygiene.ts';

/** SNS: "less than 100 characters"; 99 also satisfies "at most 100". */
const MAX_SUBJECT_LENGTH = 99;
const FALLBACK_SUBJECT = 'contact-auditor alert';
export const MACHINE_MARKER = '--- machine-readable ---';
/** SNS messages are at most 256 KiB. */
const MAX_MESSAGE_BYTES = 256 * 1024;

/** Letters that do not decompose under NFKD but have a usual ASCII spelling. */
const TRANSLITERATIONS: Record<string, string> = {
  ß: 'ss', Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe', Ø: 'O', ø: 'o', Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ð: 'D', ð: 'd',
  Þ: 'Th', þ: 'th', ı: 'i', '‘': "'", '’': "'", '‚': "'", '“': '"', '”': '"', '„': '"', '–': '-', '—': '-',
  '−': '-', '…': '...', '«': '"', '»': '"', '•': '*', '€': 'EUR', '£': 'GBP',
};

/**
 * An SNS Subject made from any text: one line of printable ASCII (accents dropped, other
 * non-ASCII characters become `?`, control characters and line breaks become spaces, runs of
 * spaces collapse), trimmed, at most 99 characters (cut with `...`), never empty.
 */
export function safeSubject(text: string): string {
  const ascii = Array.from(oneLine(String(text)).normalize('NFKD'), (ch) => {
    if (/^[\x20-\x7E]$/.test(ch)) return ch;
    if (/^\p{M}$/u.test(ch)) return ''; // combining accent left by NFKD: é → e
    const t = TRANSLITERATIONS[ch];
    if (t !== undefined) return t;
    if (/^\s$/u.test(ch)) return ' ';
    if (/^\p{Cf}$/u.test(ch)) return ''; // invisible format characters (zero-width joiner, …)
    return '?';
  }).join('');
  let subject = ascii.replace(/ +/g, ' ').trim();
  if (subject.length > MAX_SUBJECT_LENGTH) subject = `${subject.slice(0, MAX_SUBJECT_LENGTH - 3).trimEnd()}...`;
  return subject === '' ? FALLBACK_SUBJECT : subject;
}

/** Event- or contact-derived text for the human part of a message: one line, no control characters. */
export function clean(text: unknown): string {
  return text === undefined || text === null || text === '' ? '(unknown)' : oneLine(String(text)).trim() || '(unknown)';
}

/**
 * The message body: the human lines, the marker line, then `data` as pretty JSON (compact JSON
 * instead if the pretty form would not fit in an SNS message).
 */
export function composeMessage(human: readonly string[], data: Record<string, unknown>): string {
  const head = `${human.join('\n')}\n\n${MACHINE_MARKER}\n`;
  const pretty = `${head}${JSON.stringify(data, null, 2)}\n`;
  if (new TextEncoder().encode(pretty).length <= MAX_MESSAGE_BYTES) return pretty;
  return `${head}${JSON.stringify(data)}\n`;
}
