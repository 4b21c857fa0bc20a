/**
 * `estimateNoise` for Node: the core sweep plus a tfjs backend choice, levels trained in
 * parallel on worker threads (one tfjs instance each, the data shared without copies), and a
 * results file that makes a long sweep resumable.
 */
import {
  estimateNoise as estimateNoiseCore,
  prepareEstimate,
  runLevel,
  type PreparedEstimate,
} from '../noise/estimate.js';
import { prepareAudioEstimate, runAudioLevel, type PreparedAudioEstimate } from '../noise/audio-sweep.js';
import type { EstimateNoiseOptions, ImageDataset, LevelResult, LevelRunner, NoiseEstimate } from '../noise/types.js';
import { checkInteger, checkOneOf, describe } from '../util/checks.js';
import { createAudioFeaturizerPool, createAudioLevelPool, shareAudioDataset, audioDataFingerprint, type AudioFeaturizerPool } from './audio-sweep.js';
import { threadsPerWorker, useBackend, type BackendPreference } from './backend.js';
import { poolLevelRunner, registerLevelTask, type LevelJob, type LevelWorkerInit } from './level-worker.js';
import {
  createWorkerPool,
  defaultWorkerCount,
  shareDataset,
  unshareImages,
  type SharedImageDataset,
  type WorkerPool,
} from './parallel.js';
import { openResultsFile, sweepSettings, type ResultsFile } from './results-file.js';

/** Options of the Node {@link estimateNoise}: the core's, plus backend, workers and a results file. */
export type NodeEstimateNoiseOptions = EstimateNoiseOptions & {
  /**
   * tfjs backend: `'auto'` (default: the fastest available, see `useBackend`), `'tensorflow'`
   * (tfjs-node, when installed), `'wasm'`, `'cpu'`. Every worker uses the same.
   */
  backend?: BackendPreference;
  /**
   * Worker threads training levels at once (each its own tfjs instance). Default `'auto'`: one
   * per core (`os.availableParallelism()`), at most one per level to train; 1 with the
   * `'tensorflow'` backend (multi-threaded already) or with a custom model function or
   * optimizer object (functions cannot be sent to threads). `1` trains in this thread.
   */
  workers?: number | 'auto';
  /**
   * Threads of the backend of each trainer (this thread, or each worker): `'auto'` (default)
   * shares the cores out among the workers, `floor(cores / workers)` and at least 1, so that a
   * sweep in this thread runs the wasm backend on every core and 2 workers on 2 cores run one
   * thread each. Used by the `'wasm'` backend only (see `useBackend`'s `threads`).
   */
  threads?: number | 'auto';
  /**
   * JSON file receiving each level as it finishes (atomically). On a rerun with the same
   * settings its finished levels are not trained again; a file with other settings is refused
   * (the error names the differing key). A string, or `{ path, existing }` where `existing` is
   * `'resume'` (default), `'overwrite'` or `'refuse'`.
   */
  resultsFile?: string | { path: string; existing?: 'resume' | 'overwrite' | 'refuse' };
};

/** What an image level worker receives once. */
interface ImageLevelInit extends LevelWorkerInit {
  data: SharedImageDataset;
  options: SerializableOptions;
}

/** The options a worker needs to rebuild the prepared estimate (all structured-clonable). */
type SerializableOptions = Pick<
  EstimateNoiseOptions,
  'levels' | 'model' | 'modelOptions' | 'epochs' | 'batchSize' | 'optimizer' | 'augment' | 'seed' | 'sourceBits' | 'measureSamples'
>;

const LEVEL_TASK = 'helmholtz-ml/level';

registerLevelTask(
  LEVEL_TASK,
  (init: ImageLevelInit): PreparedEstimate =>
    prepareEstimate({ ...init.options, data: { train: unshareImages(init.data.train), test: unshareImages(init.data.test) } }),
  runLevel,
);

/**
 * Estimates how much of a labeled image data set is noise (see the core `estimateNoise` in
 * `helmholtz-ml`), in Node: on the chosen tfjs backend, levels trained concurrently on worker
 * threads, each finished level persisted to `resultsFile` so an interrupted sweep resumes.
 * All options are checked before any work starts. The returned estimate's `backend` names the
 * backend that trained.
 *
 * @example
 * import { estimateNoise, loadIdxDataset, subsetImages } from 'helmholtz-ml/node';
 * const fashion = await loadIdxDataset('/usr/share/datasets/fashion-mnist');
 * const estimate = await estimateNoise({
 *   data: { train: subsetImages(fashion.train, 3000), test: subsetImages(fashion.test, 1000) },
 *   levels: [1, 5, 20, 100], modelOptions: { widthMultiplier: 0.25 }, epochs: 5, batchSize: 64,
 *   resultsFile: 'fashion.json', workers: 'auto',
 * });
 * console.log(estimate.knee, estimate.contentBits, estimate.recommendation.reason);
 */
