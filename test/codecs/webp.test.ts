import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { webpCodec, DEFAULT_WEBP_LEVELS } from '../../src/codecs/webp.js';
import { codecNames, getCodec } from '../../src/codecs/registry.js';
import { syntheticSensorImages } from '../../src/data/synthetic-images.js';
import { syntheticGuitarEffects } from '../../src/data/synthetic-audio.js';
import { estimateNoise } from '../../src/noise/estimate.js';
import { prepareSweep } from '../../src/noise/prepare.js';
import type { ImageBatch } from '../../src/image/image.js';
import { webpBatchBitsPerPixel, webpRoundTripBatch } from '../../src/webp/index.js';

const batchOf = (count: number, side: number, channels: 1 | 3, seed: number): ImageBatch => {
  const data = new Uint8Array(count * side * side * channels);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = (i * 7 + (s >>> 24)) & 255;
  }
  return { count, width: side, height: side, channels, data };
};

describe('the WebP codec', () => {
  it('is registered for images, levels 0..100, Q = (100 - q) / 100, the paper grid by default', () => {
    expect(getCodec('webp')).toBe(webpCodec);
    expect(codecNames('image')).toEqual(['jpeg', 'webp']);
    expect(codecNames('audio')).toEqual(['mp3']);
    expect(webpCodec.modality).toBe('image');
    expect(webpCodec.validLevels({})).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect(webpCodec.defaultLevels({})).toEqual([1, 5, 10, 15, 20, 25, 50, 75, 100]);
    expect(DEFAULT_WEBP_LEVELS).toEqual(webpCodec.defaultLevels({ channels: 1 }));
    expect([0, 20, 100].map((q) => webpCodec.toQ(q, [0, 20, 100]))).toEqual([1, 0.8, 0]);
    expect(webpCodec.sourceBits({ channels: 3 }, [])).toBe(16);
    expect(webpCodec.sourceBits({ channels: 1 }, [])).toBe(8);
  });

  it('round-trips a batch as webpRoundTripBatch does and measures the VP8 frame bits', async () => {
    for (const channels of [1, 3] as const) {
      const batch = batchOf(3, 12, channels, channels);
      const seen = await webpCodec.roundTrip(batch, 30);
      expect(seen).toEqual(await webpRoundTripBatch(batch, 30));
      const bits = await webpCodec.measureBits(batch, 30, { channels, sourceBits: 16 });
      expect(bits).toEqual({ unit: 'bits/pixel', measured: (await webpBatchBitsPerPixel(batch, 30)).frame });
      expect(bits.measured).toBeGreaterThan(0);
    }
    const empty = await webpCodec.roundTrip({ count: 0, width: 8, height: 8, channels: 1, data: new Uint8Array(0) }, 50);
    expect(empty.count).toBe(0);
  });

  it('stops between images when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop here'));
    await expect(webpCodec.roundTrip(batchOf(2, 8, 1, 1), 50, { signal: controller.signal })).rejects.toThrow('stop here');
  });
});

const images = {
  train: syntheticSensorImages({ count: 36, size: 8, classes: 3, noise: 4, seed: 1 }),
  test: syntheticSensorImages({ count: 18, size: 8, classes: 3, noise: 4, seed: 2 }),
};

describe("estimateNoise({ codec: 'webp' }) in the core", () => {
  it('sweeps WebP qualities, names them "WebP quality", records the codec and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const estimate = await estimateNoise({ data: images, codec: 'webp', levels: [0, 50, 100], modelOptions: { widthMultiplier: 0.125 }, epochs: 1, batchSize: 12, repeats: 1, seed: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(estimate.codec).toBe('webp');
    expect(estimate.levels.map((l) => [l.level, l.Q])).toEqual([[100, 0], [50, 0.5], [0, 1]]);
    for (const l of estimate.levels) {
      expect(l.bits.unit).toBe('bits/pixel');
      expect(l.bits.paper).toBeUndefined();
      expect(l.bits.measured).toBeGreaterThan(0);
    }
    // Stronger compression, fewer bits.
    const measured = estimate.levels.map((l) => l.bits.measured);
    expect(measured[0]).toBeGreaterThan(measured[2]);
    expect(estimate.recommendation.reason).toMatch(/WebP quality/);
    expect(estimate.recommendation.reason).not.toMatch(/JPEG/);
  });

  it('refuses a WebP level outside 0..100, naming levels, the value and the range', () => {
    expect(() => prepareSweep({ data: images, codec: 'webp', levels: [0, 50, 101] })).toThrow(/levels\[2\].*0\.\.100.*101.*WebP quality/);
    expect(() => prepareSweep({ data: images, codec: 'webp', levels: [-1, 50, 100] })).toThrow(/levels\[0\].*0\.\.100/);
    expect(() => prepareSweep({ data: images, codec: 'webp', levels: [1.5, 50, 100] })).toThrow(/levels\[0\]/);
  });

  it('refuses an audio codec on images and an image codec on audio, naming codec and modality', () => {
    expect(() => prepareSweep({ data: images, codec: 'mp3' })).toThrow(/codec "mp3" compresses audio, but modality is "image"/);
    const clips = syntheticGuitarEffects({ count: 6, seed: 1, duration: 0.25, sampleRate: 16000, effects: ['NoFX', 'Distortion', 'Tremolo'] });
    expect(() => prepareSweep({ modality: 'audio', data: { train: clips, test: clips }, codec: 'webp' })).toThrow(/codec "webp" compresses image, but modality is "audio"/);
    expect(() => prepareSweep({ data: images, codec: 'avif' })).toThrow(/codec must be one of "jpeg", "mp3", "webp", got "avif"/);
  });
});
