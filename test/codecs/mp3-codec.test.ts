import { describe, expect, it } from 'vitest';
import { checkMeasuredBitrate, mp3BitratesAt, mp3Codec } from '../../src/codecs/mp3.js';

const tone = (rate: number, seconds: number): Float32Array =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.3 * Math.sin(i * 0.05) + 0.05 * Math.sin(i * 1.3));

describe('mp3 levels the encoder honours', () => {
  it('lists per sample rate only the bitrates LAME writes (MPEG-1, MPEG-2, MPEG-2.5 up to 64 kbps)', () => {
    expect(mp3BitratesAt(22050)).toEqual([8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]);
    expect(mp3BitratesAt(8000)).toEqual([8, 16, 24, 32, 40, 48, 56, 64]);
    expect(mp3BitratesAt(11025)).not.toContain(80);
    expect(mp3BitratesAt(44100)).toContain(320);
    expect(mp3BitratesAt(32000)).not.toContain(144);
  });

  it('every listed bitrate measures within the stated tolerance, on short and long clips', async () => {
    for (const rate of [8000, 22050, 44100]) {
      for (const seconds of [0.1, 1]) {
        for (const level of mp3BitratesAt(rate).filter((_, i) => i % 3 === 0)) {
          const bits = await mp3Codec.measureBits({ signals: [tone(rate, seconds)], sampleRate: rate }, level, { sampleRate: rate });
          expect(bits.measured).toBeGreaterThanOrEqual(0.97 * level * 1000);
        }
      }
    }
  });

  it('a measured bitrate that contradicts the nominal one is an error naming both', async () => {
    // The case: 320 kbps asked at 22.05 kHz, LAME writes MPEG-2 at 160 (171 kbit/s).
    await expect(mp3Codec.measureBits({ signals: [tone(22050, 1)], sampleRate: 22050 }, 320, { sampleRate: 22050 })).rejects.toThrow(
      /mp3 level 320 kbps at 22050 Hz measured 1\d\d\.\d kbit\/s .*did not honour .*valid at 22050 Hz: 8, .*, 160\)/,
    );
    await expect(mp3Codec.measureBits({ signals: [tone(8000, 1)], sampleRate: 8000 }, 128, { sampleRate: 8000 })).rejects.toThrow(/128 kbps at 8000 Hz/);
    expect(() => checkMeasuredBitrate(32, 44100, 1, 128_000)).toThrow(/outside 31\.0\.\.\d+\.\d kbit\/s/);
    expect(checkMeasuredBitrate(128, 44100, 1, 133_000)).toBe(133_000);
  });
});
