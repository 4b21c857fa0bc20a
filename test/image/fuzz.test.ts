// decodeJpeg on damaged files: hundreds of seeded truncations, bit flips, byte overwrites,
// marker injections and splices of real files. Each must give either a consistent image or an
// Error with a message, fast: never a hang, a crash, a RangeError from a typed array, or an
// image whose data disagrees with its size.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeJpeg, encodeJpeg, type Image } from '../../src/image/index.js';
import { createRandom, type Random } from '../../src/util/random.js';
import { loadJpegFixtures } from './jpeg-fixtures.js';

const DIR = fileURLToPath(new URL('../fixtures/jpeg-decode/', import.meta.url));

function seeds(): { name: string; bytes: Uint8Array }[] {
  const { images } = loadJpegFixtures();
  const out: { name: string; bytes: Uint8Array }[] = [];
  out.push({ name: 'pillow astronaut q75 4:2:0', bytes: encodeJpeg(images.get('astronaut-32x32')!, 75) });
  out.push({ name: 'pillow chelsea q30 4:2:2', bytes: encodeJpeg(images.get('chelsea-100x75')!, 30, { subsampling: '4:2:2' }) });
  out.push({ name: 'pillow camera q90 gray', bytes: encodeJpeg(images.get('camera-33x31')!, 90) });
  for (const f of ['photo-64x48-restart-1mcu', 'photo-37x23-s-mixed', 'photo-37x23-multiscan', 'photo-64x48-optimized', 'photo-9x40-q1-16bit-tables', 'photo-64x48-progressive']) {
    out.push({ name: f, bytes: new Uint8Array(readFileSync(`${DIR}${f}.jpg`)) });
  }
  return out;
}

type Mutation = (b: Uint8Array, r: Random) => Uint8Array;

const mutations: [string, Mutation][] = [
  ['truncate', (b, r) => b.slice(0, r.int(b.length))],
  ['flip 1 bit', (b, r) => flip(b, r, 1)],
  ['flip 8 bits', (b, r) => flip(b, r, 8)],
  ['flip a header bit', (b, r) => {
    const c = b.slice();
    const i = r.int(Math.min(c.length, 700));
    c[i] ^= 1 << r.int(8);
    return c;
  }],
  ['overwrite bytes', (b, r) => {
    const c = b.slice();
    const n = 1 + r.int(16);
    const at = r.int(c.length);
    for (let i = at; i < Math.min(c.length, at + n); i++) c[i] = r.int(256);
    return c;
  }],
  ['inject marker', (b, r) => {
    const c = b.slice();
    const at = 2 + r.int(c.length - 3);
    const markers = [0xd8, 0xd9, 0xda, 0xc4, 0xdb, 0xdd, 0xd0 + r.int(8), 0xc0, 0xc2, 0xff, 0x00, r.int(256)];
    c[at] = 0xff;
    c[at + 1] = markers[r.int(markers.length)];
    return c;
  }],
  ['truncate and append EOI', (b, r) => {
    const n = r.int(b.length);
    const c = new Uint8Array(n + 2);
    c.set(b.subarray(0, n));
    c[n] = 0xff;
    c[n + 1] = 0xd9;
    return c;
  }],
  ['random bytes after SOI', (b, r) => {
    const c = new Uint8Array(2 + r.int(300));
    c[0] = 0xff;
    c[1] = 0xd8;
    for (let i = 2; i < c.length; i++) c[i] = r.int(256);
    return c;
  }],
  ['huge or zero dimensions', (b, r) => {
    const c = b.slice();
    for (let i = 2; i < c.length - 9; i++) {
      if (c[i] === 0xff && (c[i + 1] === 0xc0 || c[i + 1] === 0xc1 || c[i + 1] === 0xc2)) {
        const v = [0, 1, 65500, 65535, r.int(65536)][r.int(5)];
        const at = i + 5 + 2 * r.int(2);
        c[at] = v >> 8;
        c[at + 1] = v & 255;
        break;
      }
    }
    return c;
  }],
  ['splice two halves', (b, r) => {
    const cut = r.int(b.length);
    const c = new Uint8Array(b.length - cut + cut);
    c.set(b.subarray(cut));
    c.set(b.subarray(0, cut), b.length - cut);
    return c;
  }],
];

function flip(b: Uint8Array, r: Random, bits: number): Uint8Array {
  const c = b.slice();
  for (let k = 0; k < bits; k++) c[r.int(c.length)] ^= 1 << r.int(8);
  return c;
}

function consistent(im: Image): boolean {
  return (
    Number.isInteger(im.width) && im.width >= 1 && im.width <= 65500 &&
    Number.isInteger(im.height) && im.height >= 1 && im.height <= 65500 &&
    (im.channels === 1 || im.channels === 3) &&
    im.data instanceof Uint8Array && im.data.length === im.width * im.height * im.channels
  );
}

describe('decodeJpeg fuzz (seeded)', () => {
  it('gives a consistent image or an Error for every damaged file, quickly', () => {
    const rng = createRandom(20261122);
    const files = seeds();
    let images = 0;
    let errors = 0;
    let slowest = 0;
    const bad: string[] = [];
    const t0 = performance.now();
    const perMutation = 12;
    for (const file of files) {
      for (const [name, mutate] of mutations) {
        for (let k = 0; k < perMutation; k++) {
          const bytes = mutate(file.bytes, rng);
          for (const strict of [false, true]) {
            const t = performance.now();
            try {
              const im = decodeJpeg(bytes, { strict });
              if (consistent(im)) images++;
              else bad.push(`${file.name} / ${name} #${k}: inconsistent image ${im.width}x${im.height}x${im.channels}, ${im.data.length} bytes`);
            } catch (e) {
              const ok = e instanceof Error && e.constructor === Error && e.message.length > 0;
              if (ok) errors++;
              else bad.push(`${file.name} / ${name} #${k}: threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
            }
            slowest = Math.max(slowest, performance.now() - t);
          }
        }
      }
    }
    const total = files.length * mutations.length * perMutation * 2;
    const seconds = (performance.now() - t0) / 1000;
    console.log(`fuzz: ${total} decodes, ${images} images, ${errors} errors, slowest ${slowest.toFixed(1)} ms, ${seconds.toFixed(2)} s`);
    expect(bad).toEqual([]);
    expect(images + errors).toBe(total);
    expect(total).toBeGreaterThanOrEqual(1500);
    expect(images).toBeGreaterThan(100);
    expect(errors).toBeGreaterThan(100);
    expect(slowest).toBeLessThan(1000);
  });
});
