/**
 * The inverse half of JPEG: quantized DCT coefficients to pixels, bit-exact with the path
 * libjpeg-turbo 2.1.5 takes by default (and so with Pillow's `Image.open(...)` of a JPEG file):
 *
 * - dequantization and the "islow" integer inverse DCT of `jidctint.c` (with its output range
 *   limiting, including the wrap-around of out-of-range values that its 1024-entry table does);
 * - "fancy" (triangle-filter) upsampling of `jdsample.c`: h2v1 and h2v2 when the downsampled
 *   component is more than 2 samples wide, h1v2 always, box replication otherwise; edges
 *   replicate the last real sample row and column, as `jdmainct.c` arranges. libjpeg-turbo uses
 *   merged upsampling only when fancy upsampling is off (`jdmaster.c`, `use_merged_upsample`),
 *   which it is not by default, so merged upsampling is not implemented;
 * - the fixed-point YCbCr to RGB conversion of `jdcolor.c` (16-bit fractions, table based).
 *
 * This file is the driver (IDCT of each component into a plane, then upsampling and colour
 * conversion row by row, or one fused pass on the hot path); the steps live in inverse/idct.ts,
 * inverse/upsample.ts and inverse/color.ts. The hot path (32x32 4:2:0 tiles) uses precomputed
 * tables and module-level scratch buffers: no allocation per block or per row.
 */
import type { JpegCoefficients, JpegComponentCoefficients } from './coefficients.js';
import { MAX_IMAGE_SIDE, type Image } from './image.js';
import { describe } from '../util/checks.js';
import { convertRow, fusedFull, fusedH2 } from './inverse/color.js';
import { idctIslow } from './inverse/idct.js';
import { upsampledRow, upsampleMethod, type ComponentPlane } from './inverse/upsample.js';

// ---------------------------------------------------------------------------------------------
// Scratch buffers, grown on demand and reused across calls (and across images of a batch).

let planeScratch: Uint8Array[] = [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)];
let rowScratch: Uint8Array[] = [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)];
let colsumScratch = new Int32Array(0);
const quantScratch: Int16Array[] = [new Int16Array(64), new Int16Array(64), new Int16Array(64)];

function plane(ci: number, size: number): Uint8Array {
  if (planeScratch[ci].length < size) planeScratch[ci] = new Uint8Array(Math.max(size, planeScratch[ci].length * 2));
  return planeScratch[ci];
}
function row(ci: number, size: number): Uint8Array {
  if (rowScratch[ci].length < size) rowScratch[ci] = new Uint8Array(Math.max(size, rowScratch[ci].length * 2));
  return rowScratch[ci];
}
function colsums(size: number): Int32Array {
  if (colsumScratch.length < size) colsumScratch = new Int32Array(Math.max(size, colsumScratch.length * 2));
  return colsumScratch;
}

/** Scratch larger than this (bytes per plane) is dropped after use, not kept for the next call. */
const KEEP_SCRATCH = 1 << 22;

/** Drops scratch planes grown for a large image, so that memory is not held between calls. */
function trimScratch(): void {
  for (let i = 0; i < 3; i++) {
    if (planeScratch[i].length > KEEP_SCRATCH) planeScratch[i] = new Uint8Array(0);
  }
}

/** How the decoded components map to output pixels. */
export type JpegColorTransform = 'ycbcr' | 'rgb';

/**
 * Validates a {@link JpegCoefficients} value, throwing `TypeError`/`RangeError` naming the field.
 * @internal
 */
