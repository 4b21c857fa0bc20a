// The one copy of the Annex K tables, as the encoder writes them and the decoder falls back on.
import { describe, expect, it } from 'vitest';
import {
  ANNEX_K_AC_CHROMINANCE, ANNEX_K_AC_LUMINANCE, ANNEX_K_DC_CHROMINANCE, ANNEX_K_DC_LUMINANCE,
} from '../../src/image/annex-k.js';
import { decodeJpeg, encodeJpeg } from '../../src/image/index.js';
import { createRandom } from '../../src/util/random.js';

/** The file without its DHT segments (Motion-JPEG style): decoders must use Annex K. */
function withoutDht(bytes: Uint8Array): Uint8Array {
  const out: number[] = [0xff, 0xd8];
  let p = 2;
  for (;;) {
    const marker = bytes[p + 1];
    const len = (bytes[p + 2] << 8) | bytes[p + 3];
    if (marker !== 0xc4) out.push(...bytes.subarray(p, p + 2 + len));
    p += 2 + len;
    if (marker === 0xda) break;
  }
  out.push(...bytes.subarray(p));
  return Uint8Array.from(out);
}

describe('Annex K Huffman tables', () => {
  it('have 16 counts and as many distinct symbols as codes', () => {
    const specs = [ANNEX_K_DC_LUMINANCE, ANNEX_K_DC_CHROMINANCE, ANNEX_K_AC_LUMINANCE, ANNEX_K_AC_CHROMINANCE];
    expect(specs.map((s) => s.symbols.length)).toEqual([12, 12, 162, 162]);
    for (const s of specs) {
      expect(s.counts.length).toBe(16);
      expect(s.counts.reduce((a, b) => a + b, 0)).toBe(s.symbols.length);
      expect(new Set(s.symbols).size).toBe(s.symbols.length);
    }
    // every AC run/size pair (run 0..15, size 1..10) plus EOB and ZRL
    const all = new Set<number>([0x00, 0xf0]);
    for (let run = 0; run < 16; run++) for (let size = 1; size <= 10; size++) all.add((run << 4) | size);
    expect(new Set(ANNEX_K_AC_CHROMINANCE.symbols)).toEqual(all);
    expect(new Set(ANNEX_K_AC_LUMINANCE.symbols)).toEqual(all);
  });

  it('the decoder falls back on the same tables the encoder writes (no-DHT files, all four tables)', () => {
    const rand = createRandom(5);
    for (const [w, h] of [[32, 32], [23, 19]]) {
      const data = new Uint8Array(w * h * 3);
      for (let i = 0; i < data.length; i++) data[i] = rand.int(256);
      for (const q of [30, 95]) {
        for (const subsampling of ['4:4:4', '4:2:0'] as const) {
          const bytes = encodeJpeg({ width: w, height: h, channels: 3, data }, q, { subsampling });
          const stripped = withoutDht(bytes);
          expect(stripped.length).toBeLessThan(bytes.length - 400);
          expect(decodeJpeg(stripped).data).toEqual(decodeJpeg(bytes).data);
        }
      }
    }
  });
});
