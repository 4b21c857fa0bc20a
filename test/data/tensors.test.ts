import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLabels, imagesToTensor, labelsToOneHot, packImages, unpackImages } from '../../src/data/tensors.js';
import type { Image } from '../../src/image/image.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const img = (w: number, h: number, c: 1 | 3, fill: number): Image => ({ width: w, height: h, channels: c, data: new Uint8Array(w * h * c).fill(fill) });

describe('tensors', () => {
  it('packs, unpacks and scales to [0, 1] without leaking', async () => {
    const start = tf.memory().numTensors;
    const batch = packImages([img(2, 3, 3, 0), img(2, 3, 3, 255)]);
    expect(batch).toMatchObject({ count: 2, width: 2, height: 3, channels: 3 });
    expect(unpackImages(batch)[1].data[5]).toBe(255);
    const x = imagesToTensor(batch);
    expect(x.shape).toEqual([2, 3, 2, 3]);
    expect(x.dtype).toBe('float32');
    const values = await x.data();
    expect(values[0]).toBe(0);
    expect(values[values.length - 1]).toBe(1);
    x.dispose();
    const y = labelsToOneHot([0, 2], 3);
    expect(y.arraySync()).toEqual([[1, 0, 0], [0, 0, 1]]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('rejects mixed sizes, empty lists and bad labels', () => {
    expect(() => packImages([img(2, 2, 3, 0), img(3, 2, 3, 0)])).toThrow(/images\[1\] is 3x2x3/);
    expect(() => packImages([img(2, 2, 3, 0), img(2, 2, 1, 0)])).toThrow(/one size/);
    expect(() => packImages([])).toThrow(/empty/);
    expect(() => checkLabels('labels', [0, 1.5], 3)).toThrow(/labels\[1\]/);
    expect(() => checkLabels('labels', [0, 3], 3)).toThrow(/0\.\.2/);
    expect(() => labelsToOneHot([0, -1], 2)).toThrow(/labels\[1\]/);
  });
});
