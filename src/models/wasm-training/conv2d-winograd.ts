/**
 * 3x3 stride-1 'same' convolutions (NHWC) by Winograd's minimal filtering F(2x2, 3x3) in our own
 * WebAssembly SIMD kernel (`wino` of scripts/wasm/conv-kernel.c): 16 multiplications per 2x2
 * block of outputs and channel pair instead of 36. The filter is transformed here (G g G^T, in
 * double precision, rounded once to float32); the input and output transforms and the 16
 * products run in the kernel, in place on the backend's memory, the images split between the
 * calling thread and the helper threads.
 *
 * The sums are the direct method's reassociated (the transforms add and subtract inputs before
 * the products), so they round differently: within ~1e-6 relative of the direct sums on unit
 * data (tested against the cpu backend).
 */
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { imageRange, kernelParts, runOnThreads } from './direct-kernels.js';
import type { ConvKernels } from './direct-kernels.js';
import type { WasmScope } from './wasm-calls.js';

/**
 * Whether the convolution `info` is one the Winograd kernel computes: 3x3, stride 1, dilation
 * 1, one row and column of zeros on each side (the output the input's size), Ci and Co multiples
 * of 4. `globalThis.HELMHOLTZ_WASM_WINOGRAD = 'off'` turns the kernel off (benchmarks, tests).
 *
 * @example
 * winogradApplies(channelsLastConvInfo([64, 14, 14, 32], [3, 3, 32, 32], { strides: 1, pad: 'same' })); // true
 */
export function winogradApplies(info: backend_util.Conv2DInfo): boolean {
  if ((globalThis as { HELMHOLTZ_WASM_WINOGRAD?: string }).HELMHOLTZ_WASM_WINOGRAD === 'off') return false;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo } = info;
  return (
    filterHeight === 3 &&
    filterWidth === 3 &&
    strideHeight === 1 &&
    strideWidth === 1 &&
    dilationHeight === 1 &&
    dilationWidth === 1 &&
    padInfo.top === 1 &&
    padInfo.left === 1 &&
    info.outHeight === info.inHeight &&
    info.outWidth === info.inWidth &&
    info.inChannels % 4 === 0 &&
    info.outChannels % 4 === 0
  );
}

/**
 * The filter [3, 3, Ci, Co] transformed for F(2x2, 3x3): [16, Ci, Co], position 4r + s holding
 * (G g G^T)[r][s] with G = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]].
 *
 * @example
 * const u = winogradFilter(filterValues, 32, 32); // 16 * 32 * 32 values
 */
export function winogradFilter(filter: Float32Array, ci: number, co: number, out: Float32Array = new Float32Array(16 * ci * co)): Float32Array {
  const n = ci * co;
  const gg = new Float64Array(12); // G g for one channel pair: 4 rows x 3 filter columns, in double
  for (let k = 0; k < n; k++) {
    // G g, column by column of the filter (tap (a, b) at filter[(3a + b) n + k])
    for (let b = 0; b < 3; b++) {
      const g0 = filter[b * n + k], g1 = filter[(3 + b) * n + k], g2 = filter[(6 + b) * n + k];
      gg[b] = g0;
      gg[3 + b] = (g0 + g1 + g2) / 2;
      gg[6 + b] = (g0 - g1 + g2) / 2;
      gg[9 + b] = g2;
    }
    // then (G g) G^T along each row r
    for (let r = 0; r < 4; r++) {
      const t0 = gg[3 * r], t1 = gg[3 * r + 1], t2 = gg[3 * r + 2];
      out[4 * r * n + k] = t0;
      out[(4 * r + 1) * n + k] = (t0 + t1 + t2) / 2;
      out[(4 * r + 2) * n + k] = (t0 - t1 + t2) / 2;
      out[(4 * r + 3) * n + k] = t2;
    }
  }
  return out;
}

/**
 * The convolution `info` (see {@link winogradApplies}) of the NHWC `x` with `filter` ([3, 3, Ci,
 * Co]), plus `bias` ([Co]) when given, then ReLU when `relu`, by the kernels `k` of this backend
 * (`convKernels`); a new [N, H, W, Co] tensor of `scope`.
 *
 * @example
 * const k = convKernels(scope.backend);
 * if (k !== null) y = winogradConv(scope, k, x, filter, bias, false, info);
 */
export function winogradConv(
  scope: WasmScope,
  k: ConvKernels,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | null,
  relu: boolean,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outChannels: co } = info;
  const parts = kernelParts(k, n);
  const blocks = Math.ceil(w / 2);
  const scratchPer = 16 * blocks * (ci + co);
  // Every tensor first (making one may grow the memory), then the views and offsets.
  const u = scope.empty([16, ci, co]);
  const scratch = scope.empty([parts, scratchPer]);
  const y = scope.empty([n, h, w, co]);
  const uView = winogradFilter(scope.view(filter), ci, co, scope.view(u));
  const pX = scope.view(x).byteOffset, pU = uView.byteOffset, pY = scope.view(y).byteOffset;
  const pB = bias === null ? 0 : scope.view(bias).byteOffset;
  const pS = scope.view(scratch).byteOffset;
  runOnThreads(k, 'wino', parts, (p) => [pX, pU, pB, pY, pS + 4 * p * scratchPer, ...imageRange(n, parts, p), h, w, ci, co, bias === null ? 0 : 1, relu ? 1 : 0]);
  return y;
}
