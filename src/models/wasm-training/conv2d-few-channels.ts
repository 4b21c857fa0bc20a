/**
 * Convolutions with few input channels (1 to 3: a model's first layer, on grey or RGB images) in
 * our own WebAssembly SIMD kernels (`convc` and `dxc` of scripts/wasm/conv-kernel.c), NHWC, no
 * dilation, Co a multiple of 4. XNNPACK and our other kernels take 4 input channels at a time, so
 * on one channel most lanes idle; these run over the output channels instead: the forward pass in
 * tiles of 4 columns x 8 channels (bias and ReLU fused), the input gradient one pixel at a time
 * with its few channel sums in f32x4 registers. In place on the backend's memory, the images split
 * between the calling thread and the helper threads (each writes its own images: the same values
 * on any thread count).
 *
 * The input gradient of a first layer is not used by training, but tfjs-core's fused convolution
 * computes it with the filter gradient; this makes it cheap (a 28x28x1 -> 8 layer at batch 64:
 * 2.4 ms on the backend's own path).
 */
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { imageRange, kernelParts, runOnThreads } from './direct-kernels.js';
import type { ConvKernels } from './direct-kernels.js';
import type { WasmScope } from './wasm-calls.js';

/** Most input channels the kernels take. */
const MAX_CHANNELS = 3;

/**
 * Whether the convolution `info` (NHWC) is one the few-channel kernels compute: 1 to 3 input
 * channels, output channels a multiple of 4, dilation 1 (any filter size, stride and padding).
 *
 * @example
 * fewChannelsApply(channelsLastConvInfo([64, 28, 28, 1], [3, 3, 1, 8], { strides: 1, pad: 'same' })); // true
 */
export function fewChannelsApply(info: backend_util.Conv2DInfo): boolean {
  return info.inChannels <= MAX_CHANNELS && info.outChannels % 4 === 0 && info.dilationHeight === 1 && info.dilationWidth === 1;
}

/** The kernels' geometry arguments: h, w, ci, ho, wo, co, kh, kw, sh, sw, top, left. */
function geometry(info: backend_util.Conv2DInfo): number[] {
  return [info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.outChannels, info.filterHeight,
    info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left];
}

/**
 * The convolution `info` (see {@link fewChannelsApply}) of the NHWC `x` with `filter` ([KH, KW,
 * Ci, Co]), plus `bias` ([Co]) when given, then ReLU when `relu`, by the kernels `k` of this
 * backend; a new [N, Ho, Wo, Co] tensor of `scope`.
 *
 * @example
 * const y = fewChannelsConv(scope, k, x, filter, bias, true, info);
 */
export function fewChannelsConv(
  scope: WasmScope,
  k: ConvKernels,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | null,
  relu: boolean,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const n = info.batchSize;
  const y = scope.empty([n, info.outHeight, info.outWidth, info.outChannels]);
  const pX = scope.view(x).byteOffset, pW = scope.view(filter).byteOffset, pY = scope.view(y).byteOffset;
  const pB = bias === null ? 0 : scope.view(bias).byteOffset;
  const parts = kernelParts(k, n);
  runOnThreads(k, 'convc', parts, (p) => [pX, pW, pB, pY, ...imageRange(n, parts, p), ...geometry(info), bias === null ? 0 : 1, relu ? 1 : 0]);
  return y;
}

/**
 * [N, H, W, Ci] input gradient from the NHWC `dy` and the filter [KH, KW, Ci, Co] of the
 * convolution `info` (see {@link fewChannelsApply}), by the kernels `k`; a new tensor of `scope`.
 *
 * @example
 * const dx = fewChannelsInputGradient(scope, k, dy, filter, info);
 */
export function fewChannelsInputGradient(scope: WasmScope, k: ConvKernels, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const n = info.batchSize;
  const dx = scope.empty([n, info.inHeight, info.inWidth, info.inChannels]);
  const pDy = scope.view(dy).byteOffset, pW = scope.view(filter).byteOffset, pDx = scope.view(dx).byteOffset;
  const parts = kernelParts(k, n);
  runOnThreads(k, 'dxc', parts, (p) => [pDy, pW, pDx, ...imageRange(n, parts, p), ...geometry(info)]);
  return dx;
}
