/**
 * Loads tfjs-backend-wasm's multi-threaded SIMD build in Node, which the package itself never
 * does there: its `WASM_HAS_MULTITHREAD_SUPPORT` flag is false in Node, and its loader would hand
 * Emscripten `blob:` URLs that Node's `worker_threads` cannot open.
 *
 * How, with the package's own files only (no network, nothing written to disk):
 * 1. The pthread worker script (shipped as the string `wasmWorkerContents` in
 *    `wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`) is started with `{ eval: true }`
 *    through a `Worker` subclass that Emscripten picks up from `worker_threads` when the module
 *    factory runs; the main script is given to the workers as a file path.
 * 2. That subclass's `ref()` does nothing: Emscripten refs a worker while it runs a pthread, and
 *    XNNPACK's pool threads run (idle) forever, which would keep Node from exiting. The main
 *    thread only ever waits for them synchronously inside a kernel, so nothing is lost.
 * 3. The module caps its pool at `navigator.hardwareConcurrency / 2` (half of
 *    `os.cpus().length` in Node) even when given an explicit count: `os.cpus` is padded to twice
 *    the requested count while the module initializes (without it, 2 threads are reported on 2
 *    cores but only one works), and the count is passed explicitly (`setThreadsCount`).
 * 4. The module is wrapped in the package's `BackendWasm` and registered as `'wasm'`.
 *
 * Everything patched (the `Worker` export, `os.cpus`, the `Worker` global Emscripten sets) is
 * restored before this function returns.
 */
import os from 'node:os';
import path from 'node:path';
import workerThreads from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';

/** The part of the Emscripten module object the backend needs. */
interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  tfjs?: Record<string, unknown>;
  PThread?: { unusedWorkers: workerThreads.Worker[] };
}

/** The part of `@tensorflow/tfjs-backend-wasm` used here. */
export interface WasmPackage {
  BackendWasm: new (module: never) => tf.KernelBackend;
  setThreadsCount(n: number): void;
}

/**
 * Registers one of tfjs-backend-wasm's SIMD builds as the `'wasm'` backend (replacing any
 * registered one): the multi-threaded build with `threads` threads (XNNPACK's pool: this thread
 * plus `threads - 1` workers) when `threads > 1`, else the single-threaded one. Returns the
 * thread count the module reports. The backend is not selected.
 *
 * @param wasm the imported `@tensorflow/tfjs-backend-wasm` package (the instance whose kernels
 *   are registered).
 * @param require resolves the package's files (the caller's `require`).
 * @param threads integer >= 1.
 * @throws Error when the package or the build cannot be loaded.
 * @internal
 * @example
 * const wasm = await import('@tensorflow/tfjs-backend-wasm');
 * const threads = await registerWasmBuild(wasm, createRequire(import.meta.url), 2);
 * await tf.setBackend('wasm');
 */
export async function registerWasmBuild(wasm: WasmPackage, require: NodeJS.Require, threads: number): Promise<number> {
  const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  // The single-threaded loader serves the SIMD and the plain binaries alike (as in the package).
  const build = threads > 1 ? 'tfjs-backend-wasm-threaded-simd' : 'tfjs-backend-wasm';
  const factoryPath = path.join(dir, `${build}.js`);
  const factory = require(factoryPath) as (config: object) => Promise<EmscriptenModule>;
  const locateFile = (p: string): string => path.join(dir, p === 'tfjs-backend-wasm.wasm' ? 'tfjs-backend-wasm-simd.wasm' : p);
  const config = { locateFile, mainScriptUrlOrBlob: factoryPath };
  const globals = globalThis as { Worker?: unknown };
  const hadWorker = Object.prototype.hasOwnProperty.call(globals, 'Worker');
  const previousWorker = globals.Worker;
  try {
    const module =
      threads > 1 ? await loadThreaded(factory, config, require(path.join(dir, `${build}.worker.js`)) as WorkerScript, threads) : await factory(config);
    return startBackend(wasm, threads, module);
  } finally {
    // Emscripten set the global `Worker` for its pool; the pool is complete once the backend exists.
    if (hadWorker) globals.Worker = previousWorker;
    else delete globals.Worker;
  }
}

/** Wraps a loaded module in the package's backend and registers it; returns its thread count. */
function startBackend(wasm: WasmPackage, threads: number, module: EmscriptenModule): number {
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  wasm.setThreadsCount(threads);
  // Creating the backend starts the XNNPACK pool (its pthreads take workers from Emscripten's pool).
  const backend = new wasm.BackendWasm(module as never);
  // Emscripten preloads 8 workers; those the pool did not take are never used: free them.
  const unused = module.PThread?.unusedWorkers ?? [];
  for (const worker of unused.splice(0)) void worker.terminate();
  // Not `tf.findBackend`: for a registered but unused factory it starts that factory's
  // (asynchronous) initialization, whose instance would later overwrite this one in the registry.
  if (tf.findBackendFactory('wasm') !== null) tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => backend, 2);
  return (module.tfjs.getThreadsCount as () => number)();
}

/** The pthread worker module of the threaded build. */
interface WorkerScript {
  wasmWorkerContents: string;
}

/** Runs the threaded build's factory with the patches the module comment lists, then undoes them. */
async function loadThreaded(
  factory: (config: object) => Promise<EmscriptenModule>,
  config: object,
  script: WorkerScript,
  threads: number,
): Promise<EmscriptenModule> {
  // The script is an expression string meant for a Blob; as eval'd source its "\n" escapes must
  // stay escapes inside its string literals.
  const workerCode = script.wasmWorkerContents.replace(/\n/g, '\\n');
  const OriginalWorker = workerThreads.Worker;
  class PthreadWorker extends OriginalWorker {
    constructor(file: string | URL, options?: workerThreads.WorkerOptions) {
      if (typeof file === 'string' && file.endsWith('.worker.js')) super(workerCode, { ...options, eval: true });
      else super(file, options);
    }
    override ref(): void {
      // Never keep the process alive for a pool thread (see the module comment).
    }
  }
  const realCpus = os.cpus;
  const exports = workerThreads as { Worker: typeof OriginalWorker };
  exports.Worker = PthreadWorker;
  os.cpus = () => {
    const cpus = realCpus();
    while (cpus.length < 2 * threads) cpus.push(cpus[0]);
    return cpus;
  };
  try {
    return await factory(config);
  } finally {
    exports.Worker = OriginalWorker;
    os.cpus = realCpus;
  }
}
