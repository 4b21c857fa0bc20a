/**
 * `Conv2D` and `FusedConv2D` for the wasm backend: the 3x3 stride-1 'same' convolutions (NHWC,
 * Ci and Co multiples of 4, at least 8x8) by Winograd F(2x2, 3x3) in our own kernel
 * (conv2d-winograd.ts), and those with 1 to 3 input channels (Co a multiple of 4) in our
 * few-channel kernel (conv2d-few-channels.ts), with the bias and a ReLU fused; every other
 * convolution, activation or layout goes to tfjs-backend-wasm's own kernel (XNNPACK). Through `Conv2D` the stride-1 input
 * gradients (conv2d-backprop-input.ts: a convolution of `dy` with the flipped filter) take the
 * same kernel.
 *
 * Measured on one wasm thread (CPU ms, against XNNPACK, bias + ReLU): model A's 32x32x32->64 at
 * batch 128 137 vs 396, 16x16x128->128 288 vs 620, 8x8x128->128 61 vs 101; the sweep model's
 * 28x28x8->16 and 14x14x32->32 at batch 64 6.3 vs 8.3 and 7.7 vs 10.7. At 7x7 the blocks' odd
 * edge wastes a quarter of the products (3.9 vs 3.3 ms), hence the 8x8 floor.
 */
import { Conv2D, FusedConv2D } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, FusedConv2DAttrs, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { fewChannelsApply, fewChannelsConv } from './conv2d-few-channels.js';
import { winogradApplies, winogradConv } from './conv2d-winograd.js';
import { convKernels } from './direct-kernels.js';
import { asWasmBackend, channelsLastConvInfo, OriginalKernel, WASM, withScope } from './wasm-calls.js';

export const originalConv2D = new OriginalKernel(Conv2D);
export const originalFusedConv2D = new OriginalKernel(FusedConv2D);

/** Smallest height and width the Winograd kernel takes (below it XNNPACK is faster). */
const MIN_SIZE = 8;

function unitDilation(dilations: number | [number, number] | undefined): boolean {
  return dilations === undefined || dilations === 1 || (Array.isArray(dilations) && dilations[0] === 1 && dilations[1] === 1);
}

/**
 * The convolution by one of our kernels where one applies (Winograd, or the few-input-channel
 * kernel), else null. `bias` and `relu` are fused.
 */
function tryOwnKernels(
  kernelName: string,
  backend: unknown,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | null,
  relu: boolean,
  attrs: Conv2DAttrs,
): TensorInfo | null {
  if (attrs.dataFormat === 'NCHW' || !unitDilation(attrs.dilations) || x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  if (x.shape.length !== 4 || filter.shape.length !== 4) return null;
  const info = channelsLastConvInfo(x.shape, filter.shape, attrs);
  const winograd = info.inHeight >= MIN_SIZE && info.inWidth >= MIN_SIZE && winogradApplies(info);
  if (!winograd && !fewChannelsApply(info)) return null;
  if (bias !== null && (bias.dtype !== 'float32' || bias.shape.length !== 1 || bias.shape[0] !== info.outChannels)) return null;
  const wasm = asWasmBackend(backend, kernelName);
  const k = convKernels(wasm);
  if (k === null) return null;
  return withScope(wasm, (scope) =>
    winograd ? winogradConv(scope, k, x, filter, bias, relu, info) : fewChannelsConv(scope, k, x, filter, bias, relu, info));
}

const conv2dFunc = (({ inputs, backend, attrs }) => {
  const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
  const y = tryOwnKernels(Conv2D, backend, x, filter, null, false, attrs as unknown as Conv2DAttrs);
  return y ?? originalConv2D.run(backend as object, inputs, (attrs ?? {}) as NamedAttrMap);
}) as KernelFunc;

const fusedConv2dFunc = (({ inputs, backend, attrs }) => {
  const { x, filter, bias, preluActivationWeights } = inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  const a = attrs as unknown as FusedConv2DAttrs;
  const activation = a.activation ?? 'linear';
  let y: TensorInfo | null = null;
  if ((activation === 'linear' || activation === 'relu') && preluActivationWeights == null) {
    y = tryOwnKernels(FusedConv2D, backend, x, filter, bias ?? null, activation === 'relu', a);
  }
  return y ?? originalFusedConv2D.run(backend as object, inputs, (attrs ?? {}) as NamedAttrMap);
}) as KernelFunc;

/** The wasm `Conv2D` kernel (Winograd or the few-channel kernel where one applies, else the backend's own). */
export const conv2dConfig: KernelConfig = { kernelName: Conv2D, backendName: WASM, kernelFunc: conv2dFunc };

/** The wasm `FusedConv2D` kernel (Winograd or the few-channel kernel, with bias and ReLU, where one applies, else the backend's own). */
export const fusedConv2dConfig: KernelConfig = { kernelName: FusedConv2D, backendName: WASM, kernelFunc: fusedConv2dFunc };
