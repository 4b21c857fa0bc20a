import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mp3RoundTrip } from '../../src/audio/mp3-roundtrip.js';
import { createRandom } from '../../src/util/random.js';
import { FIXTURES, loadS16, snrDb } from './mp3-fixtures.js';

const BITRATES = [8, 16, 32, 64, 96, 128, 160];

interface CliRow {
  snrDb: number;
  streamRate: number;
}
const reference = JSON.parse(readFileSync(new URL('cli-reference.json', FIXTURES), 'utf8')) as {
  sampleRate: number;
  signals: Record<string, Record<string, CliRow>>;
};

/** Lag of `y` behind `x` (in samples, sub-sample by a parabola through the correlation peak). */
function crossCorrelationLag(x: Float32Array, y: Float32Array, maxLag: number): number {
  const c: number[] = [];
  let best = 0;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let s = 0;
    for (let i = Math.max(0, -lag); i < x.length && i + lag < y.length; i++) s += x[i] * y[i + lag];
    c.push(s);
    if (s > c[best]) best = c.length - 1;
  }
  if (best === 0 || best === c.length - 1) return best - maxLag;
  const [a, b, d] = [c[best - 1], c[best], c[best + 1]];
  return best - maxLag + (0.5 * (a - d)) / (a - 2 * b + d);
}

describe('mp3RoundTrip', () => {
  describe.each(Object.keys(reference.signals))('%s: SNR no more than 1 dB below lame -b B + mpg123 (committed CLI figures)', (name) => {
    const x = loadS16(name);
    it.each(BITRATES.map((b) => [b]))('%i kbps', async (b) => {
      const y = await mp3RoundTrip(x, reference.sampleRate, b);
      expect(y.length).toBe(x.length);
      const ours = snrDb(x, y);
      const cli = reference.signals[name][String(b)].snrDb;
      expect(ours).toBeGreaterThanOrEqual(cli - 1);
    });
  });

  it.each(BITRATES.map((b) => [b]))('is aligned with its input within one sample at %i kbps (cross-correlation)', async (b) => {
    for (const name of ['chords', 'speech']) {
      const x = loadS16(name);
      const y = await mp3RoundTrip(x, 44100, b);
      expect(Math.abs(crossCorrelationLag(x, y, 30))).toBeLessThan(1);
    }
  });

  it.each([
    [48000, 64],
    [32000, 32],
    [22050, 32],
    [16000, 8],
    [11025, 16],
  ])('keeps length, rate and alignment for %i Hz input at %i kbps', async (rate, b) => {
    const rng = createRandom(rate);
    const n = Math.round(rate * 0.5);
    const x = new Float32Array(n);
    // A few low partials (inside every stream's bandwidth) with random phases.
    for (const f of [150, 330, 710, 1200]) {
      const phase = rng.uniform(0, 2 * Math.PI);
      for (let i = 0; i < n; i++) x[i] += 0.2 * Math.sin((2 * Math.PI * f * i) / rate + phase);
    }
    const y = await mp3RoundTrip(x, rate, b);
    expect(y.length).toBe(n);
    expect(Math.abs(crossCorrelationLag(x, y, 30))).toBeLessThan(1);
    expect(snrDb(x, y)).toBeGreaterThan(10);
  });

  it('aligns the lamejs codec path as well', async () => {
    const x = loadS16('chords').subarray(0, 22050); // 0.5 s: lamejs is slow
    for (const b of [8, 128]) {
      const y = await mp3RoundTrip(x, 44100, b, { codec: 'lamejs' });
      expect(y.length).toBe(x.length);
      expect(Math.abs(crossCorrelationLag(x, y, 30))).toBeLessThan(1);
    }
  });

  it('handles clips shorter than one frame', async () => {
    const x = new Float32Array(100).fill(0.1);
    const y = await mp3RoundTrip(x, 44100, 128);
    expect(y.length).toBe(100);
    expect(y.every(Number.isFinite)).toBe(true);
  });

  it('rejects bad input with a RangeError naming the value', async () => {
    const x = new Float32Array(1000);
    await expect(mp3RoundTrip(x, 44100, 100)).rejects.toThrow(/bitrateKbps.*got 100/);
    await expect(mp3RoundTrip(x, 0, 128)).rejects.toThrow(/sampleRate.*got 0/);
    await expect(mp3RoundTrip(new Float32Array(0), 44100, 128)).rejects.toThrow(/empty/);
    await expect(mp3RoundTrip(Float32Array.of(Number.NaN), 44100, 128)).rejects.toThrow(/NaN/);
  });
});
