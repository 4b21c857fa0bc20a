/**
 * `estimateNoise` for Node: the core sweep plus a tfjs backend choice, cells trained in parallel
 * on worker threads (one tfjs instance each, the data shared without copies), round trips on
 * every core when cells train in this thread, and a results file that makes a long sweep
 * resumable cell by cell. One path for every modality and codec.
 */
import { createHash } from 'node:crypto';
import type { ImageBatch } from '../image/image.js';
import type { SignalBatch } from '../codecs/codec.js';
import type { LevelCompressor } from '../noise/cell.js';
import { runCell } from '../noise/cell.js';
import { runSweep } from '../noise/estimate.js';
import { cellSettings, prepareSweep, type PreparedSweep } from '../noise/prepare.js';
import type { CellRunner, EstimateNoiseOptions, NoiseEstimate, RunResult } from '../noise/types.js';
import { checkInteger, checkOneOf, describe } from '../util/checks.js';
import { threadsPerWorker, useBackend, type BackendPreference } from './backend.js';
import { createCellPool, poolCellRunner, type CellJob } from './cell-worker.js';
import { jpegRoundTripBatchParallel } from './jpeg-pool.js';
import { createMp3RoundTripPool } from './mp3-pool.js';
import { defaultWorkerCount, type WorkerPool } from './parallel.js';
import { openResultsFile, sweepSettings, type ResultsFile } from './results-file.js';

/** Options of the Node {@link estimateNoise}: the core's, plus backend, workers and a results file. */
export type NodeEstimateNoiseOptions = EstimateNoiseOptions & {
  /**
   * tfjs backend: `'auto'` (default: the fastest available, see `useBackend`), `'tensorflow'`
   * (tfjs-node, when installed), `'wasm'`, `'cpu'`. Every worker uses the same.
   */
  backend?: BackendPreference;
  /**
   * Worker threads training cells at once (each its own tfjs instance). Default `'auto'`: one
   * per core (`os.availableParallelism()`), at most one per cell to train; 1 with the
   * `'tensorflow'` backend (multi-threaded already) or with a custom model function or
   * optimizer object (functions cannot be sent to threads). `1` trains in this thread.
   */
  workers?: number | 'auto';
  /**
   * Threads of the backend of each trainer (this thread, or each worker): `'auto'` (default)
   * shares the cores out among the workers, `floor(cores / workers)` and at least 1. Used by the
   * `'wasm'` backend only (see `useBackend`'s `threads`).
   */
  threads?: number | 'auto';
  /**
   * JSON file receiving each cell as it finishes (atomically). On a rerun with the same
   * settings its finished cells are not trained again (raise `repeats` to add cells); a file
   * with other settings is refused (the error names the differing key). A string, or
   * `{ path, existing }` where `existing` is `'resume'` (default), `'overwrite'` or `'refuse'`.
   */
  resultsFile?: string | { path: string; existing?: 'resume' | 'overwrite' | 'refuse' };
  /**
   * Trains the cells elsewhere (e.g. `createQueueRunner` of BullMQ workers on other machines)
   * instead of the local worker pool: opened once with the prepared sweep, closed at the end.
   * Excludes `workers` and `cellRunner`.
   */
  runner?: SweepRunner;
};

/** A prepared sweep's identity, as a {@link SweepRunner} receives it. */
export interface SweepIdentity {
  /** The results-file settings of the sweep (with the data fingerprint in `data`). */
  settings: ReturnType<typeof sweepSettings>;
  /** SHA-256 (hex, 16 characters) of `settings`: cells are keyed (key, level, repeat). */
  key: string;
}

/** A cell runner opened for one sweep. */
export interface OpenedSweepRunner {
  cellRunner: CellRunner;
  /** Cells in flight at once (e.g. every cell, for a queue). */
  concurrency: number;
  close(): Promise<void>;
}

/** Runs the cells of a sweep somewhere else (the hook of `runner`). */
export interface SweepRunner {
  open(prepared: PreparedSweep, identity: SweepIdentity): Promise<OpenedSweepRunner>;
}

