/**
 * Loads tfjs-backend-wasm's multi-threaded SIMD build in Node, which the package itself never
 * does (its `WASM_HAS_MULTITHREAD_SUPPORT` flag is false in Node, and its loader hands
 * Emscripten blob: URLs that Node's `worker_threads` cannot open). A recipe for
 * `src/node/backend.ts`, measured by `bench/train.bench.ts` when `WASM_THREADS` is set:
 *
 * 1. `worker_threads.Worker` is wrapped so that the pthread worker script (shipped as the string
 *    `wasmWorkerContents` in `wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`) is started
 *    with `{ eval: true }`, and the main script is given to the workers as a file path.
 * 2. XNNPACK's thread count is capped at `navigator.hardwareConcurrency / 2` (Node: half of
 *    `os.cpus().length`, i.e. 1 on a 2-core machine): `os.cpus` is padded while the module
 *    initializes so that `setThreadsCount(n)` can ask for `n`.
 * 3. The module is wrapped in the package's `BackendWasm` and registered as 'wasm' (priority 2).
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import workerThreads from 'node:worker_threads';

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  tfjs?: Record<string, unknown>;
}

/** Registers the threaded SIMD wasm backend as 'wasm' with `threads` threads; returns the count. */
export async function registerThreadedWasm(threads: number): Promise<number> {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  const factoryPath = path.join(dir, 'tfjs-backend-wasm-threaded-simd.js');
  const workerCode = (require(path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string }).wasmWorkerContents.replace(/\n/g, '\\n');
  const factory = require(factoryPath) as (config: object) => Promise<EmscriptenModule>;
  const OriginalWorker = workerThreads.Worker;
  class EvalWorker extends OriginalWorker {
    constructor(file: string | URL, options?: workerThreads.WorkerOptions) {
      if (typeof file === 'string' && file.endsWith('.worker.js')) super(workerCode, { ...options, eval: true });
      else super(file, options);
    }
  }
  const realCpus = os.cpus;
  (workerThreads as { Worker: typeof OriginalWorker }).Worker = EvalWorker;
  os.cpus = () => {
    const cpus = realCpus();
    while (cpus.length < 2 * threads) cpus.push(cpus[0]);
    return cpus;
  };
  let module: EmscriptenModule;
  try {
    module = await factory({ locateFile: (p: string) => path.join(dir, p), mainScriptUrlOrBlob: factoryPath });
  } finally {
    os.cpus = realCpus;
  }
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  setThreadsCount(threads);
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => new BackendWasm(module as never), 2);
  await tf.setBackend('wasm');
  return (module.tfjs.getThreadsCount as () => number)();
}
