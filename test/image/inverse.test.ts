import { describe, expect, it } from 'vitest';
import { decodeJpeg, decodeJpegCoefficients, encodeJpeg, forwardJpeg, inverseJpeg, type JpegCoefficients } from '../../src/image/index.js';
import { createRandom } from '../../src/util/random.js';
import { loadJpegFixtures } from './jpeg-fixtures.js';

/** One-component coefficients of a w x h image, blocks filled by `fill(blockIndex, coefs)`. */
function grayCoefs(w: number, h: number, q: number, fill: (b: number, block: Int16Array) => void): JpegCoefficients {
  const bw = Math.ceil(w / 8);
  const bh = Math.ceil(h / 8);
  const coefficients = new Int16Array(bw * bh * 64);
  for (let b = 0; b < bw * bh; b++) fill(b, coefficients.subarray(b * 64, b * 64 + 64));
  return { width: w, height: h, components: [{ id: 1, h: 1, v: 1, quantTable: new Uint16Array(64).fill(q), blocksWide: bw, blocksHigh: bh, coefficients }] };
}

/** Floating-point 8x8 inverse DCT (JPEG definition) of dequantized coefficients, + 128. */
function referenceIdct(block: Int16Array, q: number): Float64Array {
  const out = new Float64Array(64);
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      let s = 0;
      for (let v = 0; v < 8; v++) {
        for (let u = 0; u < 8; u++) {
          const cu = u === 0 ? Math.SQRT1_2 : 1;
          const cv = v === 0 ? Math.SQRT1_2 : 1;
          s += cu * cv * block[v * 8 + u] * q * Math.cos(((2 * x + 1) * u * Math.PI) / 16) * Math.cos(((2 * y + 1) * v * Math.PI) / 16);
        }
      }
      out[y * 8 + x] = s / 4 + 128;
    }
  }
  return out;
}

describe('inverseJpeg', () => {
  it('turns a DC-only block into a flat block (DC 0 is mid-gray 128)', () => {
    for (const [dc, expected] of [[0, 128], [10, 138], [-16, 112], [127, 255], [-128, 0]] as const) {
      const im = inverseJpeg(grayCoefs(8, 8, 8, (_, b) => (b[0] = dc)));
      expect(im.channels).toBe(1);
      expect(new Set(im.data)).toEqual(new Set([expected]));
    }
  });

  it('agrees with a floating-point IDCT within 1 level on random blocks', () => {
    const rng = createRandom(7);
    let maxErr = 0;
    const coefs = grayCoefs(64, 64, 2, (_, b) => {
      b[0] = rng.int(200) - 100;
      for (let k = 1; k < 64; k++) if (rng.next() < 0.3) b[k] = rng.int(21) - 10;
    });
    const im = inverseJpeg(coefs);
    const c = coefs.components[0];
    for (let by = 0; by < 8; by++) {
      for (let bx = 0; bx < 8; bx++) {
        const ref = referenceIdct(c.coefficients.subarray((by * 8 + bx) * 64, (by * 8 + bx) * 64 + 64), 2);
        for (let i = 0; i < 64; i++) {
          const v = Math.min(255, Math.max(0, Math.round(ref[i])));
          maxErr = Math.max(maxErr, Math.abs(v - im.data[(by * 8 + (i >> 3)) * 64 + bx * 8 + (i & 7)]));
        }
      }
    }
    expect(maxErr).toBeLessThanOrEqual(1);
  });

  it("equals the decoder's pixels for coefficients read from a file", () => {
    const { images } = loadJpegFixtures();
    const bytes = encodeJpeg(images.get('chelsea-100x75')!, 60, { subsampling: '4:2:2' });
    expect(inverseJpeg(decodeJpegCoefficients(bytes).coefficients).data).toEqual(decodeJpeg(bytes).data);
  });

  it('is deterministic and in range for extreme coefficients (libjpeg range-limit wrap-around)', () => {
    const rng = createRandom(11);
    const coefs = grayCoefs(24, 16, 255, (_, b) => {
      for (let k = 0; k < 64; k++) if (rng.next() < 0.5) b[k] = rng.int(65536) - 32768;
    });
    const a = inverseJpeg(coefs);
    const b = inverseJpeg(coefs);
    expect(a.data).toEqual(b.data);
    expect(a.data.length).toBe(24 * 16);
    // 16-bit quantization tables (stored signed by libjpeg) too.
    coefs.components[0].quantTable.fill(65535);
    expect(inverseJpeg(coefs).data.length).toBe(24 * 16);
  });

  it('supports 4:2:0, 4:2:2 and 4:4:4 coefficient sets from forwardJpeg', () => {
    const { images } = loadJpegFixtures();
    const image = images.get('coffee-33x31')!;
    for (const subsampling of ['4:2:0', '4:2:2', '4:4:4'] as const) {
      const out = inverseJpeg(forwardJpeg(image, 90, { subsampling }));
      expect([out.width, out.height, out.channels]).toEqual([33, 31, 3]);
      let err = 0;
      for (let i = 0; i < out.data.length; i++) err += Math.abs(out.data[i] - image.data[i]);
      expect(err / out.data.length).toBeLessThan(6); // q 90 is close to the input
    }
  });

  it('rejects malformed coefficients, naming the field', () => {
    const good = forwardJpeg({ width: 16, height: 16, channels: 3, data: new Uint8Array(768) }, 50);
    expect(() => inverseJpeg(null as unknown as JpegCoefficients)).toThrow(TypeError);
    expect(() => inverseJpeg({ ...good, width: 0 })).toThrow(/coefs\.width must be an integer in 1\.\.65500, got 0/);
    expect(() => inverseJpeg({ ...good, components: good.components.slice(0, 2) })).toThrow(/1 or 3 components/);
    const comp = good.components[1];
    const withComp = (c: object): JpegCoefficients => ({ ...good, components: [good.components[0], { ...comp, ...c }, good.components[2]] });
    expect(() => inverseJpeg(withComp({ h: 5 }))).toThrow(/components\[1\]\.h \(sampling factor\) must be an integer in 1\.\.4, got 5/);
    expect(() => inverseJpeg(withComp({ quantTable: new Uint16Array(63) }))).toThrow(/quantTable must be a Uint16Array of 64 entries/);
    expect(() => inverseJpeg(withComp({ coefficients: new Int16Array(65) }))).toThrow(/coefficients length must equal blocksWide\*blocksHigh\*64/);
    expect(() => inverseJpeg(withComp({ blocksWide: 0 }))).toThrow(/must have at least 1 x 1 blocks/);
  });

  it('rejects fractional sampling ratios as libjpeg does', () => {
    const base = forwardJpeg({ width: 24, height: 8, channels: 3, data: new Uint8Array(24 * 8 * 3) }, 50, { subsampling: '4:4:4' });
    const comps = base.components.map((c) => ({ ...c }));
    comps[0] = { ...comps[0], h: 3, blocksWide: 3 };
    comps[1] = { ...comps[1], h: 2, blocksWide: 2, coefficients: new Int16Array(2 * 64) };
    comps[2] = { ...comps[2], h: 1, blocksWide: 1, coefficients: new Int16Array(64) };
    expect(() => inverseJpeg({ ...base, components: comps })).toThrow(/fractional/);
  });
});