export function assertCoefficients(coefs: unknown, name = 'coefs'): asserts coefs is JpegCoefficients {
  if (typeof coefs !== 'object' || coefs === null) {
    throw new TypeError(`${name} must be a JpegCoefficients object { width, height, components }, got ${describe(coefs)}`);
  }
  const c = coefs as Partial<JpegCoefficients>;
  for (const key of ['width', 'height'] as const) {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_IMAGE_SIDE) {
      throw new RangeError(`${name}.${key} must be an integer in 1..${MAX_IMAGE_SIDE}, got ${describe(v)}`);
    }
  }
  if (!Array.isArray(c.components) || (c.components.length !== 1 && c.components.length !== 3)) {
    throw new RangeError(`${name}.components must be an array of 1 or 3 components, got ${describe(c.components)}`);
  }
  let maxH = 1;
  let maxV = 1;
  c.components.forEach((comp: JpegComponentCoefficients, i) => {
    const p = `${name}.components[${i}]`;
    if (typeof comp !== 'object' || comp === null) throw new TypeError(`${p} must be an object, got ${describe(comp)}`);
    for (const key of ['h', 'v'] as const) {
      const v = comp[key];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 4) {
        throw new RangeError(`${p}.${key} (sampling factor) must be an integer in 1..4, got ${describe(v)}`);
      }
    }
    maxH = Math.max(maxH, comp.h);
    maxV = Math.max(maxV, comp.v);
    if (!(comp.quantTable instanceof Uint16Array) || comp.quantTable.length !== 64) {
      throw new TypeError(`${p}.quantTable must be a Uint16Array of 64 entries, got ${describe(comp.quantTable)}`);
    }
    if (!(comp.coefficients instanceof Int16Array)) {
      throw new TypeError(`${p}.coefficients must be an Int16Array, got ${describe(comp.coefficients)}`);
    }
  });
  c.components.forEach((comp: JpegComponentCoefficients, i) => {
    const p = `${name}.components[${i}]`;
    const dw = Math.ceil((c.width! * comp.h) / maxH);
    const dh = Math.ceil((c.height! * comp.v) / maxV);
    const needW = Math.ceil(dw / 8);
    const needH = Math.ceil(dh / 8);
    if (!Number.isInteger(comp.blocksWide) || comp.blocksWide < needW || !Number.isInteger(comp.blocksHigh) || comp.blocksHigh < needH) {
      throw new RangeError(
        `${p} must have at least ${needW} x ${needH} blocks for a ${c.width}x${c.height} image with sampling ${comp.h}x${comp.v}, got blocksWide ${describe(comp.blocksWide)} x blocksHigh ${describe(comp.blocksHigh)}`,
      );
    }
    if (comp.coefficients.length !== comp.blocksWide * comp.blocksHigh * 64) {
      throw new RangeError(
        `${p}.coefficients length must equal blocksWide*blocksHigh*64 = ${comp.blocksWide * comp.blocksHigh * 64}, got ${comp.coefficients.length}`,
      );
    }
  });
}

/** Runs the IDCT over the blocks of one component that reach the output. */
function componentPlane(comp: JpegComponentCoefficients, ci: number, width: number, height: number, maxH: number, maxV: number): ComponentPlane {
  const dw = Math.ceil((width * comp.h) / maxH);
  const dh = Math.ceil((height * comp.v) / maxV);
  const bw = Math.ceil(dw / 8);
  const bh = Math.ceil(dh / 8);
  const stride = bw * 8;
  const data = plane(ci, stride * bh * 8);
  const q = quantScratch[ci];
  const qt = comp.quantTable;
  q.set(qt); // libjpeg stores ISLOW_MULT_TYPE (short): the set wraps 16-bit values as (v << 16) >> 16
  const coef = comp.coefficients;
  const blocksWide = comp.blocksWide;
  for (let by = 0; by < bh; by++) {
    let off = by * blocksWide * 64;
    const outRow = by * 8 * stride;
    for (let bx = 0; bx < bw; bx++, off += 64) idctIslow(coef, off, q, data, outRow + bx * 8, stride);
  }
  const method = upsampleMethod(comp.h, comp.v, maxH, maxV, dw);
  return { data, stride, width: dw, height: dh, method, hExpand: maxH / comp.h, vExpand: maxV / comp.v };
}

/**
 * Writes the pixels of `coefs` into `out` at `outOffset` (width*height*channels bytes).
 * `coefs` must already be validated. Used by {@link inverseJpeg} and the batch round trip.
 * @internal
 */
