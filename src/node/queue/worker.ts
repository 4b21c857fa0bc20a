/**
 * A queue worker: takes cell jobs from a BullMQ queue on Redis and trains each in a sandboxed
 * processor (a worker thread running `processor.ts`), so that training never blocks the lock
 * renewal; returns each cell's result to the queue.
 */
import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'bullmq';
import type { RunResult } from '../../noise/types.js';
import { checkInteger, checkOneOf, describe } from '../../util/checks.js';
import type { BackendPreference } from '../backend.js';
import { parseRedisUrl, type RedisConnection } from './connection.js';
import { DEFAULT_QUEUE, WORKER_CONFIG_ENV, type CellJobData, type WorkerConfig } from './types.js';

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  /** `redis://HOST:PORT` or `{ host, port }`. */
  connection: string | RedisConnection;
  /** Queue name. Default `'helmholtz-ml'`. */
  queue?: string;
  /** The module (URL or path) whose `loadDataReference(reference)` loads a cell's data on this machine. */
  loader: string;
  /** Cells trained at once (one processor thread each). Default 1. */
  concurrency?: number;
  /** tfjs backend of the processors. Default `'auto'`. */
  backend?: BackendPreference;
  /** Threads of each processor's backend (wasm). Default `'auto'`. */
  threads?: number | 'auto';
  /** Shown in progress and errors. Default `host:pid`. */
  name?: string;
  /** Milliseconds a cell's lock lasts without renewal (renewed at half of it). Default 30000. */
  lockDurationMs?: number;
  /** Milliseconds between checks for cells whose worker died. Default 30000. */
  stalledIntervalMs?: number;
  /** Times a cell may be found stalled (its worker died) before it fails. Default 5. */
  maxStalledCount?: number;
  /** One line per event (cell started, done, failed). */
  onEvent?: (line: string) => void;
}

/** A running queue worker. */
export interface QueueWorker {
  readonly name: string;
  /** Stops taking cells, waits for the cells in training, disconnects. */
  close(): Promise<void>;
}

/**
 * The processor file next to this module: the bundle's `processor.js`, or, when running from
 * TypeScript source (tsx, vitest), a small module in the temporary folder that registers tsx in
 * the processor thread and re-exports `processor.ts`.
 */
function processorFile(): string {
  const here = (import.meta as { url?: string }).url || (typeof __filename === 'string' ? pathToFileURL(__filename).href : '');
  if (/\.[cm]?ts$/.test(here)) {
    const source = new URL('./processor.ts', here).href;
    const api = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
    const shim = path.join(tmpdir(), `helmholtz-ml-processor-${createHash('sha256').update(source + api).digest('hex').slice(0, 12)}.mjs`);
    if (!existsSync(shim)) {
      const tmp = `${shim}.${process.pid}.tmp`;
      writeFileSync(tmp, `import { register } from ${JSON.stringify(api)};\nregister();\nconst m = await import(${JSON.stringify(source)});\nexport default m.default;\n`);
      renameSync(tmp, shim);
    }
    return shim;
  }
  const candidates = ['./processor.js', './queue/processor.js', '../node/queue/processor.js'];
  for (const c of candidates) {
    const file = fileURLToPath(new URL(c, here));
    if (existsSync(file)) return file;
  }
  throw new Error(`cannot find the queue processor next to ${here} (tried ${candidates.join(', ')})`);
}

/** BullMQ's pool of sandboxed processors (internal to bullmq 5, hence looked up defensively). */
interface ChildPoolLike {
  retain(file: string): Promise<unknown>;
  release(child: unknown): void;
}

/**
 * Starts the `concurrency` processor threads before the first cell and hands them back to
 * BullMQ's pool, so that no cell pays for a thread's start-up (module loading, the tfjs backend:
 * the processor starts it when loaded). Without BullMQ's pool (another bullmq version) the
 * threads start with the first cells instead.
 */
async function warmUp(worker: Worker, file: string, concurrency: number): Promise<void> {
  const pool = (worker as unknown as { childPool?: Partial<ChildPoolLike> }).childPool;
  if (!pool || typeof pool.retain !== 'function' || typeof pool.release !== 'function') return;
  const children = await Promise.all(Array.from({ length: concurrency }, () => (pool as ChildPoolLike).retain(file)));
  for (const child of children) (pool as ChildPoolLike).release(child);
}

/**
 * Starts a worker on `queue`: each cell job trains in a sandboxed processor thread, with data
 * loaded (and cached) by `loader` from this machine's files.
 *
 * @example
 * const worker = await startQueueWorker({ connection: 'redis://10.0.0.5:6379', loader: new URL('./my-data.js', import.meta.url).href });
 * process.on('SIGTERM', () => void worker.close());
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object { connection, loader, ... }, got ${describe(options)}`);
  const connection = parseRedisUrl(options.connection);
  const queue = options.queue ?? DEFAULT_QUEUE;
  if (typeof queue !== 'string' || queue.length === 0 || queue.includes(':')) throw new RangeError(`queue must be a non-empty name without ":", got ${describe(queue)}`);
  if (typeof options.loader !== 'string' || options.loader.length === 0) throw new TypeError(`loader must be a module URL or path, got ${describe(options.loader)}`);
  const concurrency = checkInteger('concurrency', options.concurrency ?? 1, 1, 256);
  const backend = checkOneOf('backend', options.backend ?? 'auto', ['auto', 'tensorflow', 'wasm', 'cpu'] as const);
  const threads = options.threads === undefined || options.threads === 'auto' ? 'auto' : checkInteger('threads', options.threads, 1, 256);
  const lockDuration = checkInteger('lockDurationMs', options.lockDurationMs ?? 30_000, 200, 3_600_000);
  const stalledInterval = checkInteger('stalledIntervalMs', options.stalledIntervalMs ?? 30_000, 100, 3_600_000);
  const maxStalledCount = checkInteger('maxStalledCount', options.maxStalledCount ?? 5, 0, 1000);
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const loader = options.loader.startsWith('file:') || /^[a-z]+:/.test(options.loader) ? options.loader : new URL(`file://${options.loader}`).href;
  const config: WorkerConfig = { name, backend, threads, loader };
  const say = options.onEvent ?? ((): void => undefined);
  const cellName = (d: CellJobData): string => `level ${d.cell.level} #${d.cell.repeat + 1}`;
  const file = processorFile();
  const worker = new Worker<CellJobData, RunResult>(queue, file, {
    connection,
    concurrency,
    useWorkerThreads: true,
    workerThreadsOptions: { env: { ...process.env, [WORKER_CONFIG_ENV]: JSON.stringify(config) } },
    lockDuration,
    stalledInterval,
    maxStalledCount,
    name,
  });
  worker.on('active', (job) => say(`${name}: training ${cellName(job.data)} (attempt ${job.attemptsMade + 1})`));
  worker.on('completed', (job, result) => say(`${name}: done ${cellName(job.data)}: accuracy ${result.accuracy.toFixed(3)}`));
  worker.on('failed', (job, err) => say(`${name}: failed ${job ? cellName(job.data) : 'a cell'}: ${err.message}`));
  worker.on('error', (err) => say(`${name}: ${err.message}`));
  await worker.waitUntilReady();
  await warmUp(worker, file, concurrency);
  return {
    name,
    close: () => worker.close(),
  };
}
