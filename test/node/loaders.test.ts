import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { loadCifar10, parseCifar10Batch } from '../../src/node/loaders/cifar10.js';
import { loadIdx, loadIdxDataset, parseIdx } from '../../src/node/loaders/idx.js';
import { loadImageFolder, loadImageFolderDataset, resizeImage } from '../../src/node/loaders/image-folder.js';
import { splitTrainTest, subsetImages } from '../../src/node/loaders/dataset.js';
import { assertImage, type Image } from '../../src/image/image.js';
import { decodeJpeg } from '../../src/image/decode.js';
import { PNG } from 'pngjs';
import { decodeImageFile } from '../../src/node/loaders/image-folder.js';
import { crc32 } from '../../src/node/loaders/png.js';

const FIX = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'node');
const fx = (...p: string[]) => path.join(FIX, ...p);

describe('loadCifar10', () => {
  it('reads the five training batches and the test batch, CHW planes to interleaved RGB', async () => {
    const data = await loadCifar10(fx('cifar10'));
    expect(data.train.images).toHaveLength(10);
    expect(data.test.images).toHaveLength(3);
    expect(data.classNames).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    // Batch b, record r: label (r + b) % 10, channel k pixel (y, x) = (7r + 3k + 32y + x + 11b) % 256.
    expect(data.train.labels).toEqual([1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    expect(data.test.labels).toEqual([0, 1, 2]);
    const check = (im: Image, r: number, b: number) => {
      assertImage(im);
      expect([im.width, im.height, im.channels]).toEqual([32, 32, 3]);
      for (const [y, x] of [[0, 0], [5, 17], [31, 31]]) {
        for (let k = 0; k < 3; k++) {
          expect(im.data[(y * 32 + x) * 3 + k]).toBe((7 * r + 3 * k + 32 * y + x + 11 * b) % 256);
        }
      }
    };
    check(data.train.images[3], 1, 2);
    check(data.test.images[2], 2, 0);
  });

  it('reads a chosen subset of training batches', async () => {
    const data = await loadCifar10(fx('cifar10'), { trainBatches: [5] });
    expect(data.train.labels).toEqual([5, 6]);
  });

  it('names the file, the byte offset and the expectation for a truncated record', async () => {
    await expect(loadCifar10(fx('cifar10-truncated'))).rejects.toThrow(
      /data_batch_2\.bin: truncated record 1 at byte offset 3073: expected 3073 bytes .*got 2973/,
    );
  });

  it('rejects a label byte above 9 with its offset', async () => {
    await expect(loadCifar10(fx('cifar10-badlabel'))).rejects.toThrow(/test_batch\.bin: record 1 at byte offset 3073: label byte 12, expected a class index 0\.\.9/);
  });

  it('names a missing batch file', async () => {
    await expect(loadCifar10(fx('cifar10-missing'))).rejects.toThrow(/test_batch\.bin: cannot read \(ENOENT\)/);
    await expect(loadCifar10(fx('nowhere'))).rejects.toThrow(/data_batch_1\.bin: cannot read/);
  });

  it('rejects bad arguments', async () => {
    await expect(loadCifar10(fx('cifar10'), { trainBatches: [0] })).rejects.toThrow(RangeError);
    expect(() => parseCifar10Batch('x.bin', new Uint8Array(0))).toThrow(/x\.bin: empty file at byte offset 0/);
  });
});

describe('loadIdx', () => {
  const pixel = (i: number, p: number) => ((i * 12 + p) * 5) % 256;

  it('reads gzip-compressed and raw files', async () => {
    const train = await loadIdx(fx('idx', 'train-images-idx3-ubyte.gz'), fx('idx', 'train-labels-idx1-ubyte.gz'));
    expect(train.images).toHaveLength(6);
    expect(train.labels).toEqual([0, 1, 2, 0, 1, 2]);
    const im = train.images[4];
    assertImage(im);
    expect([im.width, im.height, im.channels]).toEqual([3, 4, 1]);
    expect(Array.from(im.data)).toEqual(Array.from({ length: 12 }, (_, p) => pixel(4, p)));
    const test = await loadIdx(fx('idx', 't10k-images-idx3-ubyte'), fx('idx', 't10k-labels-idx1-ubyte'));
    expect(test.labels).toEqual([0, 1, 2]);
    expect(test.images[2].data[11]).toBe(pixel(2, 11));
  });

  it('finds the MNIST file set in a folder', async () => {
    const data = await loadIdxDataset(fx('idx'));
    expect(data.train.images).toHaveLength(6);
    expect(data.test.images).toHaveLength(3);
    await expect(loadIdxDataset(fx('idx-bad'))).rejects.toThrow(/no train-images-idx3-ubyte/);
  });

  it('names the file, the offset and the expectation for malformed files', async () => {
    const labels = fx('idx', 't10k-labels-idx1-ubyte');
    await expect(loadIdx(fx('idx-bad', 'bad-magic-idx3-ubyte'), labels)).rejects.toThrow(/bad-magic-idx3-ubyte: byte offset 0: bytes 0x01 0x02, expected 0x00 0x00/);
    await expect(loadIdx(fx('idx-bad', 'bad-type-idx3-ubyte'), labels)).rejects.toThrow(/bad-type-idx3-ubyte: byte offset 2: type code 0x0d, expected 0x08 \(unsigned byte\)/);
    await expect(loadIdx(fx('idx-bad', 'truncated-idx3-ubyte.gz'), labels)).rejects.toThrow(
      /truncated-idx3-ubyte\.gz: file ends at byte offset 35: expected 2 x 4 x 3 = 24 data bytes after the 16-byte header, got 19/,
    );
    await expect(loadIdx(fx('idx-bad', 'extra-idx3-ubyte'), labels)).rejects.toThrow(/extra-idx3-ubyte: 2 extra bytes from byte offset 40/);
    await expect(loadIdx(fx('idx-bad', 'short-header-idx3-ubyte'), labels)).rejects.toThrow(/short-header-idx3-ubyte: byte offset 9: file ends inside the header, expected 16 header bytes/);
    await expect(loadIdx(fx('idx-bad', 'corrupt-idx3-ubyte.gz'), labels)).rejects.toThrow(/corrupt-idx3-ubyte\.gz: corrupt gzip stream/);
    await expect(loadIdx(fx('idx', 't10k-images-idx3-ubyte'), fx('idx-bad', 'labels5-idx1-ubyte'))).rejects.toThrow(
      /labels5-idx1-ubyte: byte offset 4: 5 labels, expected 3, the number of images in .*t10k-images-idx3-ubyte/,
    );
    await expect(loadIdx(labels, labels)).rejects.toThrow(/t10k-labels-idx1-ubyte: byte offset 3: 1 dimensions, expected 3/);
    await expect(loadIdx(fx('idx', 'nope'), labels)).rejects.toThrow(/nope: cannot read \(ENOENT\)/);
  });

  it('parses an in-memory IDX array', () => {
    expect(parseIdx('mem', new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 3]))).toEqual({ shape: [2], data: new Uint8Array([7, 3]) });
    expect(() => parseIdx('mem', new Uint8Array([0, 0]))).toThrow(/mem: byte offset 0: file of 2 bytes/);
  });
});

