/**
 * Backend selection for Node: the native TensorFlow binding when the user installed it, else
 * WebAssembly with this library's training kernels, else pure JavaScript.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkOneOf, describe } from '../util/checks.js';
import { registerCpuTrainingKernels } from '../models/cpu-training.js';
import { registerWasmTrainingKernels } from '../models/wasm-training/index.js';
import { backendMemory, setConvKernelHelpers } from '../models/wasm-training/direct-kernels.js';
import { startConvKernelThreads, type ConvKernelThreads } from './conv-kernel-threads.js';
import { registerWasmBuild, type WasmPackage } from './wasm-threads.js';

/** What {@link useBackend} accepts. */
export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

const preferences: readonly BackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** Options of {@link useBackend}. */
export interface UseBackendOptions {
  /**
   * Threads of the `'wasm'` backend: `'auto'` (default) uses one per core
   * (`os.availableParallelism()`); 1 loads the single-threaded SIMD build. With more than one,
   * tfjs-backend-wasm's multi-threaded SIMD build runs (XNNPACK's pool on worker threads that
   * never keep the process alive); where it cannot load, the single-threaded build runs and
   * {@link backendThreads} says 1. Ignored by the other backends.
   */
  threads?: number | 'auto';
}

/** Thread count of the 'wasm' backend this module registered last (0: none yet). */
let wasmThreads = 0;

/** Our convolution kernels' helper threads started for that backend (threads - 1 of them). */
let convKernelThreads: ConvKernelThreads | null = null;

/**
 * Gives our convolution kernels `threads - 1` helper threads (none for 1) on the active wasm
 * backend's memory, replacing those started before; where they cannot start, the kernels run on
 * the calling thread alone.
 */
async function useConvKernelThreads(threads: number): Promise<void> {
  const memory = threads > 1 ? backendMemory(tf.backend()) : null;
  if (convKernelThreads !== null && convKernelThreads.count === threads - 1 && convKernelThreads.memory === memory) return;
  const previous = convKernelThreads;
  convKernelThreads = memory !== null ? await startConvKernelThreads(threads - 1, memory) : null;
  setConvKernelHelpers(convKernelThreads);
  await previous?.stop();
}

/**
 * The backend threads each of `workers` concurrent workers should use so that together they
 * use every core once: `floor(cores / workers)`, at least 1.
 * @internal
 * @example
 * threadsPerWorker(2); // 1 on a 2-core machine
 */
export function threadsPerWorker(workers: number): number {
  return Math.max(1, Math.floor(availableParallelism() / Math.max(1, workers)));
}

/**
 * Threads of the `'wasm'` backend that {@link useBackend} set up (1 for the single-threaded
 * build), or 1 for any other active backend's JavaScript thread; `tensorflow` manages its own.
 *
 * @example
 * await useBackend('auto', { threads: 2 });
 * console.log(backendThreads()); // 2 when the threaded build loaded
 */
export function backendThreads(): number {
  return tf.getBackend() === 'wasm' && wasmThreads > 0 ? wasmThreads : 1;
}

/** Native packages that register the 'tensorflow' backend, best first. */
const nativePackages = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

function resolver(): NodeJS.Require {
  // ESM (source and build): `import.meta.url` is set. The bundler's ESM output also defines a
  // `require` stand-in that throws, so test `import.meta.url` first; CommonJS has only `require`.
  const url = (import.meta as { url?: string }).url;
  return url ? createRequire(url) : require;
}

/** Imports a package by a computed name (so that type checking and bundling don't need it). */
async function importOptional(name: string): Promise<boolean> {
  try {
    resolver().resolve(name);
  } catch {
    return false;
  }
  await import(/* @vite-ignore */ name);
  return true;
}

