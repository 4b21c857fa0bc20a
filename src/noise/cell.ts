/**
 * The second step of the sweep pipeline: one cell (level, repeat). Compress the train and test
 * sets at the level (the codec's round trip: what the model sees), measure the bits that remain,
 * carve the repeat's stratified validation split from the training set, featurize, and train a
 * fresh model (seeded by the repeat) through {@link trainRun}.
 */
import type { LevelBits } from '../codecs/codec.js';
import { stratifiedSplit } from '../data/split.js';
import { labelsToOneHot } from '../data/tensors.js';
import { abortError } from '../util/abort.js';
import { checkInteger, describe } from '../util/checks.js';
import type { PreparedSweep } from './prepare.js';
import { trainRun } from './train-run.js';
import type { Cell, CellRunContext, ProgressEvent, RunResult } from './types.js';

/** Seconds on a monotonic clock. */
export const now = (): number => performance.now() / 1000;

/**
 * The seed of repeat `repeat` of a sweep seeded `seed`: the sweep's seed itself for repeat 0
 * (so a one-repeat sweep trains as before), then seeds 1,000,003 apart.
 *
 * @example
 * runSeed(0, 2); // 2000006
 */
export function runSeed(seed: number, repeat: number): number {
  return seed + repeat * 1_000_003;
}

/**
 * A run's seeded stratified split of the training items: `fraction` of each class to validate
 * on, the rest to fit; with `fraction` 0 every item is fitted and `validation` is null.
 */
function validationSplit(labels: ArrayLike<number>, fraction: number, seed: number): { train: number[]; validation: number[] | null } {
  if (fraction === 0) return { train: Array.from({ length: labels.length }, (_, i) => i), validation: null };
  const split = stratifiedSplit(Array.from(labels), { testFraction: fraction, seed: Math.floor(Math.abs(seed)) >>> 0 });
  return { train: split.train, validation: split.test };
}

/** Compresses one split of the prepared data at a level (the hook for worker-thread codecs). */
export type LevelCompressor<Batch = unknown> = (split: 'train' | 'test', level: number, signal?: AbortSignal) => Promise<Batch>;

/** One level's compressed data and bits (shared by the repeats of the level). */
interface CompressedLevel {
  train: unknown;
  test: unknown;
  bits: LevelBits;
  seconds: number;
}

const lastCompressed = new WeakMap<PreparedSweep, { level: number; value: Promise<CompressedLevel> }>();

async function compressLevel(prepared: PreparedSweep, level: number, signal: AbortSignal | undefined, compress?: LevelCompressor): Promise<CompressedLevel> {
  const cached = lastCompressed.get(prepared);
  if (cached && cached.level === level) return cached.value;
  const { codec, featurizer, data } = prepared;
  const value = (async (): Promise<CompressedLevel> => {
    const started = now();
    const run: LevelCompressor = compress ?? ((split, l, s) => codec.roundTrip(data[split], l, { signal: s }));
    const train = await run('train', level, signal);
    const test = await run('test', level, signal);
    const samples = Math.min(prepared.measureSamples, featurizer.count(data.test));
    const sample = featurizer.select(data.test, Array.from({ length: samples }, (_, i) => i));
    const bits = await codec.measureBits(sample, level, { ...data.context, sourceBits: prepared.sourceBits });
    return { train, test, bits, seconds: now() - started };
  })();
  lastCompressed.set(prepared, { level, value });
  value.catch(() => {
    if (lastCompressed.get(prepared)?.value === value) lastCompressed.delete(prepared);
  });
  return value;
}

