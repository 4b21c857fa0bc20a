/**
 * `Conv2DBackpropFilter` for the wasm backend (tfjs-backend-wasm 4.22 has none). NHWC layers
 * without dilation run in our own kernels (3x3 stride-1 'same' ones by Winograd,
 * conv2d-backprop-filter-winograd.ts, the rest conv2d-backprop-filter-direct.ts); the others as
 * one forward convolution on XNNPACK with the batch as the reduction axis:
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
import type { Conv2DBackpropFilterAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { filterGradientDirect } from './conv2d-backprop-filter-direct.js';
import { winogradFilterGradient } from './conv2d-backprop-filter-winograd.js';
import { winogradApplies } from './conv2d-winograd.js';
import { convKernels } from './direct-kernels.js';
import { channelsLastConvInfo, permuted, scopedKernel, WasmScope } from './wasm-calls.js';

/** Explicit padding [[0, 0], [top, bottom], [left, right], [0, 0]]. */
type Padding4 = [[number, number], [number, number], [number, number], [number, number]];

/**
 * The filter gradient of a 2-D convolution, from the input `x` and the output gradient `dy`,
 * both NHWC (or both NCHW when `dataFormat` is 'NCHW'); returns [KH, KW, Ci, Co]. Used by the
 * registered kernel; intermediates live in `scope`.
 *
 * @example
 * const dw = withScope(wasmBackend, (scope) =>
 *   conv2dBackpropFilterWasm(scope, x, dy, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 64, 128] }));
 */
export function conv2dBackpropFilterWasm(
  scope: WasmScope,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: Conv2DBackpropFilterAttrs,
): TensorInfo {
  const channelsLast = attrs.dataFormat !== 'NCHW';
  const info = channelsLastConvInfo(x.shape, attrs.filterShape, attrs);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const dyShapeNhwc = channelsLast ? dy.shape : permuted(dy.shape, [0, 2, 3, 1]);
  if (dyShapeNhwc[0] !== n || dyShapeNhwc[1] !== ho || dyShapeNhwc[2] !== wo || dyShapeNhwc[3] !== co) {
    throw new Error(`Conv2DBackpropFilter (wasm): dy has shape [${dy.shape}], expected the output shape of the convolution`);
  }
  const method = filterGradientMethod(info, channelsLast);
  if (method === 'taps') return filterGradientByTaps(scope, x, dy, info);
  // Without our kernels (no WebAssembly SIMD) neither Winograd nor the direct kernel runs.
  const k = method === 'winograd' ? convKernels(scope.backend) : null;
  if (k !== null) return winogradFilterGradient(scope, k, x, dy, info);
  if (method === 'direct') {
    const direct = filterGradientDirect(scope, x, dy, info);
    if (direct !== null) return direct;
  }
  // Rows and columns of the padded input the last filter tap reaches; anything past is unused.
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  let bottom = kh + sh * (ho - 1) - h - top;
  let right = kw + sw * (wo - 1) - w - left;
  const nb = chunkSize(n, ho * wo);
  const chunks = n / nb;
  // Images in chunks of nb: x^T [chunks, Ci, H*W, nb] and dy^T [chunks, Ho*Wo, nb, Co], so that
  // chunk c is x^T_c [Ci, H, W, nb] and dy^T_c [Ho, Wo, nb, Co], both contiguous.
  const xChunks = channelsLast
    ? scope.call('Transpose', { x: reshapeInfo(x, [chunks, nb, h * w, ci]) }, { perm: [0, 3, 2, 1] })
    : scope.call('Transpose', { x: reshapeInfo(x, [chunks, nb, ci, h * w]) }, { perm: [0, 2, 3, 1] });
  const dyChunks = channelsLast
    ? scope.call('Transpose', { x: reshapeInfo(dy, [chunks, nb, ho * wo, co]) }, { perm: [0, 2, 1, 3] })
    : scope.call('Transpose', { x: reshapeInfo(dy, [chunks, nb, co, ho * wo]) }, { perm: [0, 3, 1, 2] });
  const hUsed = h + Math.min(bottom, 0);
  const wUsed = w + Math.min(right, 0);
  bottom = Math.max(bottom, 0);
  right = Math.max(right, 0);
  const pad: Padding4 = [[0, 0], [top, bottom], [left, right], [0, 0]];
  const convAttrs = { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [sh, sw] } as unknown as Record<string, never>;
  const size = kh * kw * ci * co;
  const acc = chunks > 1 ? new Float64Array(size) : null;
  let last: TensorInfo | null = null;
  for (let c = 0; c < chunks; c++) {
    const part = new WasmScope(scope.backend);
    try {
      const xc = copyChunk(part, xChunks, c, [ci, h, w, nb], [ci, hUsed, wUsed, nb]);
      const dyc = copyChunk(part, dyChunks, c, [ho, wo, nb, co], [ho, wo, nb, co]);
      const dwT = part.call('Conv2D', { x: xc, filter: dyc }, convAttrs);
      if (acc === null) {
        last = part.keep(dwT);
      } else {
        const v = part.view(dwT);
        for (let i = 0; i < size; i++) acc[i] += v[i];
      }
    } finally {
      part.dispose();
    }
  }
  let dwT: TensorInfo;
  if (acc === null) {
    dwT = scope.adopt(last as TensorInfo);
  } else {
    dwT = scope.empty([ci, kh, kw, co]);
    scope.view(dwT).set(acc);
  }
  return scope.call('Transpose', { x: dwT }, { perm: [1, 2, 0, 3] });
}

