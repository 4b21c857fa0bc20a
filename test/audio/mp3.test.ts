import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMp3, encodeMp3, lameOutputSampleRate, MP3_BITRATES } from '../../src/audio/mp3.js';
import { createRandom } from '../../src/util/random.js';
import { FIXTURES, loadS16, snrDb } from './mp3-fixtures.js';

function chirp(n: number, rate: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    out[i] = 0.5 * Math.sin(2 * Math.PI * (200 * t + 2000 * t * t));
  }
  return out;
}

/** Reads the bitrate (kbps) of the first Layer III frame header of a stream without tags. */
function firstFrameKbps(bytes: Uint8Array): number {
  const v1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
  const v2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
  expect(bytes[0]).toBe(0xff);
  const mpeg1 = ((bytes[1] >> 3) & 3) === 3;
  return (mpeg1 ? v1 : v2)[bytes[2] >> 4];
}

describe('lameOutputSampleRate', () => {
  it('matches the stream rates Debian lame 3.100 picks for 44.1 kHz mono input', () => {
    // Measured with `lame -b B` on a 44.1 kHz mono WAV and `mpg123 -t`.
    const cli: Record<number, number> = {
      8: 8000, 16: 16000, 24: 16000, 32: 22050, 40: 24000, 48: 32000, 56: 32000, 64: 44100, 80: 44100,
      96: 44100, 112: 44100, 128: 44100, 144: 44100, 160: 44100, 320: 44100,
    };
    for (const [b, rate] of Object.entries(cli)) expect(lameOutputSampleRate(44100, Number(b))).toBe(rate);
  });

  it('agrees with the rate the WebAssembly LAME picks for other input rates', async () => {
    for (const rate of [8000, 11025, 12000, 16000, 22050, 24000, 32000, 48000, 96000]) {
      for (const b of [8, 32, 64, 128, 320]) {
        const { sampleRate } = await decodeMp3(await encodeMp3(chirp(Math.round(rate / 10), rate), rate, b));
        expect([rate, b, sampleRate]).toEqual([rate, b, lameOutputSampleRate(rate, b)]);
      }
    }
  });

  it('never picks a rate above a low input rate', () => {
    expect(lameOutputSampleRate(8000, 320)).toBe(8000);
    expect(lameOutputSampleRate(16000, 128)).toBe(16000);
    expect(lameOutputSampleRate(22050, 32)).toBe(22050);
  });
});