async function activate(name: string): Promise<boolean> {
  try {
    if (!(await tf.setBackend(name))) return false;
    await tf.ready();
    return tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** Packages whose CPU fallback was already reported (said once per process). */
const reportedCpuFallback = new Set<string>();

/**
 * Whether the native backend computes on a GPU: tfjs-node's kernel backend answers through its
 * binding's `isUsingGpuDevice()`; null when the backend does not say.
 */
function nativeUsesGpu(backend: unknown): boolean | null {
  const b = backend as { isUsingGpuDevice?: () => boolean; binding?: { isUsingGpuDevice?: () => boolean } } | null;
  if (typeof b?.isUsingGpuDevice === 'function') return Boolean(b.isUsingGpuDevice());
  if (typeof b?.binding?.isUsingGpuDevice === 'function') return Boolean(b.binding.isUsingGpuDevice());
  return null;
}

/**
 * Says once, through `warn`, when `@tensorflow/tfjs-node-gpu` loaded but its backend computes on
 * the CPU: TensorFlow's silent fallback when the CUDA or cuDNN libraries it was built against
 * (CUDA 11.2 and cuDNN 8.1 for tfjs-node-gpu 4.x, libtensorflow 2.9) are missing or of another
 * version. Returns whether it warned. `backend` is the active tfjs backend (`tf.backend()`).
 * @internal
 * @example
 * warnIfNativeCpuFallback('@tensorflow/tfjs-node-gpu', tf.backend()); // true, once, on a machine without CUDA
 */
export function warnIfNativeCpuFallback(packageName: string, backend: unknown, warn: (message: string) => void = (m) => console.warn(m)): boolean {
  if (packageName !== '@tensorflow/tfjs-node-gpu' || reportedCpuFallback.has(packageName)) return false;
  if (nativeUsesGpu(backend) !== false) return false;
  reportedCpuFallback.add(packageName);
  warn(
    'helmholtz-ml: @tensorflow/tfjs-node-gpu loaded but TensorFlow runs on the CPU (no usable GPU: ' +
      'it needs an NVIDIA driver >= 450, CUDA 11.2 and cuDNN 8.1 on the library path, LD_LIBRARY_PATH); ' +
      'training works but at CPU speed. See docs/browser.md, "Node GPU".',
  );
  return true;
}

async function useTensorflow(): Promise<boolean> {
  for (const name of nativePackages) {
    if (await importOptional(name)) {
      if (!(await activate('tensorflow'))) return false;
      warnIfNativeCpuFallback(name, tf.backend());
      return true;
    }
  }
  return false;
}

async function useWasm(threads: number): Promise<string[] | null> {
  const name = '@tensorflow/tfjs-backend-wasm';
  const require = resolver();
  let main: string;
  try {
    main = require.resolve(name);
  } catch {
    return null;
  }
  const wasm = (await import(/* @vite-ignore */ name)) as WasmPackage & { setWasmPaths(prefix: string): void };
  const kernels = registerWasmTrainingKernels();
  // Our loader for any threaded instance, and to replace one by another thread count; the
  // package's own loader for a first single-threaded one.
  if (threads !== wasmThreads && (threads > 1 || wasmThreads > 1)) {
    try {
      await registerWasmBuild(wasm, require, threads);
      wasmThreads = threads;
    } catch {
      // A threaded instance that cannot be replaced by a single-threaded one: fail. Otherwise keep
      // what is registered, or fall back to the package's single-threaded build below.
      if (threads === 1) return null;
    }
  }
  if (wasmThreads === 0) {
    // The package's own loader: the single-threaded SIMD build, its .wasm files read from next
    // to the package's main script (no network).
    wasm.setWasmPaths(join(dirname(main), '/'));
    wasmThreads = 1;
  }
  if (!(await activate('wasm'))) return null;
  await useConvKernelThreads(wasmThreads);
  return kernels;
}

async function useCpu(): Promise<boolean> {
  const name = '@tensorflow/tfjs-backend-cpu';
  if (!(await importOptional(name))) return false;
  registerCpuTrainingKernels();
  return activate('cpu');
}

/**
 * Selects and initializes a tfjs backend for training in Node and returns its name.
 * - 'tensorflow': `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` (native TensorFlow;
 *   install one yourself: it downloads a binary at install time).
 * - 'wasm': `@tensorflow/tfjs-backend-wasm`, loading its .wasm files from the installed package
 *   (no network), with this library's training kernels (`registerWasmTrainingKernels`), on
 *   `options.threads` threads (default: one per core; see {@link UseBackendOptions}).
 * - 'cpu': `@tensorflow/tfjs-backend-cpu`, with a fast filter gradient (`registerCpuTrainingKernels`).
 * - 'auto' (default): the fastest that can train here: 'tensorflow' if installed, else 'wasm'
 *   when the training kernels include the convolution filter gradient, else 'cpu'.
 *
 * @throws Error naming the package to `npm install` when a backend asked for by name is missing.
 * @example
 * import { useBackend } from 'helmholtz-ml/node';
 * const name = await useBackend(); // 'tensorflow', 'wasm' or 'cpu'
 * await useBackend('wasm', { threads: 1 }); // one thread, e.g. inside a worker of a pool
 */
export async function useBackend(preference: BackendPreference = 'auto', options: UseBackendOptions = {}): Promise<string> {
  checkOneOf('preference', preference, preferences);
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object { threads }, got ${describe(options)}`);
  const threadsOption = options.threads ?? 'auto';
  if (threadsOption !== 'auto') checkInteger('options.threads', threadsOption, 1, 256);
  const threads = threadsOption === 'auto' ? Math.max(1, availableParallelism()) : threadsOption;
  if (preference === 'tensorflow') {
    if (await useTensorflow()) return 'tensorflow';
    throw new Error(
      "useBackend('tensorflow'): no native TensorFlow binding found; run `npm install @tensorflow/tfjs-node@4.22.0` " +
        '(or `npm install @tensorflow/tfjs-node-gpu@4.22.0` with CUDA), matching your @tensorflow/tfjs-core version',
    );
  }
  if (preference === 'wasm') {
    if ((await useWasm(threads)) !== null) return 'wasm';
    throw new Error("useBackend('wasm'): could not load the WebAssembly backend; run `npm install @tensorflow/tfjs-backend-wasm@4.22.0`");
  }
  if (preference === 'cpu') {
    if (await useCpu()) return 'cpu';
    throw new Error("useBackend('cpu'): could not load the JavaScript backend; run `npm install @tensorflow/tfjs-backend-cpu@4.22.0`");
  }
  if (await useTensorflow()) return 'tensorflow';
  const kernels = await useWasm(threads);
  if (kernels !== null && kernels.includes(tf.Conv2DBackpropFilter)) return 'wasm';
  if (await useCpu()) return 'cpu';
  throw new Error(
    "useBackend('auto'): no tfjs backend could be loaded; run `npm install @tensorflow/tfjs-backend-wasm@4.22.0` " +
      '(or @tensorflow/tfjs-backend-cpu, or @tensorflow/tfjs-node)',
  );
}