/**
 * Smallest height and width, and smallest Ci x Co, the Winograd filter gradient takes: below them
 * its transforms outweigh the products it saves (batch 64, one thread, CPU ms direct / Winograd:
 * 4x4x32 0.48 / 0.53, 5x5x32 0.73 / 0.85, 7x7x32 1.36 / 1.38, 7x7x128 29.6 / 24.3, 8x8x8 0.17 /
 * 0.19, 16x16x8 0.58 / 0.68, 8x8x16 0.45 / 0.36, 8x8x32 1.75 / 1.36, 8x8x128 40.7 / 23.4).
 */
const WINOGRAD_MIN_SIZE = 7;
const WINOGRAD_MIN_CHANNEL_PAIRS = 128;

/**
 * Which method computes the filter gradient. Winograd ({@link winogradFilterGradient}) for the
 * 3x3 stride-1 'same' layers it takes that are at least 7x7 with Ci x Co >= 128 (one thread, CPU
 * ms, `METHODS=direct,winograd npx tsx bench/train-dw-ab.ts`: model A at batch 128 1768 -> 1052
 * in all, its 3x3 stride-1 layers 2.1-2.4x faster; the sweep's small model at batch 64 34.8 ->
 * 26.6). Our direct kernel ({@link filterGradientDirect}) for every other NHWC layer without
 * dilation: it beats both XNNPACK forms on every layer of the sweep's small model and, in total,
 * on the full model A even against two XNNPACK threads (wall ms, batch 128, `bench/train-dw-ab.ts`:
 * direct 1714, im2col GEMMs 1966, dilated convolutions 1962; one thread, CPU ms: 1829 vs GEMMs
 * 3198; the small model at batch 64: 41 vs convolutions 81; see docs/training-speed.md). Dilated
 * convolutions (`'conv'`) for NCHW data and dilated layers, and where WebAssembly SIMD is missing.
 * `globalThis.HELMHOLTZ_WASM_DW` = 'direct', 'taps' (the im2col GEMMs) or 'conv' forces one,
 * 'winograd' forces Winograd wherever it applies whatever the size (benchmarks, tests).
 */
function filterGradientMethod(info: backend_util.Conv2DInfo, channelsLast: boolean): 'winograd' | 'direct' | 'taps' | 'conv' {
  const forced = (globalThis as { HELMHOLTZ_WASM_DW?: string }).HELMHOLTZ_WASM_DW;
  if (!channelsLast || info.dilationHeight !== 1 || info.dilationWidth !== 1) return 'conv';
  if (forced === 'conv' || forced === 'taps' || forced === 'direct') return forced;
  if (forced === 'winograd') return winogradApplies(info) ? 'winograd' : 'direct';
  const { inHeight: h, inWidth: w, inChannels: ci, outChannels: co } = info;
  const large = h >= WINOGRAD_MIN_SIZE && w >= WINOGRAD_MIN_SIZE && ci * co >= WINOGRAD_MIN_CHANNEL_PAIRS;
  return large && winogradApplies(info) ? 'winograd' : 'direct';
}

