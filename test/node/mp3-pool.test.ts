import { describe, expect, it } from 'vitest';
import { mp3RoundTrip } from '../../src/audio/mp3-roundtrip.js';
import { mp3RoundTripBatchParallel } from '../../src/node/mp3-pool.js';

function clip(seed: number, n = 22050): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = 0.3 * Math.sin((2 * Math.PI * (200 + 50 * seed) * i) / 44100) + 0.1 * Math.sin(i * 0.37 * (seed + 1));
  return x;
}

describe('mp3RoundTripBatchParallel', () => {
  it('matches mp3RoundTrip clip by clip, in input order, on worker threads', async () => {
    const clips = [0, 1, 2, 3, 4].map((s) => clip(s, 11025 + 1000 * s));
    const copies = clips.map((c) => c.slice());
    const parallel = await mp3RoundTripBatchParallel(clips, 44100, 32, { workers: 2 });
    expect(parallel.length).toBe(clips.length);
    for (let i = 0; i < clips.length; i++) {
      const serial = await mp3RoundTrip(clips[i], 44100, 32);
      expect(parallel[i].length).toBe(clips[i].length);
      expect(Array.from(parallel[i])).toEqual(Array.from(serial));
      expect(Array.from(clips[i])).toEqual(Array.from(copies[i])); // inputs untouched
    }
  });

  it('returns [] for no clips and passes the codec option on', async () => {
    expect(await mp3RoundTripBatchParallel([], 44100, 128)).toEqual([]);
    const [a] = await mp3RoundTripBatchParallel([clip(1)], 44100, 128, { workers: 1, codec: 'lamejs' });
    expect(Array.from(a)).toEqual(Array.from(await mp3RoundTrip(clip(1), 44100, 128, { codec: 'lamejs' })));
  });

  it('checks arguments on the calling thread', async () => {
    await expect(mp3RoundTripBatchParallel([clip(0)], 44100, 100)).rejects.toThrow(/bitrateKbps.*got 100/);
    await expect(mp3RoundTripBatchParallel([clip(0), new Float32Array(0)], 44100, 128)).rejects.toThrow(/signals\[1\].*empty/);
    await expect(mp3RoundTripBatchParallel([clip(0)], 44100.5, 128)).rejects.toThrow(RangeError);
    await expect(mp3RoundTripBatchParallel([clip(0)], 44100, 128, { workers: 0 })).rejects.toThrow(/workers.*got 0/);
    await expect(mp3RoundTripBatchParallel('x' as unknown as Float32Array[], 44100, 128)).rejects.toThrow(TypeError);
  });
});
