/**
 * The audio sweep on worker threads (Node): clips shared between threads without copies, the
 * MP3 round trips and mel features of a whole data set computed on every core, and the
 * per-level worker task that `estimateNoise({ modality: 'audio' })` in `helmholtz-ml/node` uses
 * to train several bitrates at once.
 */
import { createHash } from 'node:crypto';
import type { AudioFeatureBatch, AudioFeatureOptions, ResolvedAudioFeatureOptions } from '../audio/features.js';
import {
  compressAndFeaturize,
  prepareAudioEstimate,
  runAudioLevel,
  type AudioLevelFeaturizer,
  type PreparedAudioEstimate,
} from '../noise/audio-sweep.js';
import type { AudioEstimateNoiseOptions, LabeledSignals, LevelResult } from '../noise/types.js';
import { checkInteger, describe } from '../util/checks.js';
import { threadsPerWorker, type BackendPreference } from './backend.js';
import { registerLevelTask, type LevelJob, type LevelWorkerInit } from './level-worker.js';
import { createWorkerPool, defaultWorkerCount, registerWorkerTask, type WorkerPool } from './parallel.js';

/** Labeled clips of one length, packed into one shared buffer (no copy when sent to workers). */
export interface SharedSignals {
  count: number;
  /** Samples per clip. */
  length: number;
  sampleRate: number;
  /** count x length samples, on a SharedArrayBuffer. */
  samples: Float32Array;
  labels: Int32Array;
}

/** A train/test pair of clips in shared memory. */
export interface SharedAudioDataset {
  train: SharedSignals;
  test: SharedSignals;
}

/**
 * Packs clips of one length into SharedArrayBuffers for worker threads.
 *
 * @throws RangeError when the set is empty, labels do not match or the clips differ in length
 * @example
 * const shared = shareSignals({ signals, sampleRate: 44100, labels }); // shared.samples.buffer is a SharedArrayBuffer
 */
export function shareSignals(set: { signals: readonly Float32Array[]; sampleRate: number; labels: ArrayLike<number> }, name = 'signals'): SharedSignals {
  const { signals, labels } = set;
  if (!Array.isArray(signals) || signals.length === 0) throw new RangeError(`${name} must hold at least one clip, got ${describe(signals)}`);
  if (labels.length !== signals.length) throw new RangeError(`${name}: clips and labels must have the same length, got ${signals.length} clips and ${labels.length} labels`);
  const length = signals[0].length;
  const samples = new Float32Array(new SharedArrayBuffer(signals.length * length * 4));
  signals.forEach((s, i) => {
    if (s.length !== length) throw new RangeError(`${name}[${i}] has ${s.length} samples, expected ${length} like ${name}[0] (fit the clips to one length first)`);
    samples.set(s, i * length);
  });
  const shared = new Int32Array(new SharedArrayBuffer(labels.length * 4));
  shared.set(Array.from(labels));
  return { count: signals.length, length, sampleRate: set.sampleRate, samples, labels: shared };
}

/**
 * Views shared clips as ordinary labeled signals (no copy).
 *
 * @example
 * const { signals, labels, sampleRate } = unshareSignals(shared);
 */
export function unshareSignals(shared: SharedSignals): LabeledSignals {
  const signals: Float32Array[] = new Array(shared.count);
  for (let i = 0; i < shared.count; i++) signals[i] = shared.samples.subarray(i * shared.length, (i + 1) * shared.length);
  return { signals, sampleRate: shared.sampleRate, labels: Array.from(shared.labels) };
}

/**
 * Shares the clips of a prepared audio sweep (already fitted to one length).
 *
 * @example
 * const shared = shareAudioDataset(prepareAudioEstimate(options));
 */
export function shareAudioDataset(prepared: PreparedAudioEstimate): SharedAudioDataset {
  const { sampleRate } = prepared;
  return {
    train: shareSignals({ signals: prepared.train.signals, sampleRate, labels: prepared.train.labels }, 'data.train.signals'),
    test: shareSignals({ signals: prepared.test.signals, sampleRate, labels: prepared.test.labels }, 'data.test.signals'),
  };
}

// ---------------------------------------------------------------------------------------------
// Compression and featurization of a data set on every core

interface FeatureInit {
  data: SharedAudioDataset;
  features: ResolvedAudioFeatureOptions;
}

interface FeatureJob {
  split: 'train' | 'test';
  level: number;
  start: number;
  end: number;
}

const FEATURE_TASK = 'helmholtz-ml/audio-features';

registerWorkerTask<FeatureInit, FeatureJob, AudioFeatureBatch>(FEATURE_TASK, {
  init: (init) => {
    const sets = { train: unshareSignals(init.data.train), test: unshareSignals(init.data.test) };
    return async (job) => compressAndFeaturize(sets[job.split].signals.slice(job.start, job.end), init.features.sampleRate, job.level, init.features);
  },
});

/** A featurizer backed by worker threads; close it when done. */
export interface AudioFeaturizerPool {
  /** Compressed features of a split at a level, computed in chunks on every worker. */
  featurize: AudioLevelFeaturizer;
  close(): Promise<void>;
}

/**
 * Starts worker threads that run the MP3 round trips and mel features of a prepared audio sweep:
 * each call of `featurize(split, level)` cuts the split into chunks (four per worker) and
 * returns the features in clip order, equal to `compressAndFeaturize` in one thread.
 *
 * @param workers - threads to start (default: one per core)
 * @example
 * const pool = createAudioFeaturizerPool(prepared, shareAudioDataset(prepared), { workers: 2 });
 * const train = await pool.featurize('train', 32);
 * await pool.close();
 */
