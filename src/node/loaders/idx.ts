/**
 * The IDX format of MNIST and Fashion-MNIST: a 4-byte magic number (two zero bytes, a type code,
 * the number of dimensions), one big-endian uint32 per dimension, then the values. Files may be
 * gzip-compressed (recognised by their first two bytes, not by their name).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { Image } from '../../image/image.js';
import type { LabeledImages } from '../../noise/types.js';
import type { NamedImageDataset } from './dataset.js';

const gunzipAsync = promisify(gunzip);

/** IDX type code for unsigned bytes, the only one image and label files use. */
const IDX_UBYTE = 0x08;

/** A parsed IDX array of unsigned bytes. */
export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

/**
 * Reads an IDX image file and its label file (each `.gz` or raw) into grayscale (or, for 4-D
 * files whose last dimension is 3, RGB) {@link Image}s and labels. The images share one buffer.
 *
 * Malformed input throws an `Error` naming the file, the byte offset and what was expected (a
 * wrong magic number, a type other than unsigned byte, a wrong number of dimensions, too few or
 * too many bytes, a corrupt gzip stream), or naming both files when their counts differ.
 *
 * @example
 * const { images, labels } = await loadIdx(
 *   '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz',
 *   '/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz',
 * );
 * images[0].width; // 28
 */
export async function loadIdx(imagesPath: string, labelsPath: string): Promise<LabeledImages> {
  const [imagesArray, labelsArray] = await Promise.all([readIdxFile(imagesPath), readIdxFile(labelsPath)]);
  if (imagesArray.shape.length !== 3 && imagesArray.shape.length !== 4) {
    throw new Error(`${imagesPath}: byte offset 3: ${imagesArray.shape.length} dimensions, expected 3 (count, rows, columns) or 4 (count, rows, columns, channels) for an image file`);
  }
  if (labelsArray.shape.length !== 1) {
    throw new Error(`${labelsPath}: byte offset 3: ${labelsArray.shape.length} dimensions, expected 1 (count) for a label file`);
  }
  const [count, height, width] = imagesArray.shape;
  const channels = imagesArray.shape.length === 4 ? imagesArray.shape[3] : 1;
  if (channels !== 1 && channels !== 3) {
    throw new Error(`${imagesPath}: byte offset 16: ${channels} channels, expected 1 or 3`);
  }
  if (width === 0 || height === 0) {
    throw new Error(`${imagesPath}: byte offset 8: image size ${height}x${width}, expected rows and columns of at least 1`);
  }
  if (labelsArray.shape[0] !== count) {
    throw new Error(`${labelsPath}: byte offset 4: ${labelsArray.shape[0]} labels, expected ${count}, the number of images in ${imagesPath}`);
  }
  const size = width * height * channels;
  const images: Image[] = new Array(count);
  for (let i = 0; i < count; i++) {
    images[i] = { width, height, channels: channels as 1 | 3, data: imagesArray.data.subarray(i * size, (i + 1) * size) };
  }
  return { images, labels: Array.from(labelsArray.data) };
}

/**
 * Reads the standard MNIST / Fashion-MNIST file set from `dir`: `train-images-idx3-ubyte`,
 * `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each with or
 * without `.gz` (a `-` or `.` before `idx` is accepted too, as some mirrors rename them).
 *
 * @example
 * const { train, test } = await loadIdxDataset('/usr/share/datasets/fashion-mnist');
 */
export async function loadIdxDataset(dir: string): Promise<NamedImageDataset> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new Error(`${dir}: cannot read directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const find = (prefix: string, kind: 'images' | 'labels'): string => {
    const re = new RegExp(`^${prefix}-${kind}[-.]idx[13]-ubyte(\\.gz)?$`);
    const hit = names.filter((n) => re.test(n)).sort()[0];
    if (!hit) throw new Error(`${dir}: no ${prefix}-${kind}-idx${kind === 'images' ? 3 : 1}-ubyte[.gz] file, expected the MNIST file set (train-*, t10k-*)`);
    return path.join(dir, hit);
  };
  const [train, test] = await Promise.all([
    loadIdx(find('train', 'images'), find('train', 'labels')),
    loadIdx(find('t10k', 'images'), find('t10k', 'labels')),
  ]);
  return { train, test };
}

/**
 * Reads one IDX file of unsigned bytes (gzip-compressed or raw).
 *
 * @example
 * const { shape } = await readIdxFile('train-labels-idx1-ubyte.gz'); // [60000]
 */
export async function readIdxFile(file: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new Error(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (err) {
      throw new Error(`${file}: corrupt gzip stream (${(err as Error).message}); expected a gzip-compressed IDX file`);
    }
  }
  return parseIdx(file, bytes);
}

/**
 * Parses the bytes of an (uncompressed) IDX file; `file` names it in errors.
 *
 * @example
 * parseIdx('labels', new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 3])); // { shape: [2], data: [7, 3] }
 */
export function parseIdx(file: string, bytes: Uint8Array): IdxArray {
  if (bytes.length < 4) {
    throw new Error(`${file}: byte offset 0: file of ${bytes.length} bytes, expected a 4-byte IDX magic number (0x00 0x00 type dims)`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`${file}: byte offset 0: bytes 0x${hex(bytes[0])} 0x${hex(bytes[1])}, expected 0x00 0x00 (the IDX magic number)`);
  }
  if (bytes[2] !== IDX_UBYTE) {
    throw new Error(`${file}: byte offset 2: type code 0x${hex(bytes[2])}, expected 0x08 (unsigned byte)`);
  }
  const dims = bytes[3];
  if (dims < 1) throw new Error(`${file}: byte offset 3: 0 dimensions, expected at least 1`);
  const headerBytes = 4 + 4 * dims;
  if (bytes.length < headerBytes) {
    throw new Error(`${file}: byte offset ${bytes.length}: file ends inside the header, expected ${headerBytes} header bytes for ${dims} dimensions`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let total = 1;
  for (let d = 0; d < dims; d++) {
    const n = view.getUint32(4 + 4 * d, false);
    shape.push(n);
    total *= n;
  }
  const actual = bytes.length - headerBytes;
  if (actual !== total) {
    const where = actual < total ? `file ends at byte offset ${bytes.length}` : `${actual - total} extra bytes from byte offset ${headerBytes + total}`;
    throw new Error(`${file}: ${where}: expected ${shape.join(' x ')} = ${total} data bytes after the ${headerBytes}-byte header, got ${actual}`);
  }
  return { shape, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerBytes, total) };
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
