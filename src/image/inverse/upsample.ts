/**
 * libjpeg-turbo 2.1.5's upsampling of a decoded component to the image grid (`jdsample.c`, fancy
 * upsampling on, as by default): the method `jinit_upsampler` picks for each sampling ratio, and
 * one output row at a time of the triangle filters (h2v1, h2v2, h1v2) or box replication. Edges
 * replicate the last real sample row and column, as `jdmainct.c` arranges.
 */

/** One component after the IDCT: its samples, row stride and real (non-padding) extent. */
export interface ComponentPlane {
  data: Uint8Array;
  stride: number;
  /** libjpeg's downsampled_width / downsampled_height. */
  width: number;
  height: number;
  /** Upsampling method of jdsample.c for this component. */
  method: 'full' | 'h2v1-fancy' | 'h2v2-fancy' | 'h1v2-fancy' | 'box';
  hExpand: number;
  vExpand: number;
}

/**
 * The upsampling method jdsample.c's `jinit_upsampler` picks (fancy upsampling on).
 * Throws for fractional ratios, as libjpeg does (JERR_FRACT_SAMPLE_NOTIMPL).
 */
export function upsampleMethod(h: number, v: number, maxH: number, maxV: number, dw: number): ComponentPlane['method'] {
  if (h === maxH && v === maxV) return 'full';
  if (h * 2 === maxH && v === maxV) return dw > 2 ? 'h2v1-fancy' : 'box';
  if (h === maxH && v * 2 === maxV) return 'h1v2-fancy';
  if (h * 2 === maxH && v * 2 === maxV) return dw > 2 ? 'h2v2-fancy' : 'box';
  if (maxH % h === 0 && maxV % v === 0) return 'box';
  throw new Error(`JPEG sampling factors ${h}x${v} of ${maxH}x${maxV} are a fractional ratio, which libjpeg does not support`);
}

/**
 * Writes output row `y` of an upsampled component into `dst` (or returns the offset into the
 * plane where a full-size row already lies). Returns the array and offset to read `width`
 * samples from.
 */
export function upsampledRow(p: ComponentPlane, y: number, width: number, dst: Uint8Array, cs: Int32Array): number {
  const src = p.data;
  const stride = p.stride;
  switch (p.method) {
    case 'full':
      return -1;
    case 'h2v1-fancy': {
      const s = y * stride;
      const n = p.width;
      let a = src[s];
      dst[0] = a;
      let nx = src[s + 1];
      dst[1] = (a * 3 + nx + 2) >> 2;
      let prev = a;
      let o = 2;
      for (let j = 1; j < n - 1; j++) {
        a = nx;
        nx = src[s + j + 1];
        const t = a * 3;
        dst[o++] = (t + prev + 1) >> 2;
        dst[o++] = (t + nx + 2) >> 2;
        prev = a;
      }
      a = nx;
      dst[o++] = (a * 3 + prev + 1) >> 2;
      dst[o] = a;
      return 0;
    }
    case 'h2v2-fancy': {
      const i = y >> 1;
      const nb = y & 1 ? Math.min(i + 1, p.height - 1) : Math.max(i - 1, 0);
      const s0 = i * stride;
      const s1 = nb * stride;
      const n = p.width;
      for (let j = 0; j < n; j++) cs[j] = src[s0 + j] * 3 + src[s1 + j];
      let t = cs[0];
      let nx = cs[1];
      dst[0] = (t * 4 + 8) >> 4;
      dst[1] = (t * 3 + nx + 7) >> 4;
      let prev = t;
      let o = 2;
      for (let j = 1; j < n - 1; j++) {
        t = nx;
        nx = cs[j + 1];
        const t3 = t * 3;
        dst[o++] = (t3 + prev + 8) >> 4;
        dst[o++] = (t3 + nx + 7) >> 4;
        prev = t;
      }
      t = nx;
      dst[o++] = (t * 3 + prev + 8) >> 4;
      dst[o] = (t * 4 + 7) >> 4;
      return 0;
    }
    case 'h1v2-fancy': {
      const i = y >> 1;
      const odd = y & 1;
      const nb = odd ? Math.min(i + 1, p.height - 1) : Math.max(i - 1, 0);
      const bias = odd ? 2 : 1;
      const s0 = i * stride;
      const s1 = nb * stride;
      const n = p.width;
      for (let j = 0; j < n; j++) dst[j] = (src[s0 + j] * 3 + src[s1 + j] + bias) >> 2;
      return 0;
    }
    case 'box': {
      const he = p.hExpand;
      const s = Math.floor(y / p.vExpand) * stride;
      if (he === 2) {
        for (let x = 0; x < width; x++) dst[x] = src[s + (x >> 1)];
      } else {
        for (let x = 0; x < width; x++) dst[x] = src[s + Math.floor(x / he)];
      }
      return 0;
    }
  }
}
