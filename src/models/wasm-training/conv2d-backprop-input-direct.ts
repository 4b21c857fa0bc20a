/**
 * The input gradient of a strided convolution (NHWC, no dilation) in one pass of our own
 * WebAssembly SIMD kernel (`dx` of scripts/wasm/conv-kernel.c): per output row and column phase,
 * tiles of 4 columns x 8 channels summed in f32x4 registers over the taps that reach them and
 * the output channels, in place on the backend's memory. The phase method of
 * conv2d-backprop-input.ts does the same multiply-adds as s x s XNNPACK convolutions, but pays for
 * their padded copies of `dy`, their set-ups and the interleaving of their results.
 *
 * The images are split between the calling thread and the helper threads (each writes its own
 * images of `dx`: the same values on any thread count).
 */
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { convKernels, imageRange, kernelParts, runOnThreads } from './direct-kernels.js';
import type { WasmScope } from './wasm-calls.js';

/**
 * [N, H, W, Ci] input gradient from the NHWC `dy` and the filter [KH, KW, Ci, Co] of the
 * convolution `info` (dilation 1, Ci a multiple of 4), in a new tensor of `scope`; null where the
 * kernel cannot run (the caller takes another method).
 *
 * @example
 * const dx = inputGradientDirect(scope, dy, filter, channelsLastConvInfo([64, 28, 28, 16], [3, 3, 16, 32], attrs));
 */
export function inputGradientDirect(scope: WasmScope, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo | null {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  if (ci % 4 !== 0) return null;
  const k = convKernels(scope.backend);
  if (k === null) return null;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  // Every tensor first (making one may grow the memory), then the views and offsets.
  const swapped = scope.empty([kh, kw, co, ci]);
  const dx = scope.empty([n, h, w, ci]);
  const f = scope.view(filter);
  const t = scope.view(swapped);
  for (let tap = 0; tap < kh * kw; tap++) {
    const base = tap * ci * co;
    for (let c = 0; c < ci; c++) for (let o = 0; o < co; o++) t[base + o * ci + c] = f[base + c * co + o];
  }
  const pDy = scope.view(dy).byteOffset, pW = t.byteOffset, pDx = scope.view(dx).byteOffset;
  const parts = kernelParts(k, n);
  runOnThreads(k, 'dx', parts, (p) => [pDy, pW, pDx, ...imageRange(n, parts, p), h, w, ci, ho, wo, co, kh, kw, sh, sw, info.padInfo.top, info.padInfo.left]);
  return dx;
}
