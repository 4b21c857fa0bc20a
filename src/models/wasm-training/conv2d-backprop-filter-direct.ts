/**
 * The filter gradient of a convolution (NHWC, no dilation) in one pass of our own WebAssembly SIMD
 * kernel (`dw` of scripts/wasm/conv-kernel.c): per image, per filter tap, tiles of 4 input x 8
 * output channels summed in f32x4 registers over the image's output positions, then added in
 * double precision. No im2col matrix, no transposes, no packed XNNPACK operand (which for a
 * filter gradient is a chunk of `dy` itself, re-packed on every call).
 *
 * The kernel reads `x` and `dy` in place on the backend's memory (direct-kernels.ts); only a `dy`
 * whose channels are not a multiple of 4 is first copied, padded. With helper threads the images
 * are split between the threads, each filling its own double-precision total, and the totals are
 * summed (results do not depend on the thread count beyond that summation's rounding: tested).
 */
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { convKernels, imageRange, kernelParts, runOnThreads } from './direct-kernels.js';
import type { WasmScope } from './wasm-calls.js';

/**
 * [KH, KW, Ci, Co] filter gradient of the NHWC input `x` and output gradient `dy` of the
 * convolution `info` (dilation 1), computed by the kernel into a new tensor of `scope`; null where
 * the kernel cannot run (the caller takes another method).
 *
 * @example
 * const dw = filterGradientDirect(scope, x, dy, channelsLastConvInfo(x.shape, [3, 3, 8, 16], attrs));
 */
export function filterGradientDirect(scope: WasmScope, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo | null {
  const k = convKernels(scope.backend);
  if (k === null) return null;
  const { batchSize: n, inHeight: ih, inWidth: iw, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const parts = kernelParts(k, n);
  const cop = (co + 3) & ~3;
  const size = kh * kw * ci * cop;
  // Every tensor first (making one may grow the memory), then the views and offsets.
  const dyPadded = cop === co ? dy : scope.empty([n * ho * wo * cop]);
  const totals = scope.empty([parts * size * 2 + 2]); // doubles, 8-byte aligned below
  const dw = scope.empty([kh, kw, ci, co]);
  const out = cop === co ? dw : scope.empty([size]);
  if (dyPadded !== dy) copyPaddingChannels(scope.view(dy), scope.view(dyPadded), co, cop);
  const pTot = (scope.view(totals).byteOffset + 7) & ~7;
  new Float64Array(k.memory.buffer, pTot, parts * size).fill(0);
  const pX = scope.view(x).byteOffset, pDy = scope.view(dyPadded).byteOffset;
  runOnThreads(k, 'dw', parts, (p) => [pX, pDy, pTot + Math.min(p, parts - 1) * size * 8, ...imageRange(n, parts, p),
    ih, iw, ci, ho, wo, cop, kh, kw, sh, sw, info.padInfo.top, info.padInfo.left]);
  k.finish(pTot, parts, size, scope.view(out).byteOffset);
  if (out !== dw) copyPaddingChannels(scope.view(out), scope.view(dw), cop, co);
  return dw;
}

/**
 * Copies rows of `from` channels into rows of `to` channels: the first min of each row, the rest
 * of a longer destination row zeroed.
 *
 * @example
 * copyPaddingChannels(dy, padded, 10, 12); // [.., 10] -> [.., 12] with two zero channels
 */
export function copyPaddingChannels(src: Float32Array, dst: Float32Array, from: number, to: number): void {
  if (from === to) {
    dst.set(src.subarray(0, dst.length));
    return;
  }
  const keep = Math.min(from, to);
  for (let q = 0, r = 0; r < dst.length; q += from, r += to) {
    dst.set(src.subarray(q, q + keep), r);
    if (to > from) dst.fill(0, r + from, r + to);
  }
}