describe('encodeMp3 / decodeMp3', () => {
  const x = chirp(22050, 44100);

  it.each(MP3_BITRATES.map((b) => [b]))('encodes CBR at %i kbps with the stream rate LAME picks', async (b) => {
    const mp3 = await encodeMp3(x, 44100, b);
    const { channelData, sampleRate } = await decodeMp3(mp3);
    expect(sampleRate).toBe(lameOutputSampleRate(44100, b));
    expect(channelData.length).toBe(1);
    // 144 kbps does not exist in MPEG-1: LAME (and the CLI) uses the nearest MPEG-1 rate, 128.
    expect(firstFrameKbps(mp3)).toBe(b === 144 ? 128 : b);
    expect(channelData[0].every(Number.isFinite)).toBe(true);
  });

  it('decodes gaplessly (LAME tag) a 128 kbps file made by the lame CLI', async () => {
    const input = loadS16('chords');
    const { channelData, sampleRate } = await decodeMp3(new Uint8Array(readFileSync(new URL('chords-128k-cli.mp3', FIXTURES))));
    expect(sampleRate).toBe(44100);
    expect(channelData[0].length).toBe(input.length);
    expect(snrDb(input, channelData[0])).toBeGreaterThan(25);
  });

  it('decodes an 8 kbps CLI file (MPEG-2.5, 8 kHz, no tag) with the codec delay kept', async () => {
    const { channelData, sampleRate } = await decodeMp3(new Uint8Array(readFileSync(new URL('chords-8k-cli.mp3', FIXTURES))));
    expect(sampleRate).toBe(8000);
    expect(channelData[0].length).toBe(30 * 576);
  });

  it('encodes with the pure-JS lamejs codec too', async () => {
    for (const b of [8, 128]) {
      const mp3 = await encodeMp3(x, 44100, b, { codec: 'lamejs' });
      const { sampleRate } = await decodeMp3(mp3);
      expect(sampleRate).toBe(lameOutputSampleRate(44100, b));
    }
  });

  it('is deterministic and safe under concurrent calls', async () => {
    const [a, b, c] = await Promise.all([encodeMp3(x, 44100, 64), encodeMp3(x, 44100, 32), encodeMp3(x, 44100, 64)]);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(c))).toBe(0);
    const [da, db] = await Promise.all([decodeMp3(a), decodeMp3(b)]);
    expect(da.sampleRate).toBe(44100);
    expect(db.sampleRate).toBe(22050);
    const again = await decodeMp3(a);
    expect(Array.from(again.channelData[0])).toEqual(Array.from(da.channelData[0]));
  });

  it('rejects invalid bitrates with a RangeError listing the valid ones', async () => {
    for (const bad of [0, 7, 100, 129, 384, -128, 128.5, Number.NaN]) {
      await expect(encodeMp3(x, 44100, bad)).rejects.toThrow(RangeError);
    }
    await expect(encodeMp3(x, 44100, 100)).rejects.toThrow(/8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256, 320.*got 100/);
    await expect(encodeMp3(x, 44100, '128' as unknown as number)).rejects.toThrow(/got "128"/);
  });

  it('rejects bad signals and sample rates with a RangeError naming the value', async () => {
    await expect(encodeMp3(new Float32Array(0), 44100, 128)).rejects.toThrow(/empty/);
    await expect(encodeMp3(Float32Array.of(0, Number.POSITIVE_INFINITY), 44100, 128)).rejects.toThrow(/Infinity at index 1/);
    await expect(encodeMp3(Float32Array.of(0, Number.NaN), 44100, 128)).rejects.toThrow(RangeError);
    for (const rate of [0, -44100, 44100.5, Number.NaN]) {
      await expect(encodeMp3(x, rate, 128)).rejects.toThrow(RangeError);
      await expect(encodeMp3(x, rate, 128)).rejects.toThrow(new RegExp(`sampleRate.*got ${rate}`));
    }
    await expect(encodeMp3(x, 44100, 128, { codec: 'ffmpeg' as 'lamejs' })).rejects.toThrow(/codec/);
    await expect(encodeMp3([0, 1] as unknown as Float32Array, 44100, 128)).rejects.toThrow(TypeError);
  });

  describe('corrupt input raises an Error, never hangs', () => {
    it('random bytes', async () => {
      const rng = createRandom(7);
      for (const size of [0, 1, 4, 417, 5000, 100_000]) {
        const bytes = new Uint8Array(size);
        for (let i = 0; i < size; i++) bytes[i] = rng.int(256);
        await expect(decodeMp3(bytes)).rejects.toThrow(Error);
      }
    });

    it('truncated streams', async () => {
      const mp3 = await encodeMp3(x, 44100, 128);
      for (const cut of [3, 100, 1000, mp3.length - 1]) {
        await expect(decodeMp3(mp3.subarray(0, cut))).rejects.toThrow(/truncated|no MPEG/);
      }
    });

    it('bit-flipped streams decode to finite audio or raise an Error', async () => {
      const mp3 = await encodeMp3(x, 44100, 64);
      const rng = createRandom(11);
      let errors = 0;
      for (let trial = 0; trial < 20; trial++) {
        const bad = mp3.slice();
        for (let k = 0; k < 1 + trial * 5; k++) bad[rng.int(bad.length)] ^= 1 << rng.int(8);
        try {
          const { channelData } = await decodeMp3(bad);
          for (const v of channelData[0]) if (!Number.isFinite(v)) throw new Error('non-finite sample');
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).message).not.toBe('non-finite sample');
          errors++;
        }
      }
      // Layer III has no checksum by default: flips in the audio data give wrong audio, flips in
      // headers give errors; either way the decoder returns promptly.
      expect(errors).toBeGreaterThan(0);
    });

    it('a stream whose sync is lost in the middle', async () => {
      const mp3 = await encodeMp3(x, 44100, 128);
      const bad = mp3.slice();
      let offset = 0; // walk five 128 kbps 44.1 kHz frames (417 bytes, 418 with the padding bit)
      for (let k = 0; k < 5; k++) offset += 417 + ((mp3[offset + 2] >> 1) & 1);
      expect(mp3[offset]).toBe(0xff);
      bad[offset] = 0; // the sync byte of the sixth frame header
      await expect(decodeMp3(bad)).rejects.toThrow(/sync lost/);
    });

    it('non-Uint8Array input is a TypeError', async () => {
      await expect(decodeMp3([1, 2, 3] as unknown as Uint8Array)).rejects.toThrow(TypeError);
    });
  });
});
