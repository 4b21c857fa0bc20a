import { describe, expect, it } from 'vitest';
import { jpegRoundTrip, jpegRoundTripBatch, type Image, type ImageBatch } from '../../src/image/index.js';
import { loadJpegFixtures, sha256 } from './jpeg-fixtures.js';

describe('jpegRoundTrip: pixels identical to Pillow save + open', () => {
  const { images, cases } = loadJpegFixtures();

  it(`matches Pillow on all ${cases.length} fixture cases (qualities 1..100, 4:2:0 / 4:2:2 / 4:4:4 / gray, sizes 1x1..160x120)`, () => {
    let identical = 0;
    const failures: string[] = [];
    for (const c of cases) {
      const image = images.get(c.input)!;
      const out = jpegRoundTrip(image, c.quality, c.subsampling === 'gray' ? {} : { subsampling: c.subsampling });
      expect(out.width).toBe(image.width);
      expect(out.height).toBe(image.height);
      expect(out.channels).toBe(image.channels);
      if (sha256(out.data) === c.pixelsSha256) identical++;
      else if (failures.length < 10) failures.push(`${c.input} q${c.quality} ${c.subsampling}`);
    }
    expect(failures).toEqual([]);
    expect(identical).toBe(cases.length);
  });

  it('defaults to 4:2:0 like Pillow', () => {
    const image = images.get('astronaut-32x32')!;
    expect(jpegRoundTrip(image, 50).data).toEqual(jpegRoundTrip(image, 50, { subsampling: '4:2:0' }).data);
  });

  it('does not modify its input', () => {
    const image = images.get('astronaut-32x32')!;
    const copy = image.data.slice();
    jpegRoundTrip(image, 10);
    expect(image.data).toEqual(copy);
  });
});

describe('jpegRoundTripBatch', () => {
  const { images, cases } = loadJpegFixtures();

  function batchOf(list: Image[]): ImageBatch {
    const { width, height, channels } = list[0];
    const size = width * height * channels;
    const data = new Uint8Array(list.length * size);
    list.forEach((im, i) => data.set(im.data, i * size));
    return { count: list.length, width, height, channels, data };
  }

  it('equals jpegRoundTrip image by image (and so Pillow), RGB and gray, every subsampling', () => {
    for (const base of ['astronaut-32x32', 'camera-33x31']) {
      const image = images.get(base)!;
      // Variants of one size: the image, its mirror, its negative, a constant image.
      const mirror = image.data.slice();
      const { width: w, height: h, channels: c } = image;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) mirror[(y * w + x) * c + k] = image.data[(y * w + (w - 1 - x)) * c + k];
      const list: Image[] = [image, { ...image, data: mirror }, { ...image, data: image.data.map((v) => 255 - v) }, { ...image, data: new Uint8Array(image.data.length).fill(77) }];
      const batch = batchOf(list);
      for (const subsampling of c === 3 ? (['4:2:0', '4:2:2', '4:4:4'] as const) : (['4:2:0'] as const)) {
        for (const q of [1, 25, 75, 100]) {
          const out = jpegRoundTripBatch(batch, q, { subsampling });
          expect([out.count, out.width, out.height, out.channels]).toEqual([4, w, h, c]);
          const size = w * h * c;
          list.forEach((im, i) => {
            expect(out.data.subarray(i * size, (i + 1) * size)).toEqual(jpegRoundTrip(im, q, { subsampling }).data);
          });
        }
      }
      // The first image of the batch is the fixture input: check against Pillow's hash.
      const c50 = cases.find((k) => k.input === base && k.quality === 50 && (k.subsampling === '4:2:0' || k.subsampling === 'gray'))!;
      const out = jpegRoundTripBatch(batch, 50);
      expect(sha256(out.data.subarray(0, w * h * c))).toBe(c50.pixelsSha256);
    }
  });

  it('handles an empty batch', () => {
    const out = jpegRoundTripBatch({ count: 0, width: 8, height: 8, channels: 3, data: new Uint8Array(0) }, 50);
    expect(out.count).toBe(0);
    expect(out.data.length).toBe(0);
  });
});

describe('jpegRoundTrip and jpegRoundTripBatch: bad arguments', () => {
  const image: Image = { width: 4, height: 4, channels: 3, data: new Uint8Array(48) };
  const batch: ImageBatch = { count: 2, width: 4, height: 4, channels: 3, data: new Uint8Array(96) };

  it('rejects qualities outside 1..100 with a RangeError naming quality', () => {
    for (const q of [0, 101, 1.5, Number.NaN]) {
      expect(() => jpegRoundTrip(image, q)).toThrow(/quality must be an integer in 1\.\.100/);
      expect(() => jpegRoundTripBatch(batch, q)).toThrow(/quality must be an integer in 1\.\.100/);
    }
  });

  it('rejects malformed images and batches, naming the field', () => {
    expect(() => jpegRoundTrip({ ...image, data: new Uint8Array(47) }, 50)).toThrow(/data length must equal/);
    expect(() => jpegRoundTrip({ ...image, channels: 2 as 3 }, 50)).toThrow(/channels must be 1 or 3/);
    expect(() => jpegRoundTrip({ ...image, width: 0 }, 50)).toThrow(RangeError);
    expect(() => jpegRoundTripBatch({ ...batch, data: new Uint8Array(95) }, 50)).toThrow(/batch\.data length must equal count\*height\*width\*channels/);
    expect(() => jpegRoundTripBatch({ ...batch, count: -1 }, 50)).toThrow(/batch\.count/);
    expect(() => jpegRoundTripBatch({ ...batch, channels: 4 as 3 }, 50)).toThrow(/batch\.channels must be 1 or 3, got 4/);
    expect(() => jpegRoundTripBatch({ ...batch, data: [] as unknown as Uint8Array }, 50)).toThrow(TypeError);
    expect(() => jpegRoundTripBatch(null as unknown as ImageBatch, 50)).toThrow(TypeError);
  });

  it('rejects unknown subsamplings', () => {
    expect(() => jpegRoundTrip(image, 50, { subsampling: '4:1:1' as '4:2:0' })).toThrow(/options\.subsampling must be one of/);
    expect(() => jpegRoundTripBatch(batch, 50, { subsampling: '4:1:1' as '4:2:0' })).toThrow(/options\.subsampling must be one of/);
  });
});