/** A round trip of whole splits on every core, kept for the sweep. */
interface ParallelRoundTrip {
  run(batch: never, level: number): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Round trips of a whole split on every core, for codecs that have a Node batch pool (a codec
 * without one runs its own `roundTrip` in this thread). One line per codec.
 */
const PARALLEL_ROUND_TRIPS: Record<string, () => ParallelRoundTrip> = {
  jpeg: () => ({ run: (batch: ImageBatch, level: number) => jpegRoundTripBatchParallel(batch, level), close: async () => undefined }),
  mp3: () => {
    const pool = createMp3RoundTripPool(defaultWorkerCount());
    return {
      run: async (batch: SignalBatch, level: number) => ({ signals: await pool.roundTrip(batch.signals, batch.sampleRate, level), sampleRate: batch.sampleRate }),
      close: () => pool.close(),
    };
  },
};

/**
 * The settings a results file records for a prepared sweep (prepared values, so "unset" equals
 * "set to the default"), with the fingerprint of its packed data.
 *
 * @example
 * const settings = resultsSettings(prepareSweep(options));
 */
export function resultsSettings(prepared: PreparedSweep): ReturnType<typeof sweepSettings> {
  return sweepSettings({ ...cellSettings(prepared), data: prepared.data });
}

/**
 * Estimates how much of a labeled data set is noise (see the core `estimateNoise` in
 * `helmholtz-ml`), in Node: on the chosen tfjs backend, cells trained concurrently on worker
 * threads, each finished cell persisted to `resultsFile` so an interrupted sweep resumes.
 * All options are checked before any work starts. The returned estimate's `backend` names the
 * backend that trained.
 *
 * @example
 * import { estimateNoise, loadIdxDataset, subsetImages } from 'helmholtz-ml/node';
 * const fashion = await loadIdxDataset('/usr/share/datasets/fashion-mnist');
 * const estimate = await estimateNoise({
 *   data: { train: subsetImages(fashion.train, 3000), test: subsetImages(fashion.test, 1000) },
 *   levels: [1, 5, 20, 100], modelOptions: { widthMultiplier: 0.25 }, epochs: 5, batchSize: 64,
 *   repeats: 3, resultsFile: 'fashion.json', workers: 'auto',
 * });
 * console.log(estimate.knee, estimate.levels.map((l) => l.accuracyCi), estimate.recommendation.reason);
 */
export async function estimateNoise(options: NodeEstimateNoiseOptions): Promise<NoiseEstimate> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object { data, levels, ... }, got ${describe(options)}`);
  }
  const { backend: backendOption, workers: workersOption, threads: threadsOption, resultsFile: resultsOption, runner: sweepRunner, ...core } = options;
  const backendPreference = checkOneOf('backend', backendOption ?? 'auto', ['auto', 'tensorflow', 'wasm', 'cpu'] as const);
  if (workersOption !== undefined && workersOption !== 'auto') checkInteger('workers', workersOption, 1, 1024);
  if (threadsOption !== undefined && threadsOption !== 'auto') checkInteger('threads', threadsOption, 1, 256);
  const transferable = typeof core.model !== 'function' && (core.optimizer === undefined || typeof core.optimizer === 'string');
  if (typeof workersOption === 'number' && workersOption > 1 && !transferable) {
    throw new RangeError(
      `workers must be 1 (or "auto") with a custom model function or optimizer object: functions and tf.Optimizer objects cannot be sent to worker threads; got workers ${workersOption}`,
    );
  }
  if (core.cellRunner !== undefined && workersOption !== undefined && workersOption !== 1) {
    throw new RangeError(`workers cannot be combined with cellRunner (a custom runner replaces the worker pool); got workers ${describe(workersOption)}`);
  }
  if (sweepRunner !== undefined && (typeof sweepRunner !== 'object' || sweepRunner === null || typeof sweepRunner.open !== 'function')) {
    throw new TypeError(`runner must be an object with open(prepared, identity) (e.g. createQueueRunner(...)), got ${describe(sweepRunner)}`);
  }
  if (sweepRunner !== undefined && (core.cellRunner !== undefined || (workersOption !== undefined && workersOption !== 1 && workersOption !== 'auto'))) {
    throw new RangeError('runner cannot be combined with cellRunner or workers (the runner trains the cells)');
  }
  // Every check of the core runs here, before a backend loads, a file is touched or a worker starts.
  const prepared = prepareSweep(core);
  const results = resultsOption === undefined ? null : typeof resultsOption === 'string' ? { path: resultsOption } : resultsOption;
  if (results !== null && (typeof results.path !== 'string' || results.path.length === 0)) {
    throw new TypeError(`resultsFile must be a path string or { path, existing }, got ${describe(results.path)}`);
  }

  const threadsFor = (trainers: number): number => (threadsOption === undefined || threadsOption === 'auto' ? threadsPerWorker(trainers) : threadsOption);
  const backend = await useBackend(backendPreference, { threads: threadsFor(1) });
  let file: ResultsFile | null = null;
  let completed: RunResult[] = core.completedCells ?? [];
  if (results) {
    file = await openResultsFile(results.path, resultsSettings(prepared), { existing: results.existing ?? 'resume' });
    const key = (c: RunResult): string => `${c.level}/${c.repeat}`;
    const given = new Set(completed.map(key));
    completed = [...completed, ...file.cells.filter((c) => prepared.grid.includes(c.level) && c.repeat < prepared.repeats && !given.has(key(c)))];
  }
  const done = new Set(completed.map((c) => `${c.level}/${c.repeat}`));
  const toTrain = prepared.grid.length * prepared.repeats - prepared.grid.reduce((n, l) => n + Array.from({ length: prepared.repeats }, (_, r) => done.has(`${l}/${r}`)).filter(Boolean).length, 0);
  const workers =
    core.cellRunner !== undefined || sweepRunner !== undefined
      ? 1
      : workersOption === undefined || workersOption === 'auto'
        ? transferable && backend !== 'tensorflow'
          ? Math.max(1, Math.min(defaultWorkerCount(), toTrain))
          : 1
        : workersOption;

  let pool: WorkerPool<CellJob, RunResult> | null = null;
  let cellRunner: CellRunner | undefined = core.cellRunner;
  let roundTrips: ParallelRoundTrip | null = null;
  let opened: OpenedSweepRunner | null = null;
  if (sweepRunner) {
    const settings = resultsSettings(prepared);
    opened = await sweepRunner.open(prepared, { settings, key: createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16) });
    cellRunner = opened.cellRunner;
  } else if (workers > 1) {
    pool = createCellPool(prepared, backendPreference, workers, threadsFor(workers));
    cellRunner = poolCellRunner(pool);
  } else if (cellRunner === undefined && defaultWorkerCount() > 1) {
    // Cells trained in this thread: each level's round trips on every core, where the codec has a pool.
    const start = PARALLEL_ROUND_TRIPS[prepared.codec.name];
    if (start) {
      const parallel = start();
      roundTrips = parallel;
      const compress: LevelCompressor = (split, level) => parallel.run(prepared.data[split] as never, level);
      cellRunner = (cell, context) => runCell(prepared, cell, context, compress);
    }
  }

  try {
    const userComplete = core.onCellComplete;
    // runSweep runs `prepared.concurrency` cells at once: one per worker thread (or queue slot).
    const concurrency = opened ? opened.concurrency : workers > 1 ? workers : prepared.concurrency;
    const estimate = await runSweep({ ...prepared, concurrency }, {
      ...core,
      completedCells: completed,
      cellRunner,
      onCellComplete: async (result) => {
        await file?.saveCell(result);
        await userComplete?.(result);
      },
    } as EstimateNoiseOptions);
    const workerBackends = pool ? ((await pool.ready) as { backend?: string }[]).map((i) => i?.backend).filter(Boolean) : [];
    const result: NoiseEstimate = {
      ...estimate,
      backend: core.cellRunner || opened ? estimate.backend : (workerBackends[0] ?? backend),
    };
    await file?.saveEstimate(result);
    return result;
  } finally {
    await pool?.close();
    await opened?.close();
    await roundTrips?.close();
  }
}
