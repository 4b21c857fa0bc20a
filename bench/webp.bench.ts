/**
 * WebP round trip (webpRoundTrip: libwebp 1.1.0 in WebAssembly, encode + decode) on 300 smooth
 * random 32x32 RGB tiles at quality 50, against Pillow's WebP save+open (native libwebp 1.2.4,
 * Debian's python3-pil) on the same tiles, measured in the same run: 3 rounds alternating ours and
 * Pillow, best of each side reported. No bar: the point is the cost of WebAssembly against native.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { webpRoundTrip, type Image } from '../src/index.js';
import { createRandom } from '../src/util/random.js';
import { report, runPeer, type PeerResult } from './peer.js';

const SIDE = 32;
const QUALITY = 50;
const COUNT = 300;

/** Pillow's round trip over the tiles in a raw file: best of 5 passes, round trips/s. */
const PILLOW_PEER = `
import io, sys, time
from PIL import Image, features
assert features.check('webp')
side, count, q = 32, 300, int(sys.argv[2])
raw = open(sys.argv[1], 'rb').read()
tiles = [Image.frombytes('RGB', (side, side), raw[i * side * side * 3:(i + 1) * side * side * 3]) for i in range(count)]
best = 0
for _ in range(5):
    t = time.perf_counter()
    for im in tiles:
        buf = io.BytesIO()
        im.save(buf, format='WEBP', quality=q, method=4)
        buf.seek(0)
        Image.open(buf).load()
    best = max(best, count / (time.perf_counter() - t))
print(best)
`;

/** Smooth tiles: 4x4 random colours, bilinear to 32x32, plus a little noise. */
function tiles(count: number, seed: number): Image[] {
  const rng = createRandom(seed);
  return Array.from({ length: count }, () => {
    const base = Uint8Array.from({ length: 4 * 4 * 3 }, () => rng.int(256));
    const data = new Uint8Array(SIDE * SIDE * 3);
    for (let y = 0; y < SIDE; y++) {
      for (let x = 0; x < SIDE; x++) {
        const fx = Math.min(2.999, (x / (SIDE - 1)) * 3);
        const fy = Math.min(2.999, (y / (SIDE - 1)) * 3);
        const x0 = Math.floor(fx);
        const y0 = Math.floor(fy);
        for (let c = 0; c < 3; c++) {
          const at = (yy: number, xx: number) => base[(yy * 4 + xx) * 3 + c];
          const top = at(y0, x0) * (1 - (fx - x0)) + at(y0, x0 + 1) * (fx - x0);
          const bottom = at(y0 + 1, x0) * (1 - (fx - x0)) + at(y0 + 1, x0 + 1) * (fx - x0);
          const v = top * (1 - (fy - y0)) + bottom * (fy - y0) + rng.int(9) - 4;
          data[(y * SIDE + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
    return { width: SIDE, height: SIDE, channels: 3 as const, data };
  });
}

export default async function bench(): Promise<void> {
  const set = tiles(COUNT, 0);
  const dir = mkdtempSync(path.join(tmpdir(), 'helmholtz-webp-'));
  const file = path.join(dir, 'tiles.rgb');
  writeFileSync(file, Buffer.concat(set.map((t) => Buffer.from(t.data))));
  try {
    for (const t of set.slice(0, 50)) await webpRoundTrip(t, QUALITY);
    let ours = 0;
    let pillow: PeerResult = { value: null, reason: 'not run' };
    const lines: string[] = [];
    for (let round = 0; round < 3; round++) {
      const t0 = performance.now();
      for (const t of set) await webpRoundTrip(t, QUALITY);
      const rate = COUNT / ((performance.now() - t0) / 1000);
      ours = Math.max(ours, rate);
      const p = runPeer('/usr/bin/python3', ['-c', PILLOW_PEER, file, String(QUALITY)]);
      if (p.value !== null && (pillow.value === null || p.value > pillow.value)) pillow = p;
      else if (pillow.value === null) pillow = p;
      lines.push(`ours ${rate.toFixed(0)}/s, Pillow ${p.value === null ? p.reason : `${p.value.toFixed(0)}/s`}`);
    }
    report(`webpRoundTrip ${SIDE}x${SIDE} q${QUALITY} (per image)`, ours, 'round trips/s', pillow, 'Pillow WebP save+open');
    lines.forEach((line, i) => console.log(`  round ${i + 1}: ${line}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
