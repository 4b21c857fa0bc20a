/**
 * The filter gradient of a narrow convolution (NHWC, no dilation) in one pass of our own
 * WebAssembly SIMD kernel (scripts/wasm/dw-kernel.c, embedded in dw-kernel-wasm.ts): per image,
 * per filter tap, tiles of 4 input x 8 output channels summed in f32x4 registers over the image's
 * output positions, then added in double precision. No im2col matrix, no transposes, no packed
 * XNNPACK operand (which for these layers is the chunk of `dy` itself, re-packed on every call).
 * The kernel has its own memory: `x` and `dy` are copied into it (the output channels padded to a
 * multiple of 4) and the result copied back. It runs on one thread (the calling one).
 */
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { embeddedWasmModule } from '../../util/wasm-module.js';
import { DW_KERNEL_WASM_BASE64 } from './dw-kernel-wasm.js';
import type { WasmScope } from './wasm-calls.js';

const kernelModule = embeddedWasmModule(DW_KERNEL_WASM_BASE64);

interface DwKernel {
  memory: WebAssembly.Memory;
  dw: (...args: number[]) => void;
  base: number;
}

/** The one instance (its memory is scratch space, grown as needed), or null without SIMD. */
let instance: DwKernel | null | undefined;

function kernel(): DwKernel | null {
  if (instance === undefined) {
    const module = kernelModule.sync();
    if (module === null) {
      instance = null;
    } else {
      try {
        const e = new WebAssembly.Instance(module, {}).exports as { memory: WebAssembly.Memory; dw: (...args: number[]) => void; __heap_base: WebAssembly.Global };
        instance = { memory: e.memory, dw: e.dw, base: (Number(e.__heap_base.value) + 15) & ~15 };
      } catch {
        instance = null;
      }
    }
  }
  return instance;
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
  const k = kernel();
  if (k === null) return null;
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const cop = (co + 3) & ~3;
  const xLen = n * h * w * ci, dyLen = n * ho * wo * cop, size = kh * kw * ci * cop;
  const align = (b: number): number => (b + 15) & ~15;
  const pX = k.base, pDy = align(pX + xLen * 4), pTot = align(pDy + dyLen * 4), pOut = align(pTot + size * 8);
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
  new Float64Array(heap, pTot, size).fill(0);
  k.dw(pX, pDy, pTot, pOut, n, h, w, ci, ho, wo, cop, kh, kw, sh, sw, info.padInfo.top, info.padInfo.left);
  const out = new Float32Array(heap, pOut, size);
  const dw = scope.empty([kh, kw, ci, co]);
  const dst = scope.view(dw);
  if (cop === co) {
    dst.set(out);
  } else {
    for (let r = 0, q = 0; r < kh * kw * ci; r++, q += co) dst.set(out.subarray(r * cop, r * cop + co), q);
  }
  return dw;
}
