/**
 * The one worker-thread pool of helmholtz-ml/node: named tasks registered at module load, run on
 * a pool of threads (cells of a sweep, MP3 and JPEG round trips). Data sharing lives in share.ts.
 *
 * The worker script is this very module: a worker loads the file that holds this code (the
 * TypeScript source under tsx or vitest, registering tsx's loader first; or the tsup bundle,
 * `dist/node/index.js`, `dist/node/index.cjs` or `dist/cli/main.js`, which all contain it) and
 * finds `workerData` marked for it. So the pool works from source and from the published package
 * without a separate worker file.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { abortError } from '../util/abort.js';
import { checkInteger } from '../util/checks.js';

/** Marks `workerData` as meant for this module's worker loop. */
const WORKER_FLAG = '__helmholtzWorker';

// ---------------------------------------------------------------------------------------------
// Generic pool

/** A task a worker can run: `init` once per worker, then `run` per job. */
export interface WorkerTask<Init, Job, Result> {
  init(init: Init): Promise<WorkerTaskRunner<Job, Result>> | WorkerTaskRunner<Job, Result>;
}

/** What a worker task's `init` returns. */
export type WorkerTaskRunner<Job, Result> = (job: Job, post: (message: unknown) => void) => Promise<Result>;

const tasks = new Map<string, WorkerTask<never, never, unknown>>();

/**
 * Registers a named task for worker threads. It must be registered at module load (top level)
 * of a module that the worker entry (this module's bundle) imports, so workers find it too.
 *
 * @example
 * registerWorkerTask('square', { init: () => async (n: number) => n * n });
 */
export function registerWorkerTask<Init, Job, Result>(name: string, task: WorkerTask<Init, Job, Result>): void {
  tasks.set(name, task as unknown as WorkerTask<never, never, unknown>);
}

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions<Init> {
  /** Registered task name. */
  task: string;
  /** Sent to every worker once (structured clone; SharedArrayBuffers are shared, not copied). */
  init: Init;
  /** Number of worker threads. Default: {@link defaultWorkerCount}. */
  size?: number;
  /**
   * URL of the module that registers `task` (pass `import.meta.url` from it). Workers import it.
   * Default: this module (or, in a CommonJS bundle, the bundle file).
   */
  entry?: string;
}

/** Per-job options of {@link WorkerPool.run}. */
export interface WorkerJobOptions {
  /** Messages the task posts while it runs (e.g. progress events). */
  onMessage?: (message: unknown) => void;
  /** Aborting terminates the worker running the job (it is replaced for later jobs). */
  signal?: AbortSignal;
}

/** A pool of worker threads running one registered task. */
export interface WorkerPool<Job, Result> {
  readonly size: number;
  /** Runs a job on the next free worker (queued when all are busy). */
  run(job: Job, options?: WorkerJobOptions): Promise<Result>;
  /** What each started worker reported after `init` (e.g. its backend), in start order. */
  readonly ready: Promise<unknown[]>;
  /** Terminates the workers; pending jobs reject. */
  close(): Promise<void>;
}

/**
 * Cores available to this process (`os.availableParallelism()`).
 *
 * @example
 * defaultWorkerCount(); // 2 on a 2-core machine
 */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

type FromWorker =
  | { type: 'ready'; info: unknown }
  | { type: 'init-error'; message: string; stack?: string }
  | { type: 'message'; id: number; message: unknown }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; message: string; name?: string; stack?: string };

interface Slot {
  worker: Worker;
  ready: Promise<unknown>;
  busy: boolean;
  job: { id: number; resolve: (r: unknown) => void; reject: (e: Error) => void; onMessage?: (m: unknown) => void } | null;
}

/**
 * Starts a pool of worker threads for a registered task. Workers start lazily, on the first jobs.
 *
 * @example
 * const pool = createWorkerPool<{}, number, number>({ task: 'square', init: {}, size: 2 });
 * const [a, b] = await Promise.all([pool.run(3), pool.run(4)]);
 * await pool.close();
 */
