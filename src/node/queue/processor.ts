/**
 * The sandboxed processor of a queue worker: BullMQ runs this file in a worker thread (one per
 * concurrent cell), so a CPU-bound training never blocks the worker's lock renewal. It loads the
 * tfjs backend once, the data of a reference once (cached between cells) with the worker's
 * loader module, prepares the sweep once per sweep key, checks the data fingerprint against the
 * coordinator's, and trains the cell (`runCell`), reporting progress as job progress.
 */
import type { SandboxedJob } from 'bullmq';
import { runCell } from '../../noise/cell.js';
import { prepareSweep, type PreparedSweep } from '../../noise/prepare.js';
import type { EstimateNoiseOptions, RunResult } from '../../noise/types.js';
import { useBackend } from '../backend.js';
import { dataFingerprint } from '../share.js';
import { WORKER_CONFIG_ENV, type CellJobData, type CellJobProgress, type DataLoaderModule, type WorkerConfig } from './types.js';

let backend: Promise<string> | null = null;
// Loading the processor (a worker's warm-up) starts the backend, so the first cell does not wait for it.
if (process.env[WORKER_CONFIG_ENV]) {
  const worker = config();
  backend = useBackend(worker.backend, { threads: worker.threads });
  backend.catch(() => undefined); // a failure is reported by the first cell
}
const dataCache = new Map<string, Promise<unknown>>();
const sweepCache = new Map<string, { prepared: PreparedSweep; fingerprint: { train: number; test: number; sha256: string } }>();

function config(): WorkerConfig {
  const text = process.env[WORKER_CONFIG_ENV];
  if (!text) throw new Error(`the queue processor needs ${WORKER_CONFIG_ENV} (it runs inside a helmholtz-ml worker)`);
  return JSON.parse(text) as WorkerConfig;
}

/** Keeps the `max` most recently used entries of a map. */
function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): V {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as K);
  return value;
}

async function preparedFor(job: CellJobData, worker: WorkerConfig): Promise<{ prepared: PreparedSweep; fingerprint: { train: number; test: number; sha256: string } }> {
  const cached = sweepCache.get(job.sweep);
  if (cached) return cached;
  const refKey = JSON.stringify(job.data);
  let data = dataCache.get(refKey);
  if (!data) {
    const loader = (await import(worker.loader)) as DataLoaderModule;
    data = remember(dataCache, refKey, loader.loadDataReference(job.data), 2);
    data.catch(() => dataCache.delete(refKey));
  }
  const loaded = await data;
  const { features, ...options } = job.options;
  const prepared = prepareSweep({ ...options, ...(features !== undefined && features !== null ? { features } : {}), data: loaded } as unknown as EstimateNoiseOptions);
  return remember(sweepCache, job.sweep, { prepared, fingerprint: dataFingerprint(prepared.data) }, 2);
}

/**
 * Trains one cell job (BullMQ's sandboxed processor: the default export).
 *
 * @example
 * new Worker('helmholtz-ml', fileURLToPath(new URL('./processor.js', import.meta.url)), { useWorkerThreads: true, connection });
 */
export default async function processCell(job: SandboxedJob<CellJobData, RunResult>): Promise<RunResult> {
  const worker = config();
  backend ??= useBackend(worker.backend, { threads: worker.threads });
  await backend;
  const { prepared, fingerprint } = await preparedFor(job.data, worker);
  const want = job.data.fingerprint;
  if (fingerprint.sha256 !== want.sha256) {
    throw new Error(
      `worker ${worker.name}: its data for ${job.data.data.spec} differs from the coordinator's: ${fingerprint.train} train / ${fingerprint.test} test items (sha256 ${fingerprint.sha256}) here, ${want.train} / ${want.test} (sha256 ${want.sha256}) on the coordinator; give this worker the same files (a shared mount or a copy at the same path)`,
    );
  }
  const { cell, levelIndex, levelCount } = job.data;
  return runCell(prepared, cell, {
    levelIndex,
    levelCount,
    onProgress: (event) => {
      const progress: CellJobProgress = { worker: worker.name, event };
      void Promise.resolve(job.updateProgress(progress as unknown as object)).catch(() => undefined);
    },
  });
}