export async function estimateNoise(options: NodeEstimateNoiseOptions): Promise<NoiseEstimate> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object { data, levels, ... }, got ${describe(options)}`);
  }
  const { backend: backendOption, workers: workersOption, threads: threadsOption, resultsFile: resultsOption, ...core } = options;
  const backendPreference = checkOneOf('backend', backendOption ?? 'auto', ['auto', 'tensorflow', 'wasm', 'cpu'] as const);
  if (workersOption !== undefined && workersOption !== 'auto') checkInteger('workers', workersOption, 1, 1024);
  if (threadsOption !== undefined && threadsOption !== 'auto') checkInteger('threads', threadsOption, 1, 256);
  const transferable = typeof core.model !== 'function' && (core.optimizer === undefined || typeof core.optimizer === 'string');
  if (typeof workersOption === 'number' && workersOption > 1 && !transferable) {
    throw new RangeError(
      `workers must be 1 (or "auto") with a custom model function or optimizer object: functions and tf.Optimizer objects cannot be sent to worker threads; got workers ${workersOption}`,
    );
  }
  if (core.levelRunner !== undefined && workersOption !== undefined && workersOption !== 1) {
    throw new RangeError(`workers cannot be combined with levelRunner (a custom runner replaces the worker pool); got workers ${describe(workersOption)}`);
  }
  // Every check of the core runs here, before a backend loads, a file is touched or a worker starts.
  const prepared = core.modality === 'audio' ? prepareAudioEstimate(core) : prepareEstimate(core);
  const results = resultsOption === undefined ? null : typeof resultsOption === 'string' ? { path: resultsOption } : resultsOption;
  if (results !== null && (typeof results.path !== 'string' || results.path.length === 0)) {
    throw new TypeError(`resultsFile must be a path string or { path, existing }, got ${describe(results.path)}`);
  }

  const threadsFor = (trainers: number): number => (threadsOption === undefined || threadsOption === 'auto' ? threadsPerWorker(trainers) : threadsOption);
  const backend = await useBackend(backendPreference, { threads: threadsFor(1) });
  let file: ResultsFile | null = null;
  let completed: LevelResult[] = core.completedLevels ?? [];
  if (results) {
    file = await openResultsFile(results.path, settingsOf(core, prepared), { existing: results.existing ?? 'resume' });
    const given = new Set(completed.map((r) => r.level));
    completed = [...completed, ...file.levels.filter((r) => prepared.grid.includes(r.level) && !given.has(r.level))];
  }
  const toTrain = prepared.grid.filter((l) => !completed.some((r) => r.level === l)).length;
  const workers =
    core.levelRunner !== undefined
      ? 1
      : workersOption === undefined || workersOption === 'auto'
        ? transferable && backend !== 'tensorflow'
          ? Math.max(1, Math.min(defaultWorkerCount(), toTrain))
          : 1
        : workersOption;

  let pool: WorkerPool<LevelJob, LevelResult> | null = null;
  let levelRunner: LevelRunner | undefined = core.levelRunner;
  let featurizer: AudioFeaturizerPool | null = null;
  if (workers > 1 && prepared.modality === 'audio') {
    // Audio: each worker compresses, featurizes and trains its own levels.
    pool = createAudioLevelPool(prepared, core.modality === 'audio' ? core.features : undefined, backendPreference, workers, threadsFor(workers));
    levelRunner = poolLevelRunner(pool);
  } else if (prepared.modality === 'audio') {
    // Audio, levels trained in this thread: each level's MP3 round trips and features on every core.
    const f = levelRunner === undefined && defaultWorkerCount() > 1 ? createAudioFeaturizerPool(prepared, shareAudioDataset(prepared)) : null;
    featurizer = f;
    if (f) levelRunner = (level, context) => runAudioLevel(prepared, level, context, f.featurize);
  } else if (workers > 1) {
    const serializable: SerializableOptions = {
      levels: prepared.grid,
      model: prepared.model,
      modelOptions: prepared.modelOptions,
      epochs: prepared.epochs,
      batchSize: prepared.batchSize,
      optimizer: prepared.optimizer,
      augment: prepared.augment,
      seed: prepared.seed,
      sourceBits: prepared.sourceBits,
      measureSamples: prepared.measureSamples,
    };
    pool = createWorkerPool<ImageLevelInit, LevelJob, LevelResult>({
      task: LEVEL_TASK,
      entry: (import.meta as { url?: string }).url,
      init: { data: shareDataset(core.data as ImageDataset), backend: backendPreference, threads: threadsFor(workers), options: serializable },
      size: workers,
    });
    levelRunner = poolLevelRunner(pool);
  }

  try {
    const userComplete = core.onLevelComplete;
    const estimate = await estimateNoiseCore({
      ...core,
      completedLevels: completed,
      levelRunner,
      concurrency: workers > 1 ? workers : core.concurrency,
      onLevelComplete: async (result) => {
        await file?.saveLevel(result);
        await userComplete?.(result);
      },
    });
    const workerBackends = pool ? ((await pool.ready) as { backend?: string }[]).map((i) => i?.backend).filter(Boolean) : [];
    const result: NoiseEstimate = {
      ...estimate,
      backend: core.levelRunner ? estimate.backend : (workerBackends[0] ?? backend),
    };
    await file?.saveEstimate(result);
    return result;
  } finally {
    await pool?.close();
    await featurizer?.close();
  }
}

/** What the results file compares (prepared values, so "unset" equals "set to the default"). */
function settingsOf(core: EstimateNoiseOptions, prepared: PreparedEstimate | PreparedAudioEstimate) {
  return sweepSettings({
    data: prepared.modality === 'audio' ? audioDataFingerprint(prepared) : (core.data as ImageDataset),
    modality: prepared.modality,
    ...(prepared.modality === 'audio' ? { features: { ...prepared.features } } : {}),
    model: typeof prepared.model === 'function' ? 'custom' : prepared.model,
    modelOptions: prepared.modelOptions,
    epochs: prepared.epochs,
    batchSize: prepared.batchSize,
    optimizer: typeof prepared.optimizer === 'string' ? prepared.optimizer : 'custom',
    augment: prepared.augment,
    seed: prepared.seed,
  });
}
