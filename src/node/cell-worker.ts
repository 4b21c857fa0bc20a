/**
 * The one cell worker of every modality and codec: a worker thread loads a tfjs backend,
 * prepares the sweep once from its options and the shared packed data (`prepareSweep`), then
 * trains the cells it is sent (`runCell`), posting progress events back.
 */
import type { PackedData } from '../noise/featurizer.js';
import { runCell } from '../noise/cell.js';
import { prepareSweep, workerOptions, type PreparedSweep, type SweepWorkerOptions } from '../noise/prepare.js';
import type { Cell, CellRunner, EstimateNoiseOptions, ProgressEvent, RunResult } from '../noise/types.js';
import { useBackend, type BackendPreference } from './backend.js';
import { createWorkerPool, registerWorkerTask, type WorkerPool } from './parallel.js';
import { shareData } from './share.js';

/** One cell sent to a cell worker. */
export interface CellJob {
  cell: Cell;
  levelIndex: number;
  levelCount: number;
}

/** What every cell worker receives once. */
export interface CellWorkerInit {
  backend: BackendPreference;
  /** Threads of each worker's backend: the cores shared out among the workers. */
  threads: number;
  options: SweepWorkerOptions;
  /** The prepared sweep's packed data, on SharedArrayBuffers. */
  data: PackedData<unknown, unknown>;
}

const CELL_TASK = 'helmholtz-ml/cell';

registerWorkerTask<CellWorkerInit, CellJob, RunResult>(CELL_TASK, {
  init: async (init) => {
    const backend = await useBackend(init.backend, { threads: init.threads });
    const prepared = prepareSweep({ ...init.options, data: undefined } as unknown as EstimateNoiseOptions, init.data);
    const run = async (job: CellJob, post: (message: unknown) => void): Promise<RunResult> =>
      runCell(prepared, job.cell, { levelIndex: job.levelIndex, levelCount: job.levelCount, onProgress: (event) => post(event) });
    return Object.assign(run, { info: { backend } });
  },
});

/**
 * A pool of cell workers for a prepared sweep (its data shared, not copied), each on its own
 * tfjs `backend` with `threads` threads.
 *
 * @example
 * const pool = createCellPool(prepared, 'wasm', 2, 1);
 * const run = await pool.run({ cell: { level: 50, repeat: 0 }, levelIndex: 0, levelCount: 1 });
 * await pool.close();
 */
export function createCellPool(prepared: PreparedSweep, backend: BackendPreference, size: number, threads: number): WorkerPool<CellJob, RunResult> {
  return createWorkerPool<CellWorkerInit, CellJob, RunResult>({
    task: CELL_TASK,
    entry: (import.meta as { url?: string }).url,
    init: { backend, threads, options: workerOptions(prepared), data: shareData(prepared.data) },
    size,
  });
}

/**
 * A `cellRunner` that trains each cell on a pool of cell workers, forwarding their progress
 * events and the abort signal.
 *
 * @example
 * const cellRunner = poolCellRunner(createCellPool(prepared, 'wasm', 2, 1));
 */
export function poolCellRunner(pool: WorkerPool<CellJob, RunResult>): CellRunner {
  return (cell, context) =>
    pool.run(
      { cell, levelIndex: context.levelIndex, levelCount: context.levelCount },
      { signal: context.signal, onMessage: (m) => context.onProgress?.(m as ProgressEvent) },
    );
}