describe('loadImageFolder', () => {
  const expected = (n: number, x: number, y: number) => [(x * 30 + n) % 256, (y * 40 + 7 + n) % 256, ((x + y) * 10 + 14 + n) % 256];

  it('reads one class per subfolder, PNG exactly and JPEG closely, skipping other files', async () => {
    const set = await loadImageFolder(fx('folder'));
    expect(set.classNames).toEqual(['circle', 'square', 'triangle']);
    expect(set.labels).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(set.files.map((f) => path.basename(f))).toEqual(['0.png', '1.png', '2.jpg', '0.png', '1.png', '2.jpg', '0.png', '1.png', '2.jpg']);
    for (const im of set.images) {
      assertImage(im);
      expect([im.width, im.height, im.channels]).toEqual([8, 6, 3]);
    }
    const png = set.images[4]; // file n = 4
    for (const [x, y] of [[0, 0], [7, 5], [3, 2]]) expect(Array.from(png.data.subarray((y * 8 + x) * 3, (y * 8 + x) * 3 + 3))).toEqual(expected(4, x, y));
    const jpg = set.images[5]; // quality 95 JPEG of file n = 5: close, with 4:2:0 chroma
    let err = 0;
    for (let y = 0; y < 6; y++) for (let x = 0; x < 8; x++) for (let k = 0; k < 3; k++) err += Math.abs(jpg.data[(y * 8 + x) * 3 + k] - expected(5, x, y)[k]);
    expect(err / 144).toBeCloseTo(4.083, 2); // Pillow decodes this file with the same mean error
  });

  it('accepts an injected JPEG decoder', async () => {
    let calls = 0;
    const set = await loadImageFolder(fx('folder'), {
      decodeJpeg: () => {
        calls++;
        return { width: 8, height: 6, channels: 3, data: new Uint8Array(144).fill(9) };
      },
    });
    expect(calls).toBe(3);
    expect(set.images[2].data[0]).toBe(9);
  });

  it('returns gray images as one channel, or as RGB when asked', async () => {
    const gray = await loadImageFolder(fx('folder-gray'));
    expect(gray.images.every((im) => im.channels === 1)).toBe(true);
    expect(gray.images[1].data[7]).toBe((7 * 30 + 1) % 256);
    const rgb = await loadImageFolder(fx('folder-gray'), { channels: 3 });
    expect(rgb.images[0].channels).toBe(3);
    const toGray = await loadImageFolder(fx('folder'), { channels: 1 });
    expect(toGray.images[0].channels).toBe(1);
  });

  it('refuses mixed sizes by default, naming the file and both sizes, and resizes on request', async () => {
    await expect(loadImageFolder(fx('folder-mixed'))).rejects.toThrow(/folder-mixed\/b\/1\.png: image is 20x12, expected 8x6/);
    const fill = await loadImageFolder(fx('folder-mixed'), { fit: 'fill' });
    expect(fill.images.map((im) => [im.width, im.height])).toEqual([[8, 6], [8, 6], [8, 6]]);
    const cover = await loadImageFolder(fx('folder-mixed'), { fit: 'cover', size: { width: 4, height: 4 } });
    expect(cover.images.map((im) => [im.width, im.height])).toEqual([[4, 4], [4, 4], [4, 4]]);
    // 20x12 red 200, green 100 on columns 5..14: cover to 4x4 crops columns 4..15: green visible across.
    const big = cover.images[2];
    expect(big.data[0]).toBe(200);
    expect(big.data[(1 * 4 + 1) * 3 + 1]).toBe(100);
  });

  it('names corrupt and unrecognised files', async () => {
    await expect(loadImageFolder(fx('folder-corrupt'))).rejects.toThrow(/folder-corrupt\/b\/cut\.jpg: corrupt JPEG \(truncated JPEG: the DHT marker segment at byte 210/);
    await expect(loadImageFolder(fx('folder-cutscan'))).rejects.toThrow(/folder-cutscan\/a\/cut-scan\.jpg: corrupt JPEG \(truncated JPEG: the entropy-coded data ends at byte 988/);
    await expect(loadImageFolder(fx('folder-cutscan'), { decodeJpeg: (b) => decodeJpeg(b, { strict: true }) })).rejects.toThrow(/cut-scan\.jpg: corrupt JPEG/);
    await expect(loadImageFolder(fx('folder-notimage'))).rejects.toThrow(
      /fake\.jpg: byte offset 0: starts with 0x47 0x49 0x46 0x38, expected a JPEG \(0xff 0xd8 0xff\) or PNG/,
    );
    await expect(loadImageFolder(fx('folder-emptyclass'))).rejects.toThrow(/folder-emptyclass\/b: no JPEG or PNG images in class folder "b"/);
    await expect(loadImageFolder(fx('idx'))).rejects.toThrow(/no class subfolders/);
    await expect(loadImageFolder(fx('absent'))).rejects.toThrow(/absent: cannot read directory \(ENOENT\)/);
    await expect(loadImageFolder(fx('folder'), { fit: 'stretch' as never })).rejects.toThrow(RangeError);
  });

  it('splits a folder into train and test per class', async () => {
    const data = await loadImageFolderDataset(fx('folder'), { testFraction: 0.34, seed: 3 });
    expect(data.classNames).toEqual(['circle', 'square', 'triangle']);
    expect(data.train.labels).toHaveLength(6);
    expect(data.test.labels.sort()).toEqual([0, 1, 2]);
  });
});

describe('splitTrainTest and subsetImages', () => {
  const set = {
    images: Array.from({ length: 20 }, (_, i): Image => ({ width: 1, height: 1, channels: 1, data: new Uint8Array([i]) })),
    labels: Array.from({ length: 20 }, (_, i) => i % 4),
  };

  it('is stratified, seeded and disjoint', () => {
    const a = splitTrainTest(set, { testFraction: 0.2, seed: 5 });
    const b = splitTrainTest(set, { testFraction: 0.2, seed: 5 });
    expect(a.test.images.map((im) => im.data[0])).toEqual(b.test.images.map((im) => im.data[0]));
    expect(a.test.labels.slice().sort()).toEqual([0, 1, 2, 3]);
    const ids = new Set([...a.train.images, ...a.test.images].map((im) => im.data[0]));
    expect(ids.size).toBe(20);
    expect(() => splitTrainTest(set, { testFraction: 1 })).toThrow(/testFraction/);
    expect(() => splitTrainTest({ images: set.images, labels: [1] })).toThrow(/same length/);
  });

  it('takes a seeded subset in the original order', () => {
    const s = subsetImages(set, 5, 2);
    expect(s.images).toHaveLength(5);
    const ids = s.images.map((im) => im.data[0]);
    expect(ids).toEqual(ids.slice().sort((x, y) => x - y));
    expect(subsetImages(set, 50)).toBe(set);
  });
});

describe('resizeImage', () => {
  it('area-averages when shrinking and keeps constants constant', () => {
    const im: Image = { width: 4, height: 2, channels: 1, data: new Uint8Array([0, 100, 200, 40, 0, 100, 200, 40]) };
    expect(Array.from(resizeImage(im, 2, 1).data)).toEqual([50, 120]);
    const flat: Image = { width: 3, height: 3, channels: 3, data: new Uint8Array(27).fill(77) };
    expect(Array.from(resizeImage(flat, 7, 5, 'cover').data).every((v) => v === 77)).toBe(true);
  });
});

describe('decodeImageFile on damaged PNGs', () => {
  // A 3x2 RGB PNG written by pngjs (75 bytes): signature, IHDR at 8, IDAT (18 bytes) at 33, IEND at 63.
  const good = (): Uint8Array => {
    const png = new PNG({ width: 3, height: 2 });
    png.data.fill(90);
    for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
    return new Uint8Array(PNG.sync.write(png, { colorType: 2 }));
  };
  const withCrc = (bytes: Uint8Array, chunkAt: number): Uint8Array => {
    const v = new DataView(bytes.buffer);
    const length = v.getUint32(chunkAt, false);
    v.setUint32(chunkAt + 8 + length, crc32(bytes.subarray(chunkAt + 4, chunkAt + 8 + length)), false);
    return bytes;
  };

  it('says "truncated or corrupt PNG", the byte offset and the file, not the PNG library text', () => {
    const bytes = good();
    expect(Array.from(decodeImageFile('ok.png', bytes).data.subarray(0, 3))).toEqual([90, 90, 90]);
    expect(() => decodeImageFile('cut.png', bytes.subarray(0, bytes.length - 2))).toThrow(
      /^cut\.png: truncated or corrupt PNG at byte offset 63: chunk IEND declares 0 data bytes, but the file ends at byte offset 73/,
    );
    expect(() => decodeImageFile('cut2.png', bytes.subarray(0, 45))).toThrow(/^cut2\.png: truncated or corrupt PNG at byte offset 33: chunk IDAT declares 18 data bytes, but the file ends at byte offset 45/);
    expect(() => decodeImageFile('end.png', bytes.subarray(0, bytes.length - 12))).toThrow(/^end\.png: truncated or corrupt PNG at byte offset \d+: the file ends before the IEND chunk/);
    const flipped = bytes.slice();
    flipped[45] ^= 4;
    expect(() => decodeImageFile('flip.png', flipped)).toThrow(/^flip\.png: truncated or corrupt PNG at byte offset \d+: CRC mismatch in chunk IDAT/);
    expect(() => decodeImageFile('short.png', bytes.subarray(0, 6))).toThrow(/^short\.png: truncated or corrupt PNG at byte offset 6: the file ends inside the 8-byte PNG signature/);
  });

  it('refuses a header whose size the data cannot hold, or beyond the pixel limit, without decoding it', () => {
    const tall = good();
    new DataView(tall.buffer).setUint32(20, 200000, false); // 3 x 200000 from 3 x 2's data
    expect(() => decodeImageFile('tall.png', withCrc(tall, 8))).toThrow(
      /^tall\.png: truncated or corrupt PNG at byte offset 33: the IDAT chunks hold \d+ compressed bytes, too few for the 3x200000 image/,
    );
    const wide = good();
    new DataView(wide.buffer).setUint32(16, 20000, false);
    new DataView(wide.buffer).setUint32(20, 20000, false);
    expect(() => decodeImageFile('wide.png', withCrc(wide, 8))).toThrow(/^wide\.png: truncated or corrupt PNG at byte offset 16: the header declares 20000x20000 = 400000000 pixels, more than the 178956970 allowed/);
    const rows = good();
    new DataView(rows.buffer).setUint32(20, 3, false); // one row more than the data holds
    expect(() => decodeImageFile('rows.png', withCrc(rows, 8))).toThrow(/^rows\.png: truncated or corrupt PNG at byte offset 33: the image data decompresses to 20 bytes, the 3x3 image the header declares needs 30/);
  });
});