export function createAudioFeaturizerPool(
  prepared: PreparedAudioEstimate,
  data: SharedAudioDataset,
  options: { workers?: number } = {},
): AudioFeaturizerPool {
  const size = checkInteger('workers', options.workers ?? defaultWorkerCount(), 1, 1024);
  const pool: WorkerPool<FeatureJob, AudioFeatureBatch> = createWorkerPool<FeatureInit, FeatureJob, AudioFeatureBatch>({
    task: FEATURE_TASK,
    entry: (import.meta as { url?: string }).url,
    init: { data, features: prepared.features },
    size,
  });
  const featurize: AudioLevelFeaturizer = async (split, level, signal) => {
    const count = data[split].count;
    const chunks = Math.min(count, size * 4);
    const jobs: FeatureJob[] = [];
    for (let c = 0; c < chunks; c++) {
      jobs.push({ split, level, start: Math.floor((c * count) / chunks), end: Math.floor(((c + 1) * count) / chunks) });
    }
    const parts = await Promise.all(jobs.map((job) => pool.run(job, { signal })));
    const { nMels, nFrames } = parts[0];
    const out = new Float32Array(count * nMels * nFrames);
    let offset = 0;
    for (const part of parts) {
      out.set(part.data, offset);
      offset += part.data.length;
    }
    return { data: out, count, nMels, nFrames };
  };
  return { featurize, close: () => pool.close() };
}

// ---------------------------------------------------------------------------------------------
// One level per worker

/** The structured-clonable options a level worker rebuilds the prepared sweep from. */
export type SerializableAudioOptions = Pick<
  AudioEstimateNoiseOptions,
  'levels' | 'model' | 'modelOptions' | 'epochs' | 'batchSize' | 'optimizer' | 'seed' | 'sourceBits' | 'measureSamples' | 'features'
>;

interface AudioLevelInit extends LevelWorkerInit {
  data: SharedAudioDataset;
  options: SerializableAudioOptions;
}

const AUDIO_LEVEL_TASK = 'helmholtz-ml/audio-level';

registerLevelTask(
  AUDIO_LEVEL_TASK,
  (init: AudioLevelInit) =>
    prepareAudioEstimate({
      ...init.options,
      modality: 'audio',
      data: { train: unshareSignals(init.data.train), test: unshareSignals(init.data.test) },
    }),
  runAudioLevel,
);

/** The options a level worker needs, from the prepared sweep (defaults resolved). */
export function serializableAudioOptions(prepared: PreparedAudioEstimate, features: AudioFeatureOptions | undefined): SerializableAudioOptions {
  return {
    levels: prepared.grid,
    model: typeof prepared.model === 'function' ? 'A' : prepared.model,
    modelOptions: prepared.modelOptions,
    epochs: prepared.epochs,
    batchSize: prepared.batchSize,
    optimizer: typeof prepared.optimizer === 'string' ? prepared.optimizer : 'adam',
    seed: prepared.seed,
    sourceBits: prepared.sourceBits,
    measureSamples: prepared.measureSamples,
    features: { ...features, duration: prepared.features.length / prepared.sampleRate },
  };
}

/**
 * A pool of level workers for the audio sweep: each worker prepares the sweep once from the
 * shared clips and trains the levels it is given (its own tfjs on `backend`), compressing and
 * featurizing in its own thread, its backend on `threads` threads (default: the cores shared out
 * among the workers). Used by `estimateNoise` in `helmholtz-ml/node`.
 *
 * @example
 * const pool = createAudioLevelPool(prepared, options.features, 'wasm', 2);
 * const result = await pool.run({ level: 32, levelIndex: 0, levelCount: 1 });
 * await pool.close();
 */
export function createAudioLevelPool(
  prepared: PreparedAudioEstimate,
  features: AudioFeatureOptions | undefined,
  backend: BackendPreference,
  size: number,
  threads = threadsPerWorker(size),
): WorkerPool<LevelJob, LevelResult> {
  return createWorkerPool<AudioLevelInit, LevelJob, LevelResult>({
    task: AUDIO_LEVEL_TASK,
    entry: (import.meta as { url?: string }).url,
    init: { data: shareAudioDataset(prepared), backend, threads, options: serializableAudioOptions(prepared, features) },
    size,
  });
}

/**
 * SHA-256 (hex, first 16 characters) of a prepared audio sweep's clips (fitted to one length),
 * labels and sample rate, with the clip counts: the data key of its results file, so that a
 * sweep is never resumed on other clips.
 *
 * @example
 * audioDataFingerprint(prepareAudioEstimate(options)); // { train: 288, test: 96, sha256: '9c1e…' }
 */
export function audioDataFingerprint(prepared: PreparedAudioEstimate): { train: number; test: number; sha256: string } {
  const hash = createHash('sha256');
  hash.update(`audio ${prepared.sampleRate} Hz, ${prepared.features.length} samples;`);
  for (const part of [prepared.train, prepared.test]) {
    hash.update(`${part.signals.length};`);
    part.signals.forEach((s, i) => {
      hash.update(`${part.labels[i]};`);
      hash.update(new Uint8Array(s.buffer, s.byteOffset, s.byteLength));
    });
  }
  return { train: prepared.train.signals.length, test: prepared.test.signals.length, sha256: hash.digest('hex').slice(0, 16) };
}
