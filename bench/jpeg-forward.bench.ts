/**
 * The JPEG forward path (forwardJpeg: color conversion, downsampling, DCT, quantization) and the
 * full encoder (encodeJpeg) on 32x32 RGB photo tiles at quality 25, against Pillow's
 * encode+decode round trip measured in the same run (the jpegRoundTrip bar is 2x Pillow).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeJpeg, forwardJpeg, type Image } from '../src/image/index.js';
import { report, runPythonPeer } from './peer.js';

function tiles(): Image[] {
  const dir = fileURLToPath(new URL('../test/fixtures/jpeg/inputs/', import.meta.url));
  const photo = new Uint8Array(readFileSync(dir + 'chelsea-160x120.bin'));
  const out: Image[] = [];
  for (let ty = 0; ty + 32 <= 120; ty += 8) {
    for (let tx = 0; tx + 32 <= 160; tx += 16) {
      const data = new Uint8Array(32 * 32 * 3);
      for (let y = 0; y < 32; y++) data.set(photo.subarray(((ty + y) * 160 + tx) * 3, ((ty + y) * 160 + tx + 32) * 3), y * 96);
      out.push({ width: 32, height: 32, channels: 3, data });
    }
  }
  return out;
}

/** Best of 5 runs: images per second of wall time and of this process's CPU time. */
function perSecond(fn: (im: Image) => unknown, images: Image[], seconds = 1): { wall: number; cpu: number } {
  let wall = 0;
  let cpu = 0;
  for (let rep = 0; rep < 5; rep++) {
    let n = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < (seconds * 1000) / 5) {
      for (const im of images) fn(im);
      n += images.length;
      t = performance.now();
    }
    const c = process.cpuUsage(c0);
    wall = Math.max(wall, n / ((t - t0) / 1000));
    cpu = Math.max(cpu, n / ((c.user + c.system) / 1e6));
  }
  return { wall, cpu };
}

export default async function run(): Promise<void> {
  const images = tiles();
  perSecond((im) => forwardJpeg(im, 25), images, 0.5); // warm up
  const fwd = perSecond((im) => forwardJpeg(im, 25), images, 2);
  const enc = perSecond((im) => encodeJpeg(im, 25), images, 2);
  const pillow = runPythonPeer('pillow_jpeg_speed.py');
  report('forwardJpeg 32x32 RGB q25', fwd.wall, 'tiles/s', pillow, 'Pillow encode+decode');
  report('encodeJpeg 32x32 RGB q25', enc.wall, 'tiles/s', pillow, 'Pillow encode+decode');
  console.log(`per CPU second (less sensitive to a busy machine): forwardJpeg ${fwd.cpu.toFixed(0)}/s, encodeJpeg ${enc.cpu.toFixed(0)}/s`);
}
