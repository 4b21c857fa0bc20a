/** Helpers of the MP3 tests (mp3.test.ts, mp3-roundtrip.test.ts): the fixtures and the SNR. */
import { readFileSync } from 'node:fs';

/** test/fixtures/mp3/ (written by scripts/make-mp3-fixtures.py). */
export const FIXTURES = new URL('../fixtures/mp3/', import.meta.url);

/** A fixture clip stored as raw signed 16-bit little-endian PCM (`NAME.s16`), scaled to [-1, 1). */
export function loadS16(name: string): Float32Array {
  const b = readFileSync(new URL(`${name}.s16`, FIXTURES));
  const pcm = new Int16Array(b.buffer, b.byteOffset, b.length / 2);
  return Float32Array.from(pcm, (v) => v / 32768);
}

/** Signal-to-noise ratio of `y` against the reference `x`, in dB (over `x.length` samples). */
export function snrDb(x: Float32Array, y: Float32Array): number {
  let s = 0;
  let e = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i] * x[i];
    e += (x[i] - y[i]) ** 2;
  }
  return 10 * Math.log10(s / e);
}
