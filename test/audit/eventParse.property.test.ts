import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContactEvent, type ParsedContactEvent } from '../../src/contracts/contactEvent.ts';
import { handleContactEvent, memoryDedupe } from '../../src/audit/event.ts';
import type { Alert } from '../../src/alerts/index.ts';
import { policyFromDomains } from '../../src/policy/load.ts';

const dir = new URL('../events/', import.meta.url);
const fixtures: unknown[] = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(new URL(name, dir), 'utf8')));

/**
 * The characters that must never reach a log line or an alert, listed by code point from the Unicode
 * tables (controls, bidi embeddings/overrides/isolates, zero-width and invisible format characters,
 * line/paragraph separators, tags): an oracle independent of the implementation's own regex.
 */
const UNSAFE_RANGES: readonly (readonly [number, number])[] = [
  [0x00, 0x1f], [0x7f, 0x9f], [0xad, 0xad], [0x600, 0x605], [0x61c, 0x61c], [0x6dd, 0x6dd], [0x70f, 0x70f],
  [0x180e, 0x180e], [0x200b, 0x200f], [0x2028, 0x202e], [0x2060, 0x2064], [0x2066, 0x206f], [0xfeff, 0xfeff],
  [0xfff9, 0xfffb], [0xe0001, 0xe0001], [0xe0020, 0xe007f],
];

function unsafeCodePoints(text: string): number[] {
  return [...text].map((c) => c.codePointAt(0)!).filter((cp) => UNSAFE_RANGES.some(([from, to]) => cp >= from && cp <= to));
}

describe('the unsafe-character oracle', () => {
  it('flags controls, bidi overrides, zero-width characters and separators, and nothing printable', () => {
    for (const bad of ['\u0000', '\u001b[31m', '\r\n', '\u0085', '\u202E', '\u2066', '\u200B', '\uFEFF', '\u2028', '\u{E0041}']) {
      expect(unsafeCodePoints(`a${bad}b`).length, JSON.stringify(bad)).toBeGreaterThan(0);
    }
    expect(unsafeCodePoints('Ève O\'Brien <sec+ops@exämple.com> +1 (206) 555-0100 €😀')).toEqual([]);
  });
});

/** The shape every answer has, whatever the input. */
function wellFormed(parsed: ParsedContactEvent): void {
  expect(['change', 'denied', 'ignored']).toContain(parsed.kind);
  if (parsed.kind === 'ignored') {
    expect(typeof parsed.reason).toBe('string');
    expect(parsed.reason.length).toBeGreaterThan(0);
    expect(parsed.reason.length).toBeLessThanOrEqual(301);
    expect(unsafeCodePoints(parsed.reason)).toEqual([]);
    return;
  }
  expect(parsed.eventId).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
  expect(parsed.accountId).toMatch(/^\d{12}$/);
  expect(Number.isNaN(Date.parse(parsed.eventTime))).toBe(false);
  for (const text of [parsed.actorArn, parsed.sourceIp, parsed.userAgent]) {
    if (text !== undefined) {
      expect(unsafeCodePoints(text)).toEqual([]);
      expect(text.length).toBeLessThanOrEqual(2049);
    }
  }
}

/** A value anywhere in a JSON tree replaced by another: the mutations of a real event. */
function mutate(root: unknown, path: number[], replacement: unknown): unknown {
  const copy = structuredClone(root);
  let node: any = copy;
  let parent: any;
  let key: string | number | undefined;
  for (const step of path) {
    if (node === null || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    key = keys[step % keys.length]!;
    parent = node;
    node = node[key];
  }
  if (parent === undefined) return replacement;
  if (replacement === '__delete__') delete parent[key as string];
  else parent[key as string] = replacement;
  return copy;
}

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.constantFrom('\u0000', '\u202E', '\r\n', '\u001b[31m', '../../x', '123456789012', 'PutAlternateContact', '__proto__'),
  fc.integer({ min: 1, max: 200_000 }).map((n) => 'x'.repeat(n)),
);
const replacement = fc.oneof(fc.constant('__delete__'), fc.constant(null), fc.anything(), fc.json().map((t) => JSON.parse(t)), hostileString);

describe('parseContactEvent never throws', () => {
  it('on anything fast-check can make', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withDate: true, withBigInt: true }), (input) => {
        wellFormed(parseContactEvent(input));
      }),
      { numRuns: 2000 },
    );
  });

  it('on any JSON text, parsed', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 6 }), (text) => {
        wellFormed(parseContactEvent(JSON.parse(text)));
      }),
      { numRuns: 2000 },
    );
  });

  it('on the real fixtures with any value anywhere replaced or removed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), replacement, (event, path, value) => {
        wellFormed(parseContactEvent(mutate(event, path, value)));
      }),
      { numRuns: 3000 },
    );
  });

  it('and handling never throws on them either: one alert at most, never for an ignored event', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fixtures), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), replacement, async (event, path, value) => {
        const input = mutate(event, path, value);
        const published: Alert[] = [];
        const outcome = await handleContactEvent(parseContactEvent(input), {
          policy: policyFromDomains(['example.com']),
          context: async () => ({ callerAccountId: '111111111111', managementAccountId: '111111111111', organizationId: 'o-aa111bb222' }),
          contacts: { readAll: async () => ({}) },
          accounts: { describe: async () => undefined },
          alerts: {
            publish: async (alert) => {
              published.push(alert);
              return 'id';
            },
          },
          dedupe: memoryDedupe(),
        });
        expect(published.length).toBe(outcome.kind === 'ignored' ? 0 : 1);
        for (const alert of published) {
          expect(alert.subject.length).toBeLessThanOrEqual(100);
          expect(alert.subject).toMatch(/^[\x20-\x7e]+$/);
          // Nothing was read, so the account can only be UNKNOWN: never COMPLIANT.
          if (alert.eventType === 'CONTACT_CHANGED') expect(alert.data.status).toBe('UNKNOWN');
        }
      }),
      { numRuns: 500 },
    );
  });
});