export function createWorkerPool<Init, Job, Result>(options: WorkerPoolOptions<Init>): WorkerPool<Job, Result> {
  const size = checkInteger('size', options.size ?? defaultWorkerCount(), 1, 1024);
  if (!tasks.has(options.task)) {
    throw new RangeError(`task must be a registered worker task (${[...tasks.keys()].map((k) => JSON.stringify(k)).join(', ')}), got ${JSON.stringify(options.task)}`);
  }
  const slots: Slot[] = [];
  const queue: { job: Job; options: WorkerJobOptions; resolve: (r: Result) => void; reject: (e: Error) => void }[] = [];
  const readyInfos: Promise<unknown>[] = [];
  let nextId = 1;
  let closed = false;

  const startWorker = (): Slot => {
    const entry = workerEntry(options.entry);
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { [WORKER_FLAG]: true, task: options.task, init: options.init, entry: entry.url, tsxApi: entry.tsxApi },
      ...(entry.tsxApi ? { execArgv: [] } : {}),
    });
    let readyResolve!: (v: unknown) => void;
    let readyReject!: (e: Error) => void;
    const ready = new Promise<unknown>((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    ready.catch(() => undefined);
    const slot: Slot = { worker, ready, busy: false, job: null };
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') readyResolve(msg.info);
      else if (msg.type === 'init-error') readyReject(remoteError(msg.message, msg.stack, 'Error'));
      else if (slot.job && msg.id === slot.job.id) {
        if (msg.type === 'message') slot.job.onMessage?.(msg.message);
        else if (msg.type === 'result') finish(slot, null, msg.result);
        else if (msg.type === 'error') finish(slot, remoteError(msg.message, msg.stack, msg.name), undefined);
      }
    });
    worker.on('error', (err) => {
      readyReject(err);
      if (slot.job) finish(slot, err, undefined);
    });
    worker.on('exit', (code) => {
      const err = new Error(`worker thread ${worker.threadId} exited (code ${code})${slot.job ? ' while running a job' : ''}`);
      readyReject(err);
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
      if (slot.job) finish(slot, err, undefined, true);
    });
    slots.push(slot);
    readyInfos.push(ready);
    return slot;
  };

  const finish = (slot: Slot, err: Error | null, result: unknown, dead = false): void => {
    const job = slot.job;
    slot.job = null;
    slot.busy = false;
    if (job) {
      if (err) job.reject(err);
      else job.resolve(result);
    }
    if (!dead) pump();
    else pump();
  };

  const pump = (): void => {
    while (!closed && queue.length > 0) {
      let slot = slots.find((s) => !s.busy);
      if (!slot && slots.length < size) slot = startWorker();
      if (!slot) return;
      const item = queue.shift()!;
      const id = nextId++;
      const s = slot;
      s.busy = true;
      if (item.options.signal?.aborted) {
        s.busy = false;
        item.reject(abortError(item.options.signal));
        continue;
      }
      const onAbort = (): void => {
        if (s.job?.id === id) {
          const job = s.job;
          s.job = null;
          job.reject(abortError(item.options.signal!));
          void s.worker.terminate();
        }
      };
      item.options.signal?.addEventListener('abort', onAbort, { once: true });
      s.job = {
        id,
        resolve: (r) => {
          item.options.signal?.removeEventListener('abort', onAbort);
          item.resolve(r as Result);
        },
        reject: (e) => {
          item.options.signal?.removeEventListener('abort', onAbort);
          item.reject(e);
        },
        onMessage: item.options.onMessage,
      };
      s.ready.then(
        () => {
          if (s.job?.id === id) s.worker.postMessage({ type: 'run', id, job: item.job });
        },
        (err: Error) => {
          if (s.job?.id === id) finish(s, new Error(`worker thread failed to start: ${err.message}`, { cause: err }), undefined, true);
        },
      );
    }
  };

  return {
    size,
    get ready() {
      return Promise.all(readyInfos);
    },
    run(job, jobOptions = {}) {
      if (closed) return Promise.reject(new Error('the worker pool is closed'));
      return new Promise<Result>((resolve, reject) => {
        queue.push({ job, options: jobOptions, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const q of queue.splice(0)) q.reject(new Error('the worker pool was closed before the job started'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

/** Code of every worker: registers tsx when the entry is TypeScript, then imports the entry. */
const BOOTSTRAP = `
const { workerData, parentPort } = require('node:worker_threads');
// An eval worker runs like \`node -e\`: require, module, __filename... are globals there. Remove
// them, so that the modules imported below see the environment of an ordinary ES module (code
// that checks \`typeof require\` would otherwise resolve packages from the working directory).
for (const name of ['require', 'module', 'exports', '__filename', '__dirname']) {
  try { delete globalThis[name]; } catch {}
}
(async () => {
  if (workerData.tsxApi) {
    const api = await import(workerData.tsxApi);
    api.register();
  }
  await import(workerData.entry);
})().catch((err) => {
  parentPort.postMessage({ type: 'init-error', message: String(err && err.message || err), stack: err && err.stack });
});
`;

/**
 * The module a worker imports: `entry` (an `import.meta.url`), else this module's file, else (in
 * a CommonJS bundle, where `import.meta.url` is empty) the bundle file; plus tsx's API when the
 * module is TypeScript source (tsx or vitest), which the worker registers before importing it.
 */
function workerEntry(entry: string | undefined): { url: string; tsxApi?: string } {
  const here: string =
    entry || (import.meta as { url?: string }).url || (typeof __filename === 'string' && __filename.length > 0 ? pathToFileURL(__filename).href : '');
  if (!here) throw new Error('cannot locate the worker entry: neither import.meta.url nor __filename is set');
  if (/\.[cm]?ts$/.test(here)) {
    // require.resolve gives the CommonJS build of tsx's API; workers import its ESM twin.
    const api = createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
    return { url: here, tsxApi: pathToFileURL(api).href };
  }
  return { url: here };
}

function remoteError(message: string, stack: string | undefined, name: string | undefined): Error {
  const err = name === 'RangeError' ? new RangeError(message) : name === 'TypeError' ? new TypeError(message) : new Error(message);
  if (stack) err.stack = `${err.name}: ${message}\n    (in worker thread)\n${stack.split('\n').slice(1).join('\n')}`;
  return err;
}

// ---------------------------------------------------------------------------------------------
// Worker side

async function workerMain(): Promise<void> {
  const port = parentPort!;
  // Let the rest of the module graph evaluate first: tasks registered by modules importing this one.
  await new Promise((resolve) => setImmediate(resolve));
  const data = workerData as { task: string; init: unknown };
  let runner: WorkerTaskRunner<unknown, unknown>;
  try {
    const task = tasks.get(data.task);
    if (!task) throw new Error(`unknown worker task ${JSON.stringify(data.task)}`);
    runner = (await (task as WorkerTask<unknown, unknown, unknown>).init(data.init)) as WorkerTaskRunner<unknown, unknown>;
    const info = (runner as { info?: unknown }).info ?? null;
    port.postMessage({ type: 'ready', info });
  } catch (err) {
    port.postMessage({ type: 'init-error', message: (err as Error).message ?? String(err), stack: (err as Error).stack });
    return;
  }
  port.on('message', (msg: { type: 'run'; id: number; job: unknown }) => {
    if (msg.type !== 'run') return;
    runner(msg.job, (message) => port.postMessage({ type: 'message', id: msg.id, message })).then(
      (result) => port.postMessage({ type: 'result', id: msg.id, result }),
      (err: Error) => port.postMessage({ type: 'error', id: msg.id, message: err?.message ?? String(err), name: err?.name, stack: err?.stack }),
    );
  });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG]) {
  void workerMain();
}
