/**
 * A folder of labeled images, one subfolder per class (`dir/cat/*.jpg`, `dir/dog/*.png`), the
 * layout of Keras' `image_dataset_from_directory` and torchvision's `ImageFolder`.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeJpeg } from '../../image/decode.js';
import type { Image } from '../../image/image.js';
import { checkInteger, checkOneOf } from '../../util/checks.js';
import type { LabeledImages } from '../../noise/types.js';
import { splitTrainTest, type NamedImageDataset } from './dataset.js';
import { listClassFolders } from './class-folders.js';
import { decodePng } from './png.js';

/** How images of another size than the target are treated. */
export type ImageFit = 'error' | 'fill' | 'cover';

/** Options for {@link loadImageFolder}. */
export interface ImageFolderOptions {
  /**
   * Target size. Default: the size of the first image read (classes and files in sorted order).
   */
  size?: { width: number; height: number };
  /**
   * What to do with an image of another size. Default `'error'`: throw an `Error` naming the file,
   * its size and the size expected. `'fill'`: resample to the target size, ignoring the aspect
   * ratio. `'cover'`: scale to cover the target (aspect ratio kept), then crop the center.
   * Resampling is separable: area averaging where shrinking, bilinear where enlarging.
   */
  fit?: ImageFit;
  /**
   * Output channels. Default `'auto'`: 1 when every pixel of every image is gray (R = G = B),
   * else 3 (gray images are then repeated to RGB). `3` converts gray to RGB; `1` converts RGB
   * to gray with the JPEG/BT.601 luma weights. PNG alpha is dropped (as Pillow's `convert('RGB')`).
   */
  channels?: 1 | 3 | 'auto';
  /**
   * JPEG decoder `(bytes) => Image`. Default: the library's `decodeJpeg` (Pillow's pixels; files
   * Pillow loads load, files it refuses, such as truncated ones, throw an `Error` naming the file).
   * Pass `(bytes) => decodeJpeg(bytes, { strict: true })` to refuse damage libjpeg only warns about.
   */
  decodeJpeg?: (bytes: Uint8Array) => Image;
}

/** What {@link loadImageFolder} returns: the images, their labels, the class names and files. */
export interface ImageFolderSet extends LabeledImages {
  /** Subfolder names in sorted order; `classNames[label]` is the class of a label. */
  classNames: string[];
  /** The file each image came from. */
  files: string[];
}

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jpe', '.jfif', '.png']);

/**
 * Reads every JPEG and PNG image directly inside the subfolders of `dir` (one subfolder per
 * class, sorted by name; labels are the subfolder's index). Files with other extensions and
 * hidden entries (starting with `.`) are skipped; the format is taken from the file's first bytes,
 * not its name. Images must share one size unless `fit` says how to make them.
 *
 * Errors (`Error`, naming the file): no class subfolder, a class without images, a file that is
 * neither JPEG nor PNG (with its first bytes and the offset), a corrupt file (the decoder's
 * reason), a size other than the target size when `fit` is `'error'`.
 *
 * @example
 * const { images, labels, classNames } = await loadImageFolder('photos', { size: { width: 32, height: 32 }, fit: 'cover' });
 */
