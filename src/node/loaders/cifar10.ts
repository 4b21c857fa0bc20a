/**
 * CIFAR-10 in its official binary form ("CIFAR-10 binary version", cifar-10-binary.tar.gz):
 * `data_batch_1.bin` .. `data_batch_5.bin` and `test_batch.bin`, each a run of 3,073-byte records
 * (1 label byte 0..9, then the 1,024 red, 1,024 green and 1,024 blue bytes of a 32x32 image,
 * row-major), and optionally `batches.meta.txt` with the class names.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Image } from '../../image/image.js';
import type { LabeledImages } from '../../noise/types.js';
import type { NamedImageDataset } from './dataset.js';

/** Bytes per CIFAR-10 record: 1 label + 3 x 32 x 32 pixel planes. */
export const CIFAR10_RECORD_BYTES = 3073;

/** CIFAR-10's class names in label order (used when `batches.meta.txt` is absent). */
export const CIFAR10_CLASS_NAMES: readonly string[] = [
  'airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck',
];

/** Options for {@link loadCifar10}. */
export interface Cifar10Options {
  /** Training batch files to read, by number 1..5. Default all five (50,000 images). */
  trainBatches?: number[];
}

/**
 * Reads CIFAR-10's official binary batches from `dir` (or from `dir/cifar-10-batches-bin`, as
 * the archive unpacks) into interleaved RGB 32x32 {@link Image}s. Training images come from
 * `data_batch_1..5.bin` in order, test images from `test_batch.bin`. The images of one file share
 * one buffer (each `data` is a view), so loading all 60,000 takes about 184 MB.
 *
 * Malformed input throws an `Error` naming the file, the byte offset and what was expected: a
 * missing file, a length that is not a whole number of 3,073-byte records, a label byte above 9.
 *
 * @example
 * const { train, test, classNames } = await loadCifar10('/data/cifar-10-batches-bin');
 * train.images.length; // 50000
 */
export async function loadCifar10(dir: string, options: Cifar10Options = {}): Promise<NamedImageDataset> {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new TypeError(`dir must be a non-empty path string, got ${typeof dir === 'string' ? '""' : typeof dir}`);
  }
  const batches = options.trainBatches ?? [1, 2, 3, 4, 5];
  if (!Array.isArray(batches) || batches.length === 0 || batches.some((b) => !Number.isInteger(b) || b < 1 || b > 5)) {
    throw new RangeError(`trainBatches must be a non-empty array of integers in 1..5, got ${JSON.stringify(batches)}`);
  }
  const root = await resolveRoot(dir);
  const train: LabeledImages = { images: [], labels: [] };
  for (const b of batches) {
    const part = parseCifar10Batch(path.join(root, `data_batch_${b}.bin`), await readBatch(root, `data_batch_${b}.bin`));
    train.images.push(...part.images);
    train.labels.push(...part.labels);
  }
  const test = parseCifar10Batch(path.join(root, 'test_batch.bin'), await readBatch(root, 'test_batch.bin'));
  return { train, test, classNames: await readClassNames(root) };
}

/**
 * Parses the bytes of one CIFAR-10 binary batch file (`file` names it in errors).
 *
 * @example
 * const { images, labels } = parseCifar10Batch('test_batch.bin', await readFile('test_batch.bin'));
 */
export function parseCifar10Batch(file: string, bytes: Uint8Array): LabeledImages {
  if (bytes.length === 0) {
    throw new Error(`${file}: empty file at byte offset 0, expected records of ${CIFAR10_RECORD_BYTES} bytes (1 label byte + 3072 pixel bytes)`);
  }
  const count = Math.floor(bytes.length / CIFAR10_RECORD_BYTES);
  const rest = bytes.length - count * CIFAR10_RECORD_BYTES;
  if (rest !== 0) {
    const offset = count * CIFAR10_RECORD_BYTES;
    throw new Error(
      `${file}: truncated record ${count} at byte offset ${offset}: expected ${CIFAR10_RECORD_BYTES} bytes (1 label byte + 3072 pixel bytes), got ${rest} (file length ${bytes.length} is not a multiple of ${CIFAR10_RECORD_BYTES})`,
    );
  }
  const pixels = new Uint8Array(count * 3072);
  const images: Image[] = new Array(count);
  const labels: number[] = new Array(count);
  for (let r = 0; r < count; r++) {
    const base = r * CIFAR10_RECORD_BYTES;
    const label = bytes[base];
    if (label > 9) {
      throw new Error(`${file}: record ${r} at byte offset ${base}: label byte ${label}, expected a class index 0..9`);
    }
    labels[r] = label;
    const out = pixels.subarray(r * 3072, (r + 1) * 3072);
    const red = base + 1;
    for (let p = 0; p < 1024; p++) {
      out[3 * p] = bytes[red + p];
      out[3 * p + 1] = bytes[red + 1024 + p];
      out[3 * p + 2] = bytes[red + 2048 + p];
    }
    images[r] = { width: 32, height: 32, channels: 3, data: out };
  }
  return { images, labels };
}

async function resolveRoot(dir: string): Promise<string> {
  const inner = path.join(dir, 'cifar-10-batches-bin');
  try {
    if ((await stat(inner)).isDirectory()) return inner;
  } catch {
    // not the archive's parent folder: use dir itself
  }
  return dir;
}

async function readBatch(root: string, name: string): Promise<Uint8Array> {
  const file = path.join(root, name);
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `${file}: cannot read (${code ?? (err as Error).message}); expected CIFAR-10's binary batch files data_batch_1..5.bin and test_batch.bin in ${root}`,
    );
  }
}

async function readClassNames(root: string): Promise<string[]> {
  try {
    const text = await readFile(path.join(root, 'batches.meta.txt'), 'utf8');
    const names = text.split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0);
    if (names.length === 10) return names;
  } catch {
    // optional file
  }
  return [...CIFAR10_CLASS_NAMES];
}