export function inverseJpegInto(coefs: JpegCoefficients, out: Uint8Array, outOffset: number, transform: JpegColorTransform = 'ycbcr'): void {
  try {
    inverseInto(coefs, out, outOffset, transform);
  } finally {
    trimScratch();
  }
}

function inverseInto(coefs: JpegCoefficients, out: Uint8Array, outOffset: number, transform: JpegColorTransform): void {
  const { width, height, components } = coefs;
  let maxH = 1;
  let maxV = 1;
  for (const c of components) {
    if (c.h > maxH) maxH = c.h;
    if (c.v > maxV) maxV = c.v;
  }
  if (components.length === 1) {
    // Grayscale: libjpeg treats a single-component image as non-interleaved; its sampling
    // factors do not matter (downsampled size = image size).
    const p = componentPlane(components[0], 0, width, height, maxH, maxV);
    const src = p.data;
    for (let y = 0; y < height; y++) {
      out.set(src.subarray(y * p.stride, y * p.stride + width), outOffset + y * width);
    }
    return;
  }
  const p0 = componentPlane(components[0], 0, width, height, maxH, maxV);
  const p1 = componentPlane(components[1], 1, width, height, maxH, maxV);
  const p2 = componentPlane(components[2], 2, width, height, maxH, maxV);
  if (
    transform === 'ycbcr' && p0.method === 'full' && p1.method === p2.method &&
    p1.width === p2.width && p1.height === p2.height && p1.stride === p2.stride
  ) {
    if (p1.method === 'h2v2-fancy') return fusedH2(p0, p1.data, p2.data, p1, width, height, out, outOffset, true);
    if (p1.method === 'h2v1-fancy') return fusedH2(p0, p1.data, p2.data, p1, width, height, out, outOffset, false);
    if (p1.method === 'full') return fusedFull(p0, p1.data, p2.data, width, height, out, outOffset);
  }
  const rowLen = Math.max(p0.width, p1.width, p2.width) * 4 + 8;
  const r0 = row(0, rowLen);
  const r1 = row(1, rowLen);
  const r2 = row(2, rowLen);
  const cs = colsums(rowLen);
  const ycc = transform === 'ycbcr';
  for (let y = 0; y < height; y++) {
    let a0: Uint8Array = r0;
    let o0 = 0;
    if (upsampledRow(p0, y, width, r0, cs) < 0) {
      a0 = p0.data;
      o0 = y * p0.stride;
    }
    let a1: Uint8Array = r1;
    let o1 = 0;
    if (upsampledRow(p1, y, width, r1, cs) < 0) {
      a1 = p1.data;
      o1 = y * p1.stride;
    }
    let a2: Uint8Array = r2;
    let o2 = 0;
    if (upsampledRow(p2, y, width, r2, cs) < 0) {
      a2 = p2.data;
      o2 = y * p2.stride;
    }
    convertRow(a0, o0, a1, o1, a2, o2, width, out, outOffset + y * width * 3, ycc);
  }
}

/**
 * Pixels of quantized DCT coefficients: dequantization, libjpeg's islow integer IDCT, "fancy"
 * upsampling and fixed-point YCbCr to RGB conversion, bit-exact with what libjpeg-turbo 2.1.5
 * (Pillow 9.4's decoder, default settings) produces from the same coefficients.
 *
 * One component gives a grayscale image, three give RGB (treated as YCbCr, as in JFIF files).
 *
 * @param coefs quantized coefficients, e.g. from `forwardJpeg` or the decoder.
 * @returns a new {@link Image} of `coefs.width` x `coefs.height`.
 * @throws RangeError/TypeError when `coefs` is malformed; Error for fractional sampling ratios.
 *
 * @example
 * const pixels = inverseJpeg(forwardJpeg(image, 75));
 */
export function inverseJpeg(coefs: JpegCoefficients): Image {
  assertCoefficients(coefs);
  const channels = coefs.components.length === 1 ? 1 : 3;
  const data = new Uint8Array(coefs.width * coefs.height * channels);
  inverseJpegInto(coefs, data, 0, 'ycbcr');
  return { width: coefs.width, height: coefs.height, channels, data };
}
