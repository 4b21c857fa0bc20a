/**
 * `Conv2DBackpropFilter` for the wasm backend (tfjs-backend-wasm 4.22 has none), computed as
 * one forward convolution on XNNPACK with the batch as the reduction axis.
 *
 * With the input padded as in the forward pass, the filter gradient is
 *
 *   dW[kh, kw, ci, co] = sum_{n, i, j} xPad[n, i*sh + kh, j*sw + kw, ci] * dy[n, i, j, co]
 *
 * which is exactly a stride-1 convolution whose "batch" is `ci`, whose "channels" are `n`, whose
 * filter is `dy` laid out as [Ho, Wo, N, Co] and whose dilation is the forward stride:
 *
 *   conv2d(x^T [Ci, H, W, N], dy^T [Ho, Wo, N, Co], dilation (sh, sw)) -> [Ci, KH, KW, Co]
 *
 * so the work runs in the wasm backend's fastest kernel, with two transposes in and one out.
 */
import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend, permuted, WASM, withScope } from './wasm-calls.js';
import type { WasmScope } from './wasm-calls.js';

/** Explicit padding [[0, 0], [top, bottom], [left, right], [0, 0]]. */
type Padding4 = [[number, number], [number, number], [number, number], [number, number]];

/**
 * The filter gradient of a 2-D convolution, from the input `x` and the output gradient `dy`,
 * both NHWC (or both NCHW when `dataFormat` is 'NCHW'); returns [KH, KW, Ci, Co].
 */
export function conv2dBackpropFilterWasm(
  scope: WasmScope,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: Conv2DBackpropFilterAttrs,
): TensorInfo {
  const channelsLast = attrs.dataFormat !== 'NCHW';
  const xShapeNhwc = (channelsLast ? x.shape : permuted(x.shape, [0, 2, 3, 1])) as [number, number, number, number];
  const info = backend_util.computeConv2DInfo(
    xShapeNhwc,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const dyShapeNhwc = channelsLast ? dy.shape : permuted(dy.shape, [0, 2, 3, 1]);
  if (dyShapeNhwc[0] !== n || dyShapeNhwc[1] !== ho || dyShapeNhwc[2] !== wo || dyShapeNhwc[3] !== co) {
    throw new Error(`Conv2DBackpropFilter (wasm): dy has shape [${dy.shape}], expected the output shape of the convolution`);
  }
  // Rows and columns of the padded input the last filter tap reaches; anything past is unused.
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  let bottom = kh + sh * (ho - 1) - h - top;
  let right = kw + sw * (wo - 1) - w - left;
  // x^T: [Ci, H, W, N]; dy^T: [Ho, Wo, N, Co].
  let xT = scope.call('Transpose', { x }, { perm: channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0] });
  const dyT = scope.call('Transpose', { x: dy }, { perm: channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1] });
  if (bottom < 0 || right < 0) {
    // Rows/columns at the end of the input that no output reads: drop them.
    xT = cropEnd(scope, xT, [ci, h + Math.min(bottom, 0), w + Math.min(right, 0), n]);
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
  }
  const pad: Padding4 = [[0, 0], [top, bottom], [left, right], [0, 0]];
  const dwT = scope.call('Conv2D', { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad,
    dataFormat: 'NHWC',
    dilations: [sh, sw],
    dimRoundingMode: undefined,
  } as unknown as Record<string, never>);
  return scope.call('Transpose', { x: dwT }, { perm: [1, 2, 0, 3] });
}

/** Copies the leading block of a 4-D tensor (each axis cut to `size`). */
function cropEnd(scope: WasmScope, t: TensorInfo, size: number[]): TensorInfo {
  const out = scope.empty(size);
  const src = scope.view(t);
  const dst = scope.view(out);
  const [, s1, s2, s3] = t.shape;
  const [d0, d1, d2, d3] = size;
  let o = 0;
  for (let a = 0; a < d0; a++) {
    for (let b = 0; b < d1; b++) {
      for (let c = 0; c < d2; c++) {
        const off = ((a * s1 + b) * s2 + c) * s3;
        dst.set(src.subarray(off, off + d3), o);
        o += d3;
      }
    }
  }
  return out;
}

const kernelFunc = (({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend, Conv2DBackpropFilter);
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  return withScope(wasm, (scope) => conv2dBackpropFilterWasm(scope, x, dy, attrs as unknown as Conv2DBackpropFilterAttrs));
}) as KernelFunc;

/** Kernel config: `Conv2DBackpropFilter` on 'wasm'. */
export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc,
};