export async function loadImageFolder(dir: string, options: ImageFolderOptions = {}): Promise<ImageFolderSet> {
  const fit = checkOneOf('fit', options.fit ?? 'error', ['error', 'fill', 'cover'] as const);
  const channelsOption = checkOneOf('channels', options.channels ?? 'auto', [1, 3, 'auto'] as const);
  let target = options.size;
  if (target !== undefined) {
    checkInteger('size.width', target.width, 1, 65500);
    checkInteger('size.height', target.height, 1, 65500);
  }
  const decodeJpegBytes = options.decodeJpeg ?? decodeLikePillow;

  const classNames = await listClassFolders(dir);
  const images: Image[] = [];
  const labels: number[] = [];
  const files: string[] = [];
  for (let label = 0; label < classNames.length; label++) {
    const classDir = path.join(dir, classNames[label]);
    const entries = (await readdir(classDir, { withFileTypes: true }))
      .filter((e) => !e.name.startsWith('.') && e.isFile() && IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort();
    if (entries.length === 0) {
      throw new Error(`${classDir}: no JPEG or PNG images in class folder "${classNames[label]}", expected at least one .jpg/.jpeg/.png file`);
    }
    for (const name of entries) {
      const file = path.join(classDir, name);
      let image = decodeImageFile(file, await readFile(file), decodeJpegBytes);
      if (target === undefined) target = { width: image.width, height: image.height };
      if (image.width !== target.width || image.height !== target.height) {
        if (fit === 'error') {
          throw new Error(
            `${file}: image is ${image.width}x${image.height}, expected ${target.width}x${target.height} (${options.size ? 'the requested size' : `the size of ${files[0]}`}); pass fit: 'fill' or 'cover' (CLI: --fit) to resize`,
          );
        }
        image = resizeImage(image, target.width, target.height, fit);
      }
      images.push(image);
      labels.push(label);
      files.push(file);
    }
  }
  const channels = channelsOption === 'auto' ? (images.every(isGray) ? 1 : 3) : channelsOption;
  return { images: images.map((im) => convertChannels(im, channels)), labels, classNames, files };
}

/** Options for {@link loadImageFolderDataset}. */
export interface ImageFolderDatasetOptions extends ImageFolderOptions {
  /** Fraction of each class held out for testing when `dir` has no `train`/`test` split. Default 0.2. */
  testFraction?: number;
  /** Seeds that split. Default 0. */
  seed?: number;
}

/**
 * A train/test pair from an image folder: `dir/train/<class>/…` and `dir/test/<class>/…` when
 * both exist (they must list the same classes), else `dir/<class>/…` split per class with
 * {@link splitTrainTest} (`testFraction`, `seed`). Test images are brought to the training size.
 *
 * @example
 * const data = await loadImageFolderDataset('photos', { testFraction: 0.25, fit: 'cover', size: { width: 64, height: 64 } });
 */
export async function loadImageFolderDataset(dir: string, options: ImageFolderDatasetOptions = {}): Promise<NamedImageDataset> {
  const trainDir = path.join(dir, 'train');
  const testDir = path.join(dir, 'test');
  if ((await isDirectory(trainDir)) && (await isDirectory(testDir))) {
    const train = await loadImageFolder(trainDir, options);
    const size = { width: train.images[0].width, height: train.images[0].height };
    const test = await loadImageFolder(testDir, { ...options, size, channels: train.images[0].channels });
    const missing = train.classNames.filter((c) => !test.classNames.includes(c));
    const extra = test.classNames.filter((c) => !train.classNames.includes(c));
    if (missing.length > 0 || extra.length > 0) {
      throw new Error(
        `${testDir}: class folders differ from ${trainDir}` +
          (missing.length ? `; missing: ${missing.join(', ')}` : '') +
          (extra.length ? `; not in train: ${extra.join(', ')}` : ''),
      );
    }
    return {
      train: { images: train.images, labels: train.labels },
      test: { images: test.images, labels: test.labels },
      classNames: train.classNames,
    };
  }
  const all = await loadImageFolder(dir, options);
  const { train, test } = splitTrainTest(all, { testFraction: options.testFraction, seed: options.seed });
  return { train, test, classNames: all.classNames };
}

/**
 * Decodes the bytes of a JPEG or PNG file (format sniffed from the first bytes) into an RGB
 * {@link Image}; `file` names it in errors.
 *
 * @example
 * const image = decodeImageFile('cat.png', await readFile('cat.png'));
 */
export function decodeImageFile(file: string, bytes: Uint8Array, decodeJpegBytes: (bytes: Uint8Array) => Image = decodeLikePillow): Image {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    try {
      return decodeJpegBytes(bytes);
    } catch (err) {
      throw new Error(`${file}: corrupt JPEG (${(err as Error).message})`);
    }
  }
  if (bytes.length >= 4 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    return decodePng(file, bytes);
  }
  const head = Array.from(bytes.subarray(0, 4), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
  throw new Error(`${file}: byte offset 0: starts with ${head || 'nothing (empty file)'}, expected a JPEG (0xff 0xd8 0xff) or PNG (0x89 0x50 0x4e 0x47) signature`);
}

/**
 * Resamples `image` to `width` x `height`: `'fill'` stretches, `'cover'` keeps the aspect ratio
 * and crops the center. Area averaging where shrinking, bilinear where enlarging.
 *
 * @example
 * const small = resizeImage(photo, 32, 32, 'cover');
 */
export function resizeImage(image: Image, width: number, height: number, fit: 'fill' | 'cover' = 'fill'): Image {
  checkInteger('width', width, 1, 65500);
  checkInteger('height', height, 1, 65500);
  // Source window (in source pixels) mapped onto the output.
  let x0 = 0;
  let y0 = 0;
  let w = image.width;
  let h = image.height;
  if (fit === 'cover') {
    const scale = Math.max(width / image.width, height / image.height);
    w = width / scale;
    h = height / scale;
    x0 = (image.width - w) / 2;
    y0 = (image.height - h) / 2;
  }
  const c = image.channels;
  const xs = weights1d(image.width, x0, w, width);
  const ys = weights1d(image.height, y0, h, height);
  // Horizontal pass: height x width_out, then vertical pass.
  const tmp = new Float32Array(image.height * width * c);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < width; x++) {
      const { start, w: wx } = xs[x];
      for (let k = 0; k < c; k++) {
        let sum = 0;
        for (let i = 0; i < wx.length; i++) sum += wx[i] * image.data[(y * image.width + start + i) * c + k];
        tmp[(y * width + x) * c + k] = sum;
      }
    }
  }
  const out = new Uint8Array(width * height * c);
  for (let y = 0; y < height; y++) {
    const { start, w: wy } = ys[y];
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < c; k++) {
        let sum = 0;
        for (let i = 0; i < wy.length; i++) sum += wy[i] * tmp[((start + i) * width + x) * c + k];
        out[(y * width + x) * c + k] = Math.min(255, Math.max(0, Math.round(sum)));
      }
    }
  }
  return { width, height, channels: c, data: out };
}

