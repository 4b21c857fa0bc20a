/**
 * `Conv2DBackpropInput` for the wasm backend, as forward XNNPACK convolutions of `dy` with the
 * flipped filter (tfjs-backend-wasm 4.22 ships a scalar loop about 10x slower than its forward
 * convolution).
 *
 * With `p` the forward pass's leading padding and `s` its stride, an input position `h` receives
 *
 *   dx[h] = sum over taps k with (h + p - k) divisible by s of dy[(h + p - k) / s] * W[k]
 *
 * For stride 1 that is one convolution of `dy` with the filter flipped in space and with its
 * in/out channels swapped, padded by K - 1 - p. For stride s > 1 the positions split into s x s
 * phases (h mod s, w mod s); in each phase only the taps k = r, r + s, ... contribute, so the
 * phase is a stride-1 convolution with that sub-filter (3x3 stride 2: 2x2, 2x1, 1x2 and 1x1).
 * The phases are then interleaved. This does exactly the multiply-adds of the direct method, no
 * zero-inserted ("dilated") `dy` with three quarters of its products wasted.
 */
import { Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import type { backend_util, Conv2DBackpropInputAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { inputGradientDirect } from './conv2d-backprop-input-direct.js';
import { fewChannelsApply, fewChannelsInputGradient } from './conv2d-few-channels.js';
import { convKernels } from './direct-kernels.js';
import { channelsLastConvInfo, scopedKernel } from './wasm-calls.js';
import type { WasmScope } from './wasm-calls.js';

/** One phase of one spatial axis: which taps contribute and how `dy` must be padded. */
interface AxisPhase {
  /** Filter taps, in the order the flipped sub-filter uses them. */
  taps: number[];
  /** Padding before `dy` (negative: rows to drop from its start). */
  before: number;
  /** Padding after `dy` (negative: rows to drop from its end). */
  after: number;
}

/**
 * The phases of one axis: for each b in 0..s-1, the outputs h = s*a + b (a = 0..ceil(size/s)-1)
 * as a stride-1 valid convolution of `dy` padded by (before, after) with the taps listed.
 *
 * @example
 * axisPhases(32, 16, 3, 2, 0); // [{ taps: [2, 0], before: 1, after: 0 }, { taps: [1], before: 0, after: 0 }]
 */
export function axisPhases(size: number, outSize: number, kernel: number, stride: number, padBefore: number): AxisPhase[] {
  const count = Math.ceil(size / stride);
  const phases: AxisPhase[] = [];
  for (let b = 0; b < stride; b++) {
    const r = (((b + padBefore) % stride) + stride) % stride;
    const c = (b + padBefore - r) / stride;
    const taps: number[] = [];
    for (let k = r; k < kernel; k += stride) taps.unshift(k);
    const m = taps.length;
    const before = m - 1 - c;
    const after = count + m - 1 - before - outSize;
    phases.push({ taps, before, after });
  }
  return phases;
}

/**
 * The input gradient of a 2-D convolution from `dy` (NHWC, or NCHW when `dataFormat` is 'NCHW')
 * and the filter [KH, KW, Ci, Co]; returns a tensor of `attrs.inputShape`. Used by the
 * registered kernel; intermediates live in `scope`.
 *
 * @example
 * const dx = withScope(wasmBackend, (scope) =>
 *   conv2dBackpropInputWasm(scope, dy, filter, { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [128, 32, 32, 64] }));
 */
export function conv2dBackpropInputWasm(
  scope: WasmScope,
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: Conv2DBackpropInputAttrs,
): TensorInfo {
  const channelsLast = attrs.dataFormat !== 'NCHW';
  const info = channelsLastConvInfo(attrs.inputShape, filter.shape, attrs);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const dyNhwc = channelsLast ? dy : scope.call('Transpose', { x: dy }, { perm: [0, 2, 3, 1] });
  if (dyNhwc.shape[0] !== n || dyNhwc.shape[1] !== ho || dyNhwc.shape[2] !== wo || dyNhwc.shape[3] !== co) {
    throw new Error(`Conv2DBackpropInput (wasm): dy has shape [${dy.shape}], expected the output shape of the convolution`);
  }
  const method = inputGradientMethod(info);
  const k = method === 'few' ? convKernels(scope.backend) : null;
  const direct = k !== null ? fewChannelsInputGradient(scope, k, dyNhwc, filter, info)
    : method === 'direct' ? inputGradientDirect(scope, dyNhwc, filter, info) : null;
  if (direct !== null) return channelsLast ? direct : scope.call('Transpose', { x: direct }, { perm: [0, 3, 1, 2] });
  const rowsPhases = axisPhases(h, ho, kh, sh, info.padInfo.top);
  const colsPhases = axisPhases(w, wo, kw, sw, info.padInfo.left);
  const a = Math.ceil(h / sh);
  const bCount = Math.ceil(w / sw);
  const filterValues = Float32Array.from(scope.view(filter));
  const results: (TensorInfo | null)[] = [];
  for (const rows of rowsPhases) {
    for (const cols of colsPhases) {
      results.push(phaseConv(scope, dyNhwc, filterValues, [kh, kw, ci, co], rows, cols, [n, a, bCount, ci]));
    }
  }
  let dx: TensorInfo;
  if (sh === 1 && sw === 1 && results[0] !== null) {
    dx = results[0];
  } else {
    dx = interleave(scope, results, [n, h, w, ci], sh, sw, a, bCount);
  }
  return channelsLast ? dx : scope.call('Transpose', { x: dx }, { perm: [0, 3, 1, 2] });
}

/**
 * Which method computes an input gradient: for 1 to 3 input channels (Co a multiple of 4), our
 * few-channel kernel (`'few'`, conv2d-few-channels.ts; a 28x28x1 -> 8 layer at batch 64 was 2.4 ms
 * through the phases); else our own kernel (`'direct'`, conv2d-backprop-input-direct.ts) for
 * strided convolutions, where the phases' copies and interleaving cost more than their
 * arithmetic; else the phases (`'phases'`: for stride 1 a single convolution, `Conv2D`). The
 * direct kernels also need WebAssembly SIMD (and `'direct'` Ci a multiple of 4), else the phases
 * run. `globalThis.HELMHOLTZ_WASM_DX` = 'phases' forces the phases, 'direct' our kernels
 * (benchmarks, tests).
 */
function inputGradientMethod(info: backend_util.Conv2DInfo): 'few' | 'direct' | 'phases' {
  const forced = (globalThis as { HELMHOLTZ_WASM_DX?: string }).HELMHOLTZ_WASM_DX;
  if (forced === 'phases') return 'phases';
  if (fewChannelsApply(info)) return 'few';
  if (forced === 'direct') return 'direct';
  return info.strideHeight > 1 || info.strideWidth > 1 ? 'direct' : 'phases';
}

/** One phase: a stride-1 convolution of (padded or cropped) `dy` with a flipped sub-filter. */
function phaseConv(
  scope: WasmScope,
  dy: TensorInfo,
  filterValues: Float32Array,
  filterShape: [number, number, number, number],
  rows: AxisPhase,
  cols: AxisPhase,
  outShape: [number, number, number, number],
): TensorInfo | null {
  const [, kw, ci, co] = filterShape;
  const mh = rows.taps.length;
  const mw = cols.taps.length;
  if (mh === 0 || mw === 0) return null;
  // Sub-filter [mh, mw, Co, Ci]: flipped taps, input and output channels swapped.
  const sub = new Float32Array(mh * mw * co * ci);
  let o = 0;
  for (const th of rows.taps) {
    for (const tw of cols.taps) {
      const base = (th * kw + tw) * ci * co;
      for (let c2 = 0; c2 < co; c2++) {
        for (let c1 = 0; c1 < ci; c1++) sub[o++] = filterValues[base + c1 * co + c2];
      }
    }
  }
  const subFilter = scope.fromValues([mh, mw, co, ci], sub);
  let input = dy;
  const cropRows: [number, number] = [Math.max(0, -rows.before), Math.max(0, -rows.after)];
  const cropCols: [number, number] = [Math.max(0, -cols.before), Math.max(0, -cols.after)];
  if (cropRows[0] + cropRows[1] + cropCols[0] + cropCols[1] > 0) {
    input = crop(scope, dy, cropRows, cropCols);
  }
  const pad = [
    [0, 0],
    [Math.max(0, rows.before), Math.max(0, rows.after)],
    [Math.max(0, cols.before), Math.max(0, cols.after)],
    [0, 0],
  ];
  const out = scope.call('Conv2D', { x: input, filter: subFilter }, {
    strides: [1, 1],
    pad,
    dataFormat: 'NHWC',
    dilations: [1, 1],
  } as unknown as Record<string, never>);
  if (out.shape[1] !== outShape[1] || out.shape[2] !== outShape[2]) {
    throw new Error(`Conv2DBackpropInput (wasm): internal phase shape [${out.shape}] != [${outShape}]`);
  }
  return out;
}

/** Drops rows/columns from the start and end of an NHWC tensor. */
function crop(scope: WasmScope, t: TensorInfo, rows: [number, number], cols: [number, number]): TensorInfo {
  const [n, h, w, c] = t.shape;
  const h2 = h - rows[0] - rows[1];
  const w2 = w - cols[0] - cols[1];
  const out = scope.empty([n, Math.max(h2, 0), Math.max(w2, 0), c]);
  const src = scope.view(t);
  const dst = scope.view(out);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h2; i++) {
      const off = ((b * h + i + rows[0]) * w + cols[0]) * c;
      dst.set(src.subarray(off, off + w2 * c), o);
      o += w2 * c;
    }
  }
  return out;
}

