/**
 * Helper threads for our convolution kernels (src/models/wasm-training/direct-kernels.ts) in
 * Node: `worker_threads` that each instantiate the kernels on the wasm backend's shared memory and
 * wait on `Atomics.wait` for work. The calling thread splits a batch's images with them and
 * blocks (`Atomics.wait`, allowed on Node's main thread) until they are done. The workers never
 * keep the process alive (`unref`).
 *
 * Control words (Int32Array on a SharedArrayBuffer): [0] job generation, [1] helpers finished in
 * this generation, [2] failures, then per helper the op's index in CONV_KERNEL_OPS and its
 * arguments.
 */
import { Worker } from 'node:worker_threads';
import { CONV_KERNEL_OPS, convKernelSharedModule, type ConvKernelHelpers } from '../models/wasm-training/direct-kernels.js';

/** The op and at most 20 arguments. */
const ARGS = 21;
const HEAD = 4;

/** The worker's script (CommonJS, run with `eval: true`). */
const WORKER_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
(function run({ module, memory, control, index, args, ops }) {
  const c = new Int32Array(control);
  let kernels;
  try {
    const e = new WebAssembly.Instance(module, { env: { memory } }).exports;
    kernels = ops.map((op) => e[op]);
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
      const at = ${HEAD} + index * args;
      const a = [];
      for (let i = 1; i < args; i++) a.push(c[at + i]);
      kernels[c[at]](...a);
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
export interface ConvKernelThreads extends ConvKernelHelpers {
  /** Stops the workers (the helpers must not be in use). */
  stop(): Promise<void>;
}

/**
 * Starts `count` helper threads for the convolution kernels on `memory` (the multi-threaded wasm
 * backend's shared memory); resolves when every one has instantiated them, or to null where the
 * kernels' shared-memory build cannot run here (no WebAssembly SIMD or threads, or a memory that
 * is not shared).
 *
 * @param count - helpers (integer >= 1): the backend's thread count minus the calling thread.
 * @example
 * const threads = await startConvKernelThreads(1, backendMemory(tf.backend()));
 * if (threads) setConvKernelHelpers(threads);
 */
export async function startConvKernelThreads(count: number, memory: WebAssembly.Memory): Promise<ConvKernelThreads | null> {
  const module = convKernelSharedModule();
  if (module === null || !(memory.buffer instanceof SharedArrayBuffer)) return null;
  const control = new SharedArrayBuffer(4 * (HEAD + count * ARGS));
  const c = new Int32Array(control);
  const workers: Worker[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const worker = new Worker(WORKER_SCRIPT, { eval: true, workerData: { module, memory, control, index, args: ARGS, ops: [...CONV_KERNEL_OPS] } });
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
    start(jobs) {
      if (jobs.length !== count) throw new RangeError(`convolution kernel helpers: ${jobs.length} jobs for ${count} helpers`);
      Atomics.store(c, 1, 0);
      Atomics.store(c, 2, 0);
      jobs.forEach((job, k) => {
        if (job.length > ARGS) throw new RangeError(`convolution kernel helpers: a job of ${job.length} numbers, at most ${ARGS}`);
        c.set(job, HEAD + k * ARGS);
      });
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
        else if (Date.now() - since > STALL_MS) throw new Error(`helmholtz-ml wasm convolution kernels: a helper thread did not finish within ${STALL_MS / 1000} s (${now} of ${count} done)`);
        done = now;
      }
      if (Atomics.load(c, 2) > 0) throw new Error('helmholtz-ml wasm convolution kernels: a helper thread failed in the kernel');
    },
    async stop() {
      Atomics.store(c, 0, -1);
      Atomics.notify(c, 0);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
