/**
 * The filter gradient of a 3x3 stride-1 'same' convolution (NHWC) by Winograd's F(3x3, 2x2), the
 * transpose of the forward pass's F(2x2, 3x3) (conv2d-winograd.ts), in our own WebAssembly SIMD
 * kernel (`winodw` of scripts/wasm/conv-kernel.c):
 *
 *   dW = G'^T [ sum over images and 2x2 blocks of dy of (B^T x B) . (A' dy A'^T) ] G'
 *
 * 16 products per block and channel pair, summed in the transformed domain and transformed once
 * at the end, instead of the direct kernel's 36 (9 taps x 4 outputs). Per image the kernel
 * transforms every block of `x` and `dy` into its scratch, then sums the products per position in
 * tiles of 4 x 8 channels in f32x4 registers and adds each image's sums in double precision, as
 * the direct kernel does; with helper threads the images are split and the threads' totals summed
 * in `winoDwFinish`, which also applies G' (in double, rounded once to float32).
 *
 * The sums are the direct method's reassociated, so they round differently: within ~1e-6
 * relative on unit data (tested against the cpu backend).
 */
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { imageRange, kernelParts, runOnThreads } from './direct-kernels.js';
import type { ConvKernels } from './direct-kernels.js';
import type { WasmScope } from './wasm-calls.js';

/**
 * [3, 3, Ci, Co] filter gradient of the NHWC input `x` and output gradient `dy` of the
 * convolution `info` (one {@link winogradApplies} accepts), by the kernels `k` of this backend
 * (`convKernels`); a new tensor of `scope`.
 *
 * @example
 * const k = convKernels(scope.backend);
 * if (k !== null && winogradApplies(info)) dw = winogradFilterGradient(scope, k, x, dy, info);
 */
export function winogradFilterGradient(scope: WasmScope, k: ConvKernels, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outChannels: co } = info;
  const parts = kernelParts(k, n);
  const blocks = Math.ceil(h / 2) * Math.ceil(w / 2);
  const scratchPer = 16 * blocks * (ci + co);
  const size = ci * co;
  // Every tensor first (making one may grow the memory), then the views and offsets.
  const scratch = scope.empty([parts, scratchPer]);
  const totals = scope.empty([parts * 16 * size * 2 + 2]); // doubles, 8-byte aligned below
  const dw = scope.empty([3, 3, ci, co]);
  const pTot = (scope.view(totals).byteOffset + 7) & ~7;
  new Float64Array(k.memory.buffer, pTot, parts * 16 * size).fill(0);
  const pX = scope.view(x).byteOffset, pDy = scope.view(dy).byteOffset, pS = scope.view(scratch).byteOffset;
  runOnThreads(k, 'winodw', parts, (p) => [pX, pDy, pTot + Math.min(p, parts - 1) * 16 * size * 8, pS + 4 * Math.min(p, parts - 1) * scratchPer,
    ...imageRange(n, parts, p), h, w, ci, co]);
  k.winoDwFinish(pTot, parts, size, scope.view(dw).byteOffset);
  return dw;
}