/** Per output sample: the first source index and the normalised weights from there. */
function weights1d(srcSize: number, from: number, span: number, outSize: number): { start: number; w: Float64Array }[] {
  const scale = span / outSize; // source pixels per output pixel
  const result: { start: number; w: Float64Array }[] = [];
  for (let o = 0; o < outSize; o++) {
    let lo: number;
    let hi: number;
    const taps: number[] = [];
    if (scale > 1) {
      // Area average of the source interval [a, b).
      const a = from + o * scale;
      const b = a + scale;
      lo = Math.max(0, Math.floor(a));
      hi = Math.min(srcSize - 1, Math.ceil(b) - 1);
      for (let i = lo; i <= hi; i++) taps.push(Math.max(0, Math.min(b, i + 1) - Math.max(a, i)));
    } else {
      // Bilinear at the output pixel's center.
      const center = Math.min(Math.max(from + (o + 0.5) * scale - 0.5, 0), srcSize - 1);
      lo = Math.floor(center);
      hi = Math.min(lo + 1, srcSize - 1);
      const t = center - lo;
      taps.push(1 - t);
      if (hi > lo) taps.push(t);
      else hi = lo;
    }
    const total = taps.reduce((s, v) => s + v, 0);
    result.push({ start: lo, w: Float64Array.from(taps, (v) => v / total) });
  }
  return result;
}

function isGray(image: Image): boolean {
  if (image.channels === 1) return true;
  const d = image.data;
  for (let i = 0; i < d.length; i += 3) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return false;
  return true;
}

function convertChannels(image: Image, channels: 1 | 3): Image {
  if (image.channels === channels) return image;
  const n = image.width * image.height;
  const out = new Uint8Array(n * channels);
  if (channels === 1) {
    for (let i = 0; i < n; i++) {
      out[i] = Math.round(0.299 * image.data[3 * i] + 0.587 * image.data[3 * i + 1] + 0.114 * image.data[3 * i + 2]);
    }
  } else {
    for (let i = 0; i < n; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = image.data[i];
  }
  return { width: image.width, height: image.height, channels, data: out };
}

function decodeLikePillow(bytes: Uint8Array): Image {
  return decodeJpeg(bytes);
}


async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
