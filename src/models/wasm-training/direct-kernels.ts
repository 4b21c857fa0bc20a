/**
 * Our own convolution kernels for the wasm backend (scripts/wasm/conv-kernel.c, f32x4; today the
 * filter gradient, the strided input gradient, the bias gradient's column sums, the 3x3 stride-1
 * convolutions and their filter gradients by Winograd, and the convolutions with few input
 * channels and their input gradients): their WebAssembly instances and the helper threads that
 * share their memory. The kernels run in place on the memory of tfjs's wasm backend (the
 * single-threaded build's own memory, or the multi-threaded build's shared one): they read the
 * backend's tensors where they are and write into tensors made with the backend, so nothing is
 * copied. One instance per memory (each backend instance has its own).
 *
 * Where helper threads are set ({@link setConvKernelHelpers}; `helmholtz-ml/node`'s `useBackend`
 * starts them for a multi-threaded wasm backend) and share that memory, a call splits its images
 * between this thread and the helpers ({@link runOnThreads}).
 */
import { embeddedWasmModule } from '../../util/wasm-module.js';
import { CONV_KERNEL_SHARED_WASM_BASE64 } from './conv-kernel-shared-wasm.js';
import { CONV_KERNEL_WASM_BASE64 } from './conv-kernel-wasm.js';

const singleMemoryModule = embeddedWasmModule(CONV_KERNEL_WASM_BASE64);
const sharedMemoryModule = embeddedWasmModule(CONV_KERNEL_SHARED_WASM_BASE64);

/** The kernels' exports, called with byte offsets and integers; `op` numbers for helpers. */
export const CONV_KERNEL_OPS = ['dw', 'dx', 'wino', 'winodw', 'convc', 'dxc'] as const;

/** A kernel operation helpers can run: an index into {@link CONV_KERNEL_OPS}. */
export type ConvKernelOp = (typeof CONV_KERNEL_OPS)[number];

/**
 * Helper threads for the convolution kernels: each runs its own instance of
 * {@link convKernelSharedModule} on {@link ConvKernelHelpers.memory}. Made by `helmholtz-ml/node`
 * (worker threads); anything that implements it (e.g. Web Workers where the page may block on
 * `Atomics.wait`) can be set.
 */
export interface ConvKernelHelpers {
  /** The shared memory (`shared: true`) every instance of the kernels uses. */
  readonly memory: WebAssembly.Memory;
  /** How many helpers there are; the calling thread works beside them. */
  readonly count: number;
  /**
   * Starts `CONV_KERNEL_OPS[job[0]](...job.slice(1))` on helper k for every job k (one per
   * helper); returns at once.
   */
  start(jobs: readonly (readonly number[])[]): void;
  /** Waits until every started helper has finished; throws if one failed. */
  join(): void;
}

/** An instance of the kernels on one backend's memory. */
export interface ConvKernels {
  readonly memory: WebAssembly.Memory;
  readonly dw: (...args: number[]) => void;
  readonly finish: (...args: number[]) => void;
  readonly colsum: (...args: number[]) => void;
  readonly dx: (...args: number[]) => void;
  readonly wino: (...args: number[]) => void;
  readonly winodw: (...args: number[]) => void;
  readonly winoDwFinish: (...args: number[]) => void;
  readonly convc: (...args: number[]) => void;
  readonly dxc: (...args: number[]) => void;
}

interface Exports {
  dw: (...args: number[]) => void;
  finish: (...args: number[]) => void;
  colsum: (...args: number[]) => void;
  dx: (...args: number[]) => void;
  wino: (...args: number[]) => void;
  winodw: (...args: number[]) => void;
  winoDwFinish: (...args: number[]) => void;
  convc: (...args: number[]) => void;
  dxc: (...args: number[]) => void;
}

let helpers: ConvKernelHelpers | null = null;
const instances = new WeakMap<WebAssembly.Memory, ConvKernels | null>();

