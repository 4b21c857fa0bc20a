/**
 * The `--data` argument of `helmholtz-ml estimate`: which loader, which files, and how to make
 * a train/test pair of the requested size from them.
 */
import path from 'node:path';
import { loadCifar10 } from '../node/loaders/cifar10.js';
import { splitTrainTest, subsetImages, type NamedImageDataset } from '../node/loaders/dataset.js';
import { loadIdx, loadIdxDataset } from '../node/loaders/idx.js';
import { loadImageFolderDataset, type ImageFit } from '../node/loaders/image-folder.js';
import { UsageError } from './args.js';

/** The data-spec kinds and what they read (shown in `--help`). */
export const DATA_SPEC_HELP = [
  'cifar10:DIR                 CIFAR-10 binary batches (data_batch_1..5.bin, test_batch.bin) in DIR',
  'idx:DIR                     MNIST-style IDX files in DIR (train-images-idx3-ubyte[.gz], t10k-...)',
  'idx:IMAGES,LABELS           one IDX image file and its label file, split by --test-fraction',
  'idx:TRAIN_IMG,TRAIN_LBL,TEST_IMG,TEST_LBL   explicit IDX train and test files',
  'folder:DIR                  one subfolder of JPEG/PNG images per class (DIR/train + DIR/test if',
  '                            both exist, else split by --test-fraction)',
  'wav-folder:DIR              with --audio: one subfolder of WAV clips per class (DIR/train +',
  '                            DIR/test if both exist, else split by --test-fraction, 0.25)',
].join('\n');

/** How to load and cut the data (from the command's flags). */
export interface DataSpecOptions {
  cwd: string;
  /** Training images to use (seeded random subset). Default: all. */
  trainCount?: number;
  /** Test images to use. Default: all. */
  testCount?: number;
  /** For single-set sources. Default 0.2. */
  testFraction?: number;
  seed: number;
  /** Image folders. */
  fit?: ImageFit;
  size?: { width: number; height: number };
  channels?: 1 | 3 | 'auto';
}

/** A loaded dataset and a one-line description of it. */
export interface LoadedData extends NamedImageDataset {
  /** Short name for titles, e.g. "fashion-mnist (IDX)". */
  name: string;
  description: string;
}

/**
 * Parses a `--data` value and loads it. Throws {@link UsageError} for a malformed spec, and the
 * loader's `Error` (naming the file) for unreadable or malformed data.
 *
 * @example
 * const data = await loadDataSpec('idx:/usr/share/datasets/fashion-mnist', { cwd: process.cwd(), seed: 0, trainCount: 3000, testCount: 1000 });
 */
export async function loadDataSpec(spec: string, options: DataSpecOptions): Promise<LoadedData> {
  const colon = spec.indexOf(':');
  const kind = colon > 0 ? spec.slice(0, colon) : spec;
  const rest = colon > 0 ? spec.slice(colon + 1) : '';
  const abs = (p: string): string => path.resolve(options.cwd, p);
  let data: NamedImageDataset;
  let source: string;
  let name: string;
  switch (kind) {
    case 'cifar10': {
      if (!rest) throw new UsageError('--data cifar10:DIR needs the folder of the binary batches, e.g. cifar10:./cifar-10-batches-bin');
      data = await loadCifar10(abs(rest));
      source = `CIFAR-10 (${abs(rest)})`;
      name = 'CIFAR-10';
      break;
    }
    case 'idx': {
      const parts = rest.split(',').filter((p) => p.length > 0);
      if (parts.length === 1) {
        data = await loadIdxDataset(abs(parts[0]));
      } else if (parts.length === 2) {
        const all = await loadIdx(abs(parts[0]), abs(parts[1]));
        data = splitTrainTest(all, { testFraction: options.testFraction ?? 0.2, seed: options.seed });
      } else if (parts.length === 4) {
        const [train, test] = await Promise.all([loadIdx(abs(parts[0]), abs(parts[1])), loadIdx(abs(parts[2]), abs(parts[3]))]);
        data = { train, test };
      } else {
        throw new UsageError(`--data idx: takes DIR, IMAGES,LABELS or TRAIN_IMAGES,TRAIN_LABELS,TEST_IMAGES,TEST_LABELS, got ${JSON.stringify(spec)}`);
      }
      source = `IDX (${parts.map(abs).join(', ')})`;
      name = `${path.basename(parts.length === 1 ? abs(parts[0]) : path.dirname(abs(parts[0])))} (IDX)`;
      break;
    }
    case 'folder': {
      if (!rest) throw new UsageError('--data folder:DIR needs the folder with one subfolder per class');
      data = await loadImageFolderDataset(abs(rest), {
        fit: options.fit,
        size: options.size,
        channels: options.channels,
        testFraction: options.testFraction,
        seed: options.seed,
      });
      source = `image folder (${abs(rest)})`;
      name = `${path.basename(abs(rest))} (image folder)`;
      break;
    }
    case 'wav-folder':
      throw new UsageError('--data wav-folder: is audio: add --audio (helmholtz-ml estimate --audio --data wav-folder:DIR)');
    default:
      throw new UsageError(`--data must start with cifar10:, idx:, folder: or (with --audio) wav-folder:, got ${JSON.stringify(spec)}\n${DATA_SPEC_HELP}`);
  }
  const fullTrain = data.train.images.length;
  const fullTest = data.test.images.length;
  const train = options.trainCount ? subsetImages(data.train, options.trainCount, options.seed) : data.train;
  const test = options.testCount ? subsetImages(data.test, options.testCount, options.seed + 1) : data.test;
  const first = train.images[0];
  const shape = first ? `${first.width}x${first.height}${first.channels === 1 ? ' gray' : ' RGB'}` : 'empty';
  const count = (used: number, all: number): string => (used === all ? String(all) : `${used} of ${all}`);
  return {
    train,
    test,
    classNames: data.classNames,
    name,
    description: `${source}: ${count(train.images.length, fullTrain)} train / ${count(test.images.length, fullTest)} test images, ${shape}`,
  };
}