/**
 * The filter gradient as one plain GEMM per chunk of images over an explicit, transposed im2col
 * matrix of the input:
 *
 *   dW [KH*KW*Ci, Co] = sum over chunks of cols^T [KH*KW*Ci, nb*Ho*Wo] x dy [nb*Ho*Wo, Co]
 *
 * where row (kh, kw, ci) of cols^T holds channel ci of the padded input shifted by the tap (and
 * subsampled by the stride). The input is transposed once to [chunks, Ci, nb, Hp, Wp] by the
 * wasm backend's `Transpose`, so each row of cols^T is gathered from one contiguous plane; the
 * chunk's `dy` is XNNPACK's packed weight operand, and the product runs in its fully-connected
 * GEMM (M = KH*KW*Ci is long, which XNNPACK handles at its peak). Chunks are summed in double
 * precision; the result is already in [KH, KW, Ci, Co] order. NHWC only.
 */
function filterGradientByTaps(scope: WasmScope, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const bottom = Math.max(0, kh + sh * (ho - 1) - h - top);
  const right = Math.max(0, kw + sw * (wo - 1) - w - left);
  const xPad =
    top + bottom + left + right > 0
      ? scope.call('PadV2', { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 })
      : x;
  const hp = h + top + bottom;
  const wp = w + left + right;
  // Stride 1: each output row is taken over the padded width (wp columns, dy zero past wo), so
  // that one tap of one channel of one image is a single contiguous run of Ho*Wp values.
  const wide = sh === 1 && sw === 1 && wideRows(wp, wo);
  const rowWidth = wide ? wp : wo;
  const nb = chunkSize(n, ho * rowWidth, tapRows(), 1);
  const chunks = n / nb;
  const rows = nb * ho * rowWidth;
  const plane = hp * wp;
  const dyRows = wide && wp > wo ? scope.call('PadV2', { x: dy }, { paddings: [[0, 0], [0, 0], [0, wp - wo], [0, 0]], constantValue: 0 }) : dy;
  // xT [chunks, Ci, nb, Hp, Wp]: channel ci of a chunk is one contiguous block of nb planes.
  const xT = scope.call('Transpose', { x: reshapeInfo(xPad, [chunks, nb, plane, ci]) }, { perm: [0, 3, 1, 2] });
  const taps = kh * kw;
  const m = taps * ci;
  const size = m * co;
  const acc = chunks > 1 ? new Float64Array(size) : null;
  const mm = { transposeA: false, transposeB: false, activation: 'linear' } as unknown as Record<string, never>;
  let last: TensorInfo | null = null;
  for (let c = 0; c < chunks; c++) {
    const part = new WasmScope(scope.backend);
    try {
      const b = part.empty([1, rows, co]);
      part.view(b).set(scope.view(dyRows).subarray(c * rows * co, (c + 1) * rows * co));
      const a = part.empty([1, m, rows]);
      const src = part.view(xT);
      const dst = part.view(a);
      const chunkBase = c * ci * nb * plane;
      let o = 0;
      if (wide) {
        // src and dst live on the same wasm heap: copy runs with copyWithin (no allocation).
        const heap = new Float32Array(src.buffer);
        const srcAt = src.byteOffset / 4;
        const dstAt = dst.byteOffset / 4;
        const run = ho * wp;
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            for (let k = 0; k < ci; k++) {
              for (let img = 0; img < nb; img++) {
                const s0 = chunkBase + (k * nb + img) * plane + i * wp + j;
                // Past column wo a run wraps into the next row (or image): dy is zero there. Only the
                // last plane of xT can end early; its missing tail is zero.
                const len = Math.min(run, src.length - s0);
                heap.copyWithin(dstAt + o, srcAt + s0, srcAt + s0 + len);
                if (len < run) dst.fill(0, o + len, o + run);
                o += run;
              }
            }
          }
        }
      } else {
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            for (let k = 0; k < ci; k++) {
              for (let img = 0; img < nb; img++) {
                const base = chunkBase + (k * nb + img) * plane + i * wp + j;
                for (let r = 0; r < ho; r++) {
                  let s = base + r * sh * wp;
                  if (sw === 1) {
                    for (let q = 0; q < wo; q++) dst[o++] = src[s++];
                  } else {
                    for (let q = 0; q < wo; q++, s += sw) dst[o++] = src[s];
                  }
                }
              }
            }
          }
        }
      }
      const prod = part.call('_FusedMatMul', { a, b }, mm);
      if (acc === null) {
        last = part.keep(prod);
      } else {
        const v = part.view(prod);
        for (let k = 0; k < size; k++) acc[k] += v[k];
      }
    } finally {
      part.dispose();
    }
  }
  if (acc === null) return scope.adopt(reshapeInfo(last as TensorInfo, [kh, kw, ci, co]));
  const dw = scope.empty([kh, kw, ci, co]);
  scope.view(dw).set(acc);
  return dw;
}

