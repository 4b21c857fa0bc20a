/**
 * Helper threads for the filter-gradient kernel (src/models/wasm-training/
 * conv2d-backprop-filter-direct.ts) in Node: `worker_threads` that each instantiate the kernel on
 * one shared `WebAssembly.Memory` and wait on `Atomics.wait` for work. The calling thread splits
 * a batch's images with them and blocks (`Atomics.wait`, allowed on Node's main thread) until they
 * are done. The workers never keep the process alive (`unref`).
 *
 * Control words (Int32Array on a SharedArrayBuffer): [0] job generation, [1] helpers finished in
 * this generation, [2] failures, then 17 kernel arguments per helper.
 */
import { Worker } from 'node:worker_threads';
import { filterGradientSharedModule, type FilterGradientHelpers } from '../models/wasm-training/conv2d-backprop-filter-direct.js';

const ARGS = 17;
const HEAD = 4;

/** The worker's script (CommonJS, run with `eval: true`). */
const WORKER_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
(function run({ module, memory, control, index, args }) {
  const c = new Int32Array(control);
  let dw;
  try {
    dw = new WebAssembly.Instance(module, { env: { memory } }).exports.dw;
  } catch (e) {
    parentPort.postMessage({ error: String((e && e.message) || e) });
    return;
  }
  parentPort.postMessage({ ready: true });
  let seen = 0;
  for (;;) {
    Atomics.wait(c, 0, seen);
    seen = Atomics.load(c, 0);
    if (seen < 0) return;
    try {
      const a = [];
      for (let i = 0; i < args; i++) a.push(c[${HEAD} + index * args + i]);
      dw(...a);
    } catch (e) {
      Atomics.add(c, 2, 1);
    }
    Atomics.add(c, 1, 1);
    Atomics.notify(c, 1);
  }
})(workerData);
`;

/** How long {@link FilterGradientThreads.join} waits without progress before it gives up. */
const STALL_MS = 120_000;

/** Running helpers, with a way to stop them. */
export interface FilterGradientThreads extends FilterGradientHelpers {
  /** Stops the workers (the helpers must not be in use). */
  stop(): Promise<void>;
}

/**
 * Starts `count` helper threads for the filter-gradient kernel; resolves when every one has
 * instantiated the kernel, or to null where the kernel's shared-memory build cannot run here (no
 * WebAssembly SIMD, threads or shared memory).
 *
 * @param count - helpers (integer >= 1): the backend's thread count minus the calling thread.
 * @example
 * const threads = await startFilterGradientThreads(1);
 * if (threads) setFilterGradientHelpers(threads);
 */
export async function startFilterGradientThreads(count: number): Promise<FilterGradientThreads | null> {
  const module = filterGradientSharedModule();
  if (module === null) return null;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: 32, maximum: 32768, shared: true });
  } catch {
    return null;
  }
  const control = new SharedArrayBuffer(4 * (HEAD + count * ARGS));
  const c = new Int32Array(control);
  const workers: Worker[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const worker = new Worker(WORKER_SCRIPT, { eval: true, workerData: { module, memory, control, index, args: ARGS } });
      workers.push(worker);
      await new Promise<void>((resolve, reject) => {
        worker.once('message', (m: { ready?: boolean; error?: string }) => (m.ready ? resolve() : reject(new Error(m.error ?? 'helper failed'))));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`helper exited with code ${code}`)));
      });
      worker.removeAllListeners('exit');
      worker.removeAllListeners('error');
      worker.unref();
    }
  } catch {
    await Promise.all(workers.map((w) => w.terminate()));
    return null;
  }
  let generation = 0;
  return {
    memory,
    count,
    start(args) {
      if (args.length !== count) throw new RangeError(`filter-gradient helpers: ${args.length} jobs for ${count} helpers`);
      Atomics.store(c, 1, 0);
      Atomics.store(c, 2, 0);
      args.forEach((a, k) => c.set(a, HEAD + k * ARGS));
      generation = (generation + 1) & 0x3fffffff;
      Atomics.store(c, 0, generation);
      Atomics.notify(c, 0);
    },
    join() {
      let since = Date.now();
      for (let done = Atomics.load(c, 1); done < count; ) {
        Atomics.wait(c, 1, done, 1000);
        const now = Atomics.load(c, 1);
        if (now !== done) since = Date.now();
        else if (Date.now() - since > STALL_MS) throw new Error(`Conv2DBackpropFilter (wasm): a filter-gradient helper thread did not finish within ${STALL_MS / 1000} s (${now} of ${count} done)`);
        done = now;
      }
      if (Atomics.load(c, 2) > 0) throw new Error('Conv2DBackpropFilter (wasm): a helper thread failed in the filter-gradient kernel');
    },
    async stop() {
      Atomics.store(c, 0, -1);
      Atomics.notify(c, 0);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
