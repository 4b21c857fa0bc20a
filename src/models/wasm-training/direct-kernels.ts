/**
 * Our own convolution kernels for the wasm backend (scripts/wasm/conv-kernel.c, f32x4; today the
 * filter gradient): their WebAssembly instance, its memory, and the helper threads that share it. The kernels have their own memory (not tfjs's heap): callers copy
 * operands in and results out (tfjs's `Float32Array` views `set` into it in one copy each).
 *
 * On one thread the instance has its own memory. Where helper threads are set
 * ({@link setConvKernelHelpers}; `helmholtz-ml/node`'s `useBackend` starts them for a
 * multi-threaded wasm backend), the instance of the shared-memory build runs on their memory and
 * a call splits its images between this thread and the helpers ({@link runOnThreads}).
 */
import { embeddedWasmModule } from '../../util/wasm-module.js';
import { CONV_KERNEL_SHARED_WASM_BASE64 } from './conv-kernel-shared-wasm.js';
import { CONV_KERNEL_WASM_BASE64 } from './conv-kernel-wasm.js';

const ownMemoryModule = embeddedWasmModule(CONV_KERNEL_WASM_BASE64);
const sharedMemoryModule = embeddedWasmModule(CONV_KERNEL_SHARED_WASM_BASE64);

/** The kernels' exports, called with byte offsets and integers; `op` numbers for helpers. */
export const CONV_KERNEL_OPS = ['dw'] as const;

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

/** An instance of the kernels. */
export interface ConvKernels {
  readonly memory: WebAssembly.Memory;
  readonly dw: (...args: number[]) => void;
  readonly finish: (...args: number[]) => void;
  /** First free byte (16-aligned) of its memory. */
  readonly base: number;
  /** The helpers sharing its memory, or null. */
  readonly helpers: ConvKernelHelpers | null;
}

interface Exports {
  dw: (...args: number[]) => void;
  finish: (...args: number[]) => void;
  memory?: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
}

let helpers: ConvKernelHelpers | null = null;
let own: ConvKernels | null | undefined;
let shared: ConvKernels | null = null;

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
 * The compiled kernels built for a shared, imported memory (`env.memory`), for helper threads to
 * instantiate; null where WebAssembly SIMD or threads are unavailable.
 *
 * @example
 * const module = convKernelSharedModule(); // post it to a worker with the shared memory
 */
export function convKernelSharedModule(): WebAssembly.Module | null {
  return sharedMemoryModule.sync();
}

function instantiate(module: WebAssembly.Module | null, h: ConvKernelHelpers | null): ConvKernels | null {
  if (module === null) return null;
  try {
    const e = new WebAssembly.Instance(module, h === null ? {} : { env: { memory: h.memory } }).exports as unknown as Exports;
    const memory = h?.memory ?? e.memory;
    if (memory === undefined) return null;
    return { memory, dw: e.dw, finish: e.finish, base: (Number(e.__heap_base.value) + 15) & ~15, helpers: h };
  } catch {
    return null;
  }
}

/**
 * The kernels' instance for the helpers in use (the shared build on their memory), or this
 * thread's own; null where WebAssembly SIMD is unavailable.
 *
 * @example
 * const k = convKernels(); // null: use another method
 */
export function convKernels(): ConvKernels | null {
  const h = helpers;
  if (h !== null) {
    if (shared?.helpers !== h) shared = instantiate(sharedMemoryModule.sync(), h);
    if (shared !== null) return shared;
  }
  if (own === undefined) own = instantiate(ownMemoryModule.sync(), null);
  return own;
}

const PAGE = 65536;

/** Grows `k`'s memory to at least `end` bytes. */
export function ensureKernelMemory(k: ConvKernels, end: number): void {
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / PAGE));
}

/** How many parts a call over `n` images splits into on `k`'s threads. */
export function kernelParts(k: ConvKernels, n: number): number {
  return k.helpers === null ? 1 : Math.max(1, Math.min(n, k.helpers.count + 1));
}

/**
 * Runs `op` over `parts` ranges of images: part 0 on this thread, part p on helper p - 1 (helpers
 * beyond the parts run `op` on an empty range made by `args(p)`), and waits for all. `args(p)`
 * gives the op's arguments for part p.
 */
export function runOnThreads(k: ConvKernels, op: ConvKernelOp, parts: number, args: (p: number) => number[]): void {
  const h = k.helpers;
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
