/**
 * Level workers: worker threads that each load a tfjs backend, prepare a sweep once and train
 * the levels they are sent, posting progress events back. Shared by the image sweep
 * (src/node/estimate.ts) and the audio sweep (src/node/audio-sweep.ts).
 */
import type { LevelResult, LevelRunContext, LevelRunner, ProgressEvent } from '../noise/types.js';
import { useBackend, type BackendPreference } from './backend.js';
import { registerWorkerTask, type WorkerPool } from './parallel.js';

/** One level sent to a level worker. */
export interface LevelJob {
  level: number;
  levelIndex: number;
  levelCount: number;
}

/** What every level worker receives once, besides its data and options. */
export interface LevelWorkerInit {
  backend: BackendPreference;
  /** Threads of each worker's backend: the cores shared out among the workers. */
  threads: number;
}

/**
 * Registers a level-worker task (at module load, like `registerWorkerTask`): each worker loads
 * `init.backend` on `init.threads` threads, calls `prepare(init)` once, then trains each job
 * with `runLevel`, posting its progress events; the pool's `ready` reports `{ backend }`.
 *
 * @example
 * registerLevelTask(LEVEL_TASK, (init: MyInit) => prepareEstimate(init.options), runLevel);
 */
export function registerLevelTask<Init extends LevelWorkerInit, Prepared>(
  task: string,
  prepare: (init: Init) => Prepared,
  runLevel: (prepared: Prepared, level: number, context: LevelRunContext) => Promise<LevelResult>,
): void {
  registerWorkerTask<Init, LevelJob, LevelResult>(task, {
    init: async (init) => {
      const backend = await useBackend(init.backend, { threads: init.threads });
      const prepared = prepare(init);
      const run = async (job: LevelJob, post: (message: unknown) => void): Promise<LevelResult> =>
        runLevel(prepared, job.level, { levelIndex: job.levelIndex, levelCount: job.levelCount, onProgress: (event) => post(event) });
      return Object.assign(run, { info: { backend } });
    },
  });
}

/**
 * A `levelRunner` that trains each level on a pool of level workers, forwarding their progress
 * events and the abort signal.
 *
 * @example
 * const levelRunner = poolLevelRunner(createAudioLevelPool(prepared, features, 'wasm', 2));
 */
export function poolLevelRunner(pool: WorkerPool<LevelJob, LevelResult>): LevelRunner {
  return (level, context) =>
    pool.run(
      { level, levelIndex: context.levelIndex, levelCount: context.levelCount },
      { signal: context.signal, onMessage: (m) => context.onProgress?.(m as ProgressEvent) },
    );
}
