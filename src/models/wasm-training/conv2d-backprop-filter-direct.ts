/**
 * The filter gradient of a convolution (NHWC, no dilation) in one pass of our own WebAssembly SIMD
 * kernel (scripts/wasm/dw-kernel.c): per image, per filter tap, tiles of 4 input x 8 output
 * channels summed in f32x4 registers over the image's output positions, then added in double
 * precision. No im2col matrix, no transposes, no packed XNNPACK operand (which for a filter
 * gradient is a chunk of `dy` itself, re-packed on every call).
 *
 * The kernel has its own memory: `x` and `dy` are copied into it (the output channels padded to a
 * multiple of 4) and the result copied back. It runs on the calling thread, and on helper threads
 * where some are set ({@link setFilterGradientHelpers}; `helmholtz-ml/node`'s `useBackend` starts
 * them for a multi-threaded wasm backend): then the images are split between the threads, each
 * filling its own double-precision total, and the totals are summed (results do not depend on
 * the thread count beyond that summation's rounding: tested).
 */
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { embeddedWasmModule } from '../../util/wasm-module.js';
import { DW_KERNEL_SHARED_WASM_BASE64 } from './dw-kernel-shared-wasm.js';
import { DW_KERNEL_WASM_BASE64 } from './dw-kernel-wasm.js';
import type { WasmScope } from './wasm-calls.js';

const ownMemoryModule = embeddedWasmModule(DW_KERNEL_WASM_BASE64);
const sharedMemoryModule = embeddedWasmModule(DW_KERNEL_SHARED_WASM_BASE64);

/**
 * Helper threads for the filter-gradient kernel: each runs its own instance of
 * {@link filterGradientSharedModule} on {@link FilterGradientHelpers.memory}. Made by
 * `helmholtz-ml/node` (worker threads); anything that implements it (e.g. Web Workers where the
 * page may block on `Atomics.wait`) can be set.
 */
export interface FilterGradientHelpers {
  /** The shared memory (`shared: true`) every instance of the kernel uses. */
  readonly memory: WebAssembly.Memory;
  /** How many helpers there are; the calling thread works beside them. */
  readonly count: number;
  /** Starts the kernel's `dw(...args[k])` on helper k, for every k < count; returns at once. */
  start(args: readonly (readonly number[])[]): void;
  /** Waits until every started helper has finished; throws if one failed. */
  join(): void;
}

interface DwKernel {
  memory: WebAssembly.Memory;
  dw: (...args: number[]) => void;
  finish: (...args: number[]) => void;
  base: number;
}

interface DwExports {
  dw: (...args: number[]) => void;
  finish: (...args: number[]) => void;
  __heap_base: WebAssembly.Global;
}

/** The helpers in use (none by default). */
let helpers: FilterGradientHelpers | null = null;
/** This thread's instance on its own memory, and on the helpers' memory. */
let ownKernel: DwKernel | null | undefined;
let sharedKernel: { kernel: DwKernel; memory: WebAssembly.Memory } | null = null;

/**
 * Sets the helper threads of the filter-gradient kernel (null: the calling thread alone, the
 * default). `helmholtz-ml/node`'s `useBackend` calls it; the previous helpers are not stopped here.
 *
 * @example
 * setFilterGradientHelpers(null); // single-threaded
 */
export function setFilterGradientHelpers(next: FilterGradientHelpers | null): void {
  helpers = next;
}

/** The helpers set by {@link setFilterGradientHelpers}, or null. */
export function filterGradientHelpers(): FilterGradientHelpers | null {
  return helpers;
}

/**
 * The compiled kernel built for a shared, imported memory (`env.memory`), for helper threads to
 * instantiate; null where WebAssembly SIMD or threads (shared memory) are unavailable.
 *
 * @example
 * const module = filterGradientSharedModule(); // post it to a worker with the shared memory
 */
export function filterGradientSharedModule(): WebAssembly.Module | null {
  return sharedMemoryModule.sync();
}

