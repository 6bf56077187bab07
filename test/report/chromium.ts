/**
 * Headless Chromium for the HTML report tests (Debian `chromium`, no network, a fresh profile per
 * run): the browser, a PNG decoder enough to tell a blank page, and the account rows of a DOM dump.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { expect } from 'vitest';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
export const SKIP_REASON = 'chromium is not installed (apt-get install -y chromium)';
const run = promisify(execFile);

/** Runs headless chromium on a file URL in a fresh profile, with everything that could reach the network off. */
export async function chromium(work: string, args: string[], file: string, hash = ''): Promise<string> {
  const profile = await mkdtemp(join(work, 'profile-'));
  const { stdout } = await run(
    CHROMIUM!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      ...args,
      `file://${file}${hash}`,
    ],
    { maxBuffer: 256 * 1024 * 1024, timeout: 150_000 },
  );
  return stdout;
}

/** Decodes an 8-bit RGB/RGBA PNG (what chromium writes) into pixels, enough to tell a blank page. */
export function decodePng(png: Buffer): { width: number; height: number; pixel: (x: number, y: number) => [number, number, number] } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString('latin1');
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8);
      colorType = data[9]!;
      expect(data[12]).toBe(0); // not interlaced
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  expect(bpp, `PNG colour type ${colorType}`).toBeGreaterThan(0);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[y * stride + i - bpp]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = i >= bpp && y > 0 ? out[(y - 1) * stride + i - bpp]! : 0;
      const pa = Math.abs(b - c);
      const pb = Math.abs(a - c);
      const pc = Math.abs(a + b - 2 * c);
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]!;
      out[y * stride + i] = (line[i]! + predictor) & 0xff;
    }
  }
  return { width, height, pixel: (x, y) => [out[y * stride + x * bpp]!, out[y * stride + x * bpp + 1]!, out[y * stride + x * bpp + 2]!] };
}

/** Share of pixels that are not (near) white, in a band of rows. */
export function inkShare(img: ReturnType<typeof decodePng>, fromY = 0, toY = img.height): number {
  let ink = 0;
  let total = 0;
  for (let y = fromY; y < toY; y += 2) {
    for (let x = 0; x < img.width; x += 2) {
      const [r, g, b] = img.pixel(x, y);
      total++;
      if (r < 200 || g < 200 || b < 200) ink++;
    }
  }
  return ink / total;
}

/** Account rows in a DOM dump: [accountId, hidden]. */
export function rows(dom: string): { id: string; hidden: boolean }[] {
  return [...dom.matchAll(/<tr data-s="[^"]*"[^>]*?( hidden="")?><td>(?:<code>)?(\d{12})/g)].map((m) => ({ id: m[2]!, hidden: m[1] !== undefined }));
}