/** Writes phase (bh, bw)'s [N, A, B, C] result to rows s*a + bh and columns s*b + bw of dx. */
function interleave(
  scope: WasmScope,
  results: (TensorInfo | null)[],
  shape: [number, number, number, number],
  sh: number,
  sw: number,
  a: number,
  bCount: number,
): TensorInfo {
  const [n, h, w, c] = shape;
  const dx = scope.empty(shape);
  const dst = scope.view(dx);
  dst.fill(0);
  for (let bh = 0; bh < sh; bh++) {
    for (let bw = 0; bw < sw; bw++) {
      const r = results[bh * sw + bw];
      if (r === null) continue;
      const src = scope.view(r);
      for (let b = 0; b < n; b++) {
        for (let i = 0; i < a; i++) {
          const row = i * sh + bh;
          if (row >= h) break;
          const srcRow = (b * a + i) * bCount * c;
          const dstRow = (b * h + row) * w * c;
          // Element loops: a subarray per pixel (tens of thousands per call) costs more than the copy.
          for (let j = 0; j < bCount; j++) {
            const col = j * sw + bw;
            if (col >= w) break;
            const s0 = srcRow + j * c;
            const d0 = dstRow + col * c;
            for (let k = 0; k < c; k++) dst[d0 + k] = src[s0 + k];
          }
        }
      }
    }
  }
  return dx;
}

/** Kernel config: `Conv2DBackpropInput` on 'wasm' (replaces the backend's scalar loop). */
export const conv2dBackpropInputConfig: KernelConfig = scopedKernel<Conv2DBackpropInputAttrs>(Conv2DBackpropInput, (scope, { dy, filter }, attrs) =>
  conv2dBackpropInputWasm(scope, dy, filter, attrs),
);