/**
 * Trains one cell of a prepared sweep: the codec's round trip of the train and test sets at
 * `cell.level` (reused by the next repeat of the same level), the bits that remain (measured on
 * up to `measureSamples` test items), the repeat's seeded stratified validation split
 * (`validationFraction` of each training class), the featurizer's tensors, and a fresh model
 * built and trained with `runSeed(seed, repeat)`: the validation split picks the epoch, the test
 * set scores it (with `validationFraction` 0 every training item is fitted and the test set also
 * picks the epoch). Emits `'compress'` and per-epoch `'train'` progress. Disposes every tensor.
 *
 * @param compress - replaces the in-thread round trip (e.g. a worker pool)
 * @example
 * const prepared = prepareSweep({ data, epochs: 2, repeats: 1 });
 * const run = await runCell(prepared, { level: 25, repeat: 0 }, { levelIndex: 0, levelCount: 1 });
 * run.accuracy; // test accuracy at the epoch with the best validation accuracy
 */
export async function runCell(prepared: PreparedSweep, cell: Cell, context: CellRunContext, compress?: LevelCompressor): Promise<RunResult> {
  const { level, repeat } = cell;
  if (!prepared.grid.includes(level)) throw new RangeError(`level must be one of the prepared levels (${prepared.grid.join(', ')}), got ${describe(level)}`);
  checkInteger('repeat', repeat, 0, 1_000_000);
  const { signal } = context;
  if (signal?.aborted) throw abortError(signal, 'estimateNoise');
  const started = now();
  const base: Pick<ProgressEvent, 'level' | 'repeat' | 'levelIndex' | 'levelCount' | 'elapsedSeconds'> = {
    level,
    repeat,
    levelIndex: context.levelIndex,
    levelCount: context.levelCount,
    elapsedSeconds: 0,
  };
  context.onProgress?.({ ...base, phase: 'compress' });
  const compressed = await compressLevel(prepared, level, signal, compress);
  const compressSeconds = now() - started;
  if (signal?.aborted) throw abortError(signal, 'estimateNoise');

  const trainStart = now();
  const { featurizer, data } = prepared;
  const seed = runSeed(prepared.seed, repeat);
  const split = validationSplit(data.trainLabels, prepared.validationFraction, seed);
  const pick = (indices: number[]): Int32Array => Int32Array.from(indices, (i) => data.trainLabels[i]);
  const x = featurizer.toTensors(
    {
      fit: featurizer.select(compressed.train, split.train),
      ...(split.validation !== null ? { validation: featurizer.select(compressed.train, split.validation) } : {}),
      test: compressed.test,
    },
    data.settings,
  );
  const { classes, inputShape } = prepared;
  const test = { x: x.test, y: labelsToOneHot(data.testLabels, classes) };
  const result = await trainRun({
    fit: { x: x.fit, y: labelsToOneHot(pick(split.train), classes) },
    // Without a validation split the test set is also the one that picks the epoch (the paper's protocol).
    validation: x.validation !== undefined && split.validation !== null ? { x: x.validation, y: labelsToOneHot(pick(split.validation), classes) } : test,
    test,
    buildModel: () =>
      typeof prepared.model === 'function'
        ? prepared.model([...inputShape], classes)
        : featurizer.buildArchitecture(prepared.model, { inputShape, numClasses: classes, ...prepared.modelOptions, seed }),
    optimizer: prepared.optimizer,
    modality: prepared.modality,
    budget: prepared.budget,
    batchSize: prepared.batchSize,
    augment: prepared.augment,
    seed,
    signal,
    onEpochEnd: (log) => context.onProgress?.({ ...base, phase: 'train', epoch: log.epoch, epochs: prepared.epochs, accuracy: log.valAccuracy }),
  });
  return {
    level,
    repeat,
    seed,
    accuracy: prepared.metric === 'paper' ? result.paperAccuracy : prepared.metric === 'last' ? result.lastAccuracy : result.accuracy,
    testAccuracy: result.accuracy,
    paperAccuracy: result.paperAccuracy,
    lastAccuracy: result.lastAccuracy,
    bestAccuracy: result.bestAccuracy,
    selectedEpoch: result.selectedEpoch,
    epochsRun: result.epochsRun,
    epochsToConverge: result.epochsToConverge,
    stillImproving: result.stillImproving,
    history: result.history,
    testCount: featurizer.count(data.test),
    seconds: now() - started,
    compressSeconds,
    trainSeconds: now() - trainStart,
    bits: compressed.bits,
  };
}