function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory | null): DwKernel | null {
  try {
    const instance = new WebAssembly.Instance(module, memory === null ? {} : { env: { memory } });
    const e = instance.exports as unknown as DwExports & { memory?: WebAssembly.Memory };
    return { memory: memory ?? (e.memory as WebAssembly.Memory), dw: e.dw, finish: e.finish, base: (Number(e.__heap_base.value) + 15) & ~15 };
  } catch {
    return null;
  }
}

function kernelFor(h: FilterGradientHelpers | null): DwKernel | null {
  if (h !== null) {
    if (sharedKernel?.memory !== h.memory) {
      const module = sharedMemoryModule.sync();
      const kernel = module === null ? null : instantiate(module, h.memory);
      sharedKernel = kernel === null ? null : { kernel, memory: h.memory };
    }
    if (sharedKernel !== null) return sharedKernel.kernel;
  }
  if (ownKernel === undefined) {
    const module = ownMemoryModule.sync();
    ownKernel = module === null ? null : instantiate(module, null);
  }
  return ownKernel;
}

const PAGE = 65536;

/**
 * [KH, KW, Ci, Co] filter gradient of the NHWC input `x` and output gradient `dy` of the
 * convolution `info` (dilation 1), computed by the kernel into a new tensor of `scope`; null where
 * WebAssembly SIMD is unavailable (the caller takes another method).
 *
 * @example
 * const dw = filterGradientDirect(scope, x, dy, channelsLastConvInfo(x.shape, [3, 3, 8, 16], attrs));
 */
export function filterGradientDirect(scope: WasmScope, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo | null {
  const h = helpers;
  const k = kernelFor(h);
  if (k === null) return null;
  const threaded = h !== null && k === sharedKernel?.kernel;
  const { batchSize: n, inHeight: ih, inWidth: iw, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const parts = threaded ? Math.min(n, h.count + 1) : 1;
  const cop = (co + 3) & ~3;
  const xLen = n * ih * iw * ci, dyLen = n * ho * wo * cop, size = kh * kw * ci * cop;
  const align = (b: number): number => (b + 15) & ~15;
  const pX = k.base, pDy = align(pX + xLen * 4), pTot = align(pDy + dyLen * 4), pOut = align(pTot + parts * size * 8);
  const end = pOut + size * 4;
  if (end > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((end - k.memory.buffer.byteLength) / PAGE));
  const heap = k.memory.buffer;
  new Float32Array(heap, pX, xLen).set(scope.view(x));
  const dySrc = scope.view(dy);
  if (cop === co) {
    new Float32Array(heap, pDy, dyLen).set(dySrc);
  } else {
    const dst = new Float32Array(heap, pDy, dyLen);
    for (let p = 0, q = 0, r = 0; p < n * ho * wo; p++, q += co, r += cop) {
      dst.set(dySrc.subarray(q, q + co), r);
      dst.fill(0, r + co, r + cop);
    }
  }
  new Float64Array(heap, pTot, parts * size).fill(0);
  const args = (p: number): number[] => [pX, pDy, pTot + p * size * 8, Math.floor((n * p) / parts), Math.floor((n * (p + 1)) / parts),
    ih, iw, ci, ho, wo, cop, kh, kw, sh, sw, info.padInfo.top, info.padInfo.left];
  if (parts > 1 && h !== null) {
    // Helper p - 1 takes part p; this thread part 0. Helpers beyond the parts get empty ranges.
    const jobs: number[][] = [];
    for (let p = 1; p <= h.count; p++) jobs.push(p < parts ? args(p) : [...args(0).slice(0, 3), 0, 0, ...args(0).slice(5)]);
    h.start(jobs);
    try {
      k.dw(...args(0));
    } finally {
      h.join();
    }
  } else {
    k.dw(...args(0));
  }
  k.finish(pTot, parts, size, pOut);
  const out = new Float32Array(k.memory.buffer, pOut, size);
  const dw = scope.empty([kh, kw, ci, co]);
  const dst = scope.view(dw);
  if (cop === co) {
    dst.set(out);
  } else {
    for (let r = 0, q = 0; r < kh * kw * ci; r++, q += co) dst.set(out.subarray(r * cop, r * cop + co), q);
  }
  return dw;
}