/**
 * Sets the helper threads of the convolution kernels (null: the calling thread alone, the
 * default). `helmholtz-ml/node`'s `useBackend` calls it; the previous helpers are not stopped here.
 *
 * @example
 * setConvKernelHelpers(null); // single-threaded
 */
export function setConvKernelHelpers(next: ConvKernelHelpers | null): void {
  helpers = next;
}

/** The helpers set by {@link setConvKernelHelpers}, or null. */
export function convKernelHelpers(): ConvKernelHelpers | null {
  return helpers;
}

/**
 * The compiled kernels built for a shared memory (imported as `env.memory`: the multi-threaded
 * wasm backend's), for helper threads to instantiate; null where WebAssembly SIMD or threads are
 * unavailable.
 *
 * @example
 * const module = convKernelSharedModule(); // post it to a worker with the shared memory
 */
export function convKernelSharedModule(): WebAssembly.Module | null {
  return sharedMemoryModule.sync();
}

/**
 * The memory of tfjs's wasm backend `backend`: the single-threaded build's exported memory or the
 * multi-threaded build's shared one; null for any other backend, or where it is not reachable.
 *
 * @example
 * const memory = backendMemory(tf.backend());
 */
export function backendMemory(backend: unknown): WebAssembly.Memory | null {
  if (typeof WebAssembly !== 'object') return null;
  const m = (backend as { wasm?: { wasmMemory?: unknown; asm?: { memory?: unknown } } } | null)?.wasm;
  const memory = m?.wasmMemory ?? m?.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/**
 * The kernels on the memory of tfjs's wasm backend `backend`, or null where WebAssembly SIMD is
 * unavailable or the memory is not reachable (the callers take the backend's own kernels).
 *
 * @example
 * const k = convKernels(backend); // null: use another method
 */
export function convKernels(backend: unknown): ConvKernels | null {
  const memory = backendMemory(backend);
  if (memory === null) return null;
  let k = instances.get(memory);
  if (k === undefined) {
    k = null;
    const module = (isShared(memory) ? sharedMemoryModule : singleMemoryModule).sync();
    if (module !== null) {
      try {
        const e = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Exports;
        k = { memory, dw: e.dw, finish: e.finish, colsum: e.colsum, dx: e.dx, wino: e.wino, winodw: e.winodw, winoDwFinish: e.winoDwFinish, convc: e.convc, dxc: e.dxc };
      } catch {
        k = null;
      }
    }
    instances.set(memory, k);
  }
  return k;
}

/** The helpers set and sharing `k`'s memory, or null. */
function helpersOf(k: ConvKernels): ConvKernelHelpers | null {
  return helpers !== null && helpers.memory === k.memory ? helpers : null;
}

/** How many parts a call over `n` images splits into on `k`'s threads. */
export function kernelParts(k: ConvKernels, n: number): number {
  const h = helpersOf(k);
  return h === null ? 1 : Math.max(1, Math.min(n, h.count + 1));
}

/**
 * Runs `op` over `parts` ranges of images: part 0 on this thread, part p on helper p - 1 (helpers
 * beyond the parts run `op` on an empty range made by `args(p)`), and waits for all. `args(p)`
 * gives the op's arguments for part p.
 */
export function runOnThreads(k: ConvKernels, op: ConvKernelOp, parts: number, args: (p: number) => number[]): void {
  const h = helpersOf(k);
  if (h === null || parts <= 1) {
    k[op](...args(0));
    return;
  }
  const code = CONV_KERNEL_OPS.indexOf(op);
  const jobs: number[][] = [];
  for (let p = 1; p <= h.count; p++) jobs.push([code, ...args(p)]);
  h.start(jobs);
  try {
    k[op](...args(0));
  } finally {
    h.join();
  }
}

/**
 * The image range [from, to) of part `p` of `parts` over `n` images (empty beyond the parts).
 *
 * @example
 * imageRange(5, 2, 1); // [2, 5]
 */
export function imageRange(n: number, parts: number, p: number): [number, number] {
  if (p >= parts) return [0, 0];
  return [Math.floor((n * p) / parts), Math.floor((n * (p + 1)) / parts)];
}