/**
 * Whether a stride-1 gather takes whole padded rows: the GEMM grows by wp / wo, the gather becomes
 * one copy per (tap, channel, image). Measured (CPU ms, batch 128): 32x32x32 -> 64 218 vs 267,
 * 16x16x128 -> 128 385 vs 403, 8x8x128 -> 128 107 vs 103; so only where the padding adds at most
 * 1/8. `globalThis.HELMHOLTZ_WASM_DW_WIDE` = 'on' / 'off' forces it (tests, benchmarks).
 */
function wideRows(wp: number, wo: number): boolean {
  const forced = (globalThis as { HELMHOLTZ_WASM_DW_WIDE?: string }).HELMHOLTZ_WASM_DW_WIDE;
  if (forced === 'on' || forced === 'off') return forced === 'on';
  return (wp - wo) * 8 <= wo;
}

/** Reduction rows per im2col GEMM (`globalThis.HELMHOLTZ_WASM_DW_ROWS`, default 2048). */
function tapRows(): number {
  const v = Number((globalThis as { HELMHOLTZ_WASM_DW_ROWS?: string }).HELMHOLTZ_WASM_DW_ROWS);
  return Number.isFinite(v) && v > 0 ? v : 2048;
}

/**
 * Images per chunk: XNNPACK does not block the reduction axis, so one convolution over the whole
 * batch streams a [N*Ho*Wo, Co] operand from memory for every few output rows; chunks of about
 * 4096 reduction rows keep it in cache (and at least 8 images, so the inner loop stays long).
 * A divisor of `n`.
 *
 * @example
 * chunkSize(128, 16 * 16); // 16 images per convolution
 */
export function chunkSize(n: number, pixels: number, rows = 4096, minImages = 8): number {
  const target = Math.max(minImages, Math.round(rows / pixels));
  let best = n;
  for (let d = 1; d <= n; d++) {
    if (n % d === 0 && d >= Math.min(target, n) && d < best) best = d;
  }
  return best;
}

/** The same data with another shape (no copy: the wasm heap layout is row-major). */
function reshapeInfo(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

/** Copies chunk `c` of a [chunks, ...full] tensor, cut to the leading block `size`. */
function copyChunk(scope: WasmScope, t: TensorInfo, c: number, full: number[], size: number[]): TensorInfo {
  const out = scope.empty(size);
  const src = scope.view(t);
  const dst = scope.view(out);
  const chunkLen = full[0] * full[1] * full[2] * full[3];
  const base = c * chunkLen;
  if (size[1] === full[1] && size[2] === full[2]) {
    dst.set(src.subarray(base, base + chunkLen));
    return out;
  }
  let o = 0;
  const row = size[2] * size[3];
  for (let a = 0; a < size[0]; a++) {
    for (let b = 0; b < size[1]; b++) {
      const off = base + (a * full[1] + b) * full[2] * full[3];
      dst.set(src.subarray(off, off + row), o);
      o += row;
    }
  }
  return out;
}

/** Kernel config: `Conv2DBackpropFilter` on 'wasm'. */
export const conv2dBackpropFilterConfig: KernelConfig = scopedKernel<Conv2DBackpropFilterAttrs>(Conv2DBackpropFilter, (scope, { x, dy }, attrs) =>
  conv2dBackpropFilterWasm(scope, x, dy, attrs),
);
