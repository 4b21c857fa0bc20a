/**
 * Fast Fourier transforms in double precision, written for the mel-spectrogram hot loop.
 *
 * - {@link createComplexFft}: in-place iterative radix-2 complex FFT of a power-of-two size, with
 *   its bit-reversal and twiddle tables computed once (a "plan").
 * - {@link createRealFft}: the `1 + n/2` non-negative-frequency bins of a real input (as
 *   `numpy.fft.rfft`), any size `n >= 1`. Even sizes pack the input into a complex FFT of half
 *   the size and untangle the result (half the work of a complex FFT); power-of-two half sizes use
 *   the radix-2 plan directly, other sizes go through Bluestein's chirp-z algorithm.
 *
 * The choice of this own FFT over the `fft.js` package and others is measured in
 * docs/audio-features.md.
 */
import { checkInteger } from '../util/checks.js';

/** A reusable complex FFT plan of one power-of-two size. */
export interface ComplexFft {
  /** The transform size. */
  readonly size: number;
  /**
   * In-place forward transform `X[k] = sum_n x[n] e^{-2 pi i k n / size}` of the `size` values in
   * `re`/`im` (which may be longer; only the first `size` are used).
   */
  forward(re: Float64Array, im: Float64Array): void;
  /** In-place inverse transform, scaled by `1 / size` (so `inverse(forward(x)) = x`). */
  inverse(re: Float64Array, im: Float64Array): void;
}

/** A reusable real-input FFT plan (the non-negative frequency half, as `numpy.fft.rfft`). */
export interface RealFft {
  /** The transform size `n` (number of real input samples). */
  readonly size: number;
  /** Number of output bins, `1 + floor(n / 2)`. */
  readonly bins: number;
  /**
   * Transforms the first `size` samples of `input` into `outRe`/`outIm` (at least `bins` long).
   * `input` is not modified.
   */
  forward(input: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void;
}

function isPowerOfTwo(n: number): boolean {
  return n >= 1 && (n & (n - 1)) === 0;
}

/**
 * A complex FFT plan for a power-of-two `size` (1 .. 2^26).
 *
 * @example
 * const fft = createComplexFft(8);
 * const re = new Float64Array([1, 0, 0, 0, 0, 0, 0, 0]), im = new Float64Array(8);
 * fft.forward(re, im); // re = all ones, im = all zeros
 */
export function createComplexFft(size: number): ComplexFft {
  checkInteger('size', size, 1, 2 ** 26);
  if (!isPowerOfTwo(size)) throw new RangeError(`size must be a power of two, got ${size}`);
  let bits = 0;
  while (1 << bits < size) bits++;
  // Pairs (i, j), i < j, to swap for the bit-reversal permutation.
  const swaps: number[] = [];
  for (let i = 0; i < size; i++) {
    let j = 0;
    for (let b = 0; b < bits; b++) if (i & (1 << b)) j |= 1 << (bits - 1 - b);
    if (i < j) swaps.push(i, j);
  }
  const swapTable = Int32Array.from(swaps);
  // Twiddles e^{-2 pi i k / size} for k < size / 2.
  const half = size >> 1;
  const cosT = new Float64Array(Math.max(half, 1));
  const sinT = new Float64Array(Math.max(half, 1));
  for (let k = 0; k < half; k++) {
    const a = (2 * Math.PI * k) / size;
    cosT[k] = Math.cos(a);
    sinT[k] = -Math.sin(a);
  }

  function transform(re: Float64Array, im: Float64Array, sign: number): void {
    for (let s = 0; s < swapTable.length; s += 2) {
      const i = swapTable[s], j = swapTable[s + 1];
      const tr = re[i]; re[i] = re[j]; re[j] = tr;
      const ti = im[i]; im[i] = im[j]; im[j] = ti;
    }
    butterflies(re, im, size, cosT, sinT, sign);
  }

  return {
    size,
    forward(re, im) {
      transform(re, im, 1);
    },
    inverse(re, im) {
      transform(re, im, -1);
      const scale = 1 / size;
      for (let i = 0; i < size; i++) {
        re[i] *= scale;
        im[i] *= scale;
      }
    },
  };
}

/**
 * Radix-2 decimation-in-time butterflies over bit-reversed data; the first two stages (trivial
 * twiddles 1 and -i) are fused into one radix-4 pass. `sign = -1` conjugates the twiddles.
 */
function butterflies(re: Float64Array, im: Float64Array, n: number, cosT: Float64Array, sinT: Float64Array, sign: number): void {
  if (n === 1) return;
  if (n === 2) {
    const ar = re[0], ai = im[0];
    re[0] = ar + re[1]; im[0] = ai + im[1];
    re[1] = ar - re[1]; im[1] = ai - im[1];
    return;
  }
  // Stages of size 2 and 4 together: x0..x3 (bit-reversed order) -> 4-point DFT.
  for (let i = 0; i < n; i += 4) {
    const r0 = re[i], i0 = im[i], r1 = re[i + 1], i1 = im[i + 1];
    const r2 = re[i + 2], i2 = im[i + 2], r3 = re[i + 3], i3 = im[i + 3];
    const ar = r0 + r1, ai = i0 + i1, br = r0 - r1, bi = i0 - i1;
    const cr = r2 + r3, ci = i2 + i3, dr = r2 - r3, di = i2 - i3;
    // Twiddle of the odd half at k = 1 of the 4-point stage: -i (forward) or +i (inverse).
    const er = sign * di, ei = -sign * dr;
    re[i] = ar + cr; im[i] = ai + ci;
    re[i + 2] = ar - cr; im[i + 2] = ai - ci;
    re[i + 1] = br + er; im[i + 1] = bi + ei;
    re[i + 3] = br - er; im[i + 3] = bi - ei;
  }
  for (let len = 8; len <= n; len <<= 1) {
    const halfLen = len >> 1;
    const step = n / len;
    for (let j = 0; j < halfLen; j++) {
      const wr = cosT[j * step], wi = sign * sinT[j * step];
      for (let a = j; a < n; a += len) {
        const b = a + halfLen;
        const xr = re[b], xi = im[b];
        const tr = wr * xr - wi * xi;
        const ti = wr * xi + wi * xr;
        const ur = re[a], ui = im[a];
        re[a] = ur + tr; im[a] = ui + ti;
        re[b] = ur - tr; im[b] = ui - ti;
      }
    }
  }
}

/**
 * Bluestein's chirp-z transform: the DFT of any size `n` through power-of-two FFTs of size
 * `m >= 2n - 1`.
 */
function createBluestein(n: number): (re: Float64Array, im: Float64Array, outRe: Float64Array, outIm: Float64Array) => void {
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const fft = createComplexFft(m);
  // Chirp w[k] = e^{-i pi k^2 / n}; k^2 is reduced mod 2n first to keep the angle exact.
  const chirpRe = new Float64Array(n), chirpIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = (Math.PI * Number((BigInt(k) * BigInt(k)) % BigInt(2 * n))) / n;
    chirpRe[k] = Math.cos(a);
    chirpIm[k] = -Math.sin(a);
  }
  // FFT of the conjugate chirp laid out circularly: b[k] = b[m - k] = conj(w[k]).
  const bRe = new Float64Array(m), bIm = new Float64Array(m);
  bRe[0] = chirpRe[0]; bIm[0] = -chirpIm[0];
  for (let k = 1; k < n; k++) {
    bRe[k] = bRe[m - k] = chirpRe[k];
    bIm[k] = bIm[m - k] = -chirpIm[k];
  }
  fft.forward(bRe, bIm);
  const aRe = new Float64Array(m), aIm = new Float64Array(m);
  return (re, im, outRe, outIm) => {
    for (let k = 0; k < n; k++) {
      const xr = re[k], xi = im[k], cr = chirpRe[k], ci = chirpIm[k];
      aRe[k] = xr * cr - xi * ci;
      aIm[k] = xr * ci + xi * cr;
    }
    aRe.fill(0, n);
    aIm.fill(0, n);
    fft.forward(aRe, aIm);
    for (let k = 0; k < m; k++) {
      const xr = aRe[k], xi = aIm[k], yr = bRe[k], yi = bIm[k];
      aRe[k] = xr * yr - xi * yi;
      aIm[k] = xr * yi + xi * yr;
    }
    fft.inverse(aRe, aIm);
    for (let k = 0; k < outRe.length && k < n; k++) {
      const xr = aRe[k], xi = aIm[k], cr = chirpRe[k], ci = chirpIm[k];
      outRe[k] = xr * cr - xi * ci;
      outIm[k] = xr * ci + xi * cr;
    }
  };
}

/**
 * A real-input FFT plan of any `size` (1 .. 2^25): `forward` writes the `1 + floor(size / 2)`
 * bins `X[k] = sum_n x[n] e^{-2 pi i k n / size}` for `k = 0 .. size / 2`, as `numpy.fft.rfft`.
 *
 * @example
 * const fft = createRealFft(4);
 * const re = new Float64Array(3), im = new Float64Array(3);
 * fft.forward([1, 2, 3, 4], re, im); // re = [10, -2, -2], im = [0, 2, 0]
 */
export function createRealFft(size: number): RealFft {
  checkInteger('size', size, 1, 2 ** 25);
  const bins = (size >> 1) + 1;
  if (size === 1) {
    return { size, bins, forward(input, outRe, outIm) { outRe[0] = input[0]; outIm[0] = 0; } };
  }
  if (size % 2 === 1) {
    // Odd sizes: full complex DFT through Bluestein, keep the first half.
    const dft = createBluestein(size);
    const re = new Float64Array(size), im = new Float64Array(size);
    return {
      size,
      bins,
      forward(input, outRe, outIm) {
        for (let i = 0; i < size; i++) re[i] = input[i];
        im.fill(0);
        dft(re, im, outRe.subarray(0, bins), outIm.subarray(0, bins));
      },
    };
  }
  const h = size >> 1;
  const zr = new Float64Array(h), zi = new Float64Array(h);
  // Untangling twiddles e^{-2 pi i k / size}, k < h.
  const cosT = new Float64Array(h), sinT = new Float64Array(h);
  for (let k = 0; k < h; k++) {
    const a = (2 * Math.PI * k) / size;
    cosT[k] = Math.cos(a);
    sinT[k] = -Math.sin(a);
  }
  let halfFft: (input: ArrayLike<number>) => void;
  if (isPowerOfTwo(h)) {
    // Load z[n] = x[2n] + i x[2n+1] straight into bit-reversed order, then butterflies.
    let bits = 0;
    while (1 << bits < h) bits++;
    const rev = new Int32Array(h);
    for (let i = 0; i < h; i++) {
      let j = 0;
      for (let b = 0; b < bits; b++) if (i & (1 << b)) j |= 1 << (bits - 1 - b);
      rev[i] = j;
    }
    const hc = h >> 1;
    const hcos = new Float64Array(Math.max(hc, 1)), hsin = new Float64Array(Math.max(hc, 1));
    for (let k = 0; k < hc; k++) {
      const a = (2 * Math.PI * k) / h;
      hcos[k] = Math.cos(a);
      hsin[k] = -Math.sin(a);
    }
    halfFft = (input) => {
      for (let i = 0; i < h; i++) {
        const j = rev[i] << 1;
        zr[i] = input[j];
        zi[i] = input[j + 1];
      }
      butterflies(zr, zi, h, hcos, hsin, 1);
    };
  } else {
    const dft = createBluestein(h);
    const tr = new Float64Array(h), ti = new Float64Array(h);
    halfFft = (input) => {
      for (let i = 0; i < h; i++) {
        tr[i] = input[2 * i];
        ti[i] = input[2 * i + 1];
      }
      dft(tr, ti, zr, zi);
    };
  }
  return {
    size,
    bins,
    forward(input, outRe, outIm) {
      halfFft(input);
      // X[k] = E[k] + w^k O[k], with E[k] = (Z[k] + conj Z[h-k]) / 2, O[k] = (Z[k] - conj Z[h-k]) / 2i.
      outRe[0] = zr[0] + zi[0];
      outIm[0] = 0;
      outRe[h] = zr[0] - zi[0];
      outIm[h] = 0;
      for (let k = 1; k < h; k++) {
        const ar = zr[k], ai = zi[k], br = zr[h - k], bi = -zi[h - k];
        const er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
        // (a - b) / 2i = (ai - bi) / 2 - i (ar - br) / 2
        const or = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
        const wr = cosT[k], wi = sinT[k];
        outRe[k] = er + wr * or - wi * oi;
        outIm[k] = ei + wr * oi + wi * or;
      }
    },
  };
}

const realPlans = new Map<number, RealFft>();

/**
 * `numpy.fft.rfft(input)`: the `1 + floor(n / 2)` non-negative frequency bins of a real signal,
 * as separate real and imaginary arrays. Plans are memoised by size.
 *
 * @example
 * rfft(new Float64Array([1, 2, 3, 4])); // { re: [10, -2, -2], im: [0, 2, 0] }
 */
export function rfft(input: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  const n = input.length;
  checkInteger('input.length', n, 1, 2 ** 25);
  let plan = realPlans.get(n);
  if (!plan) {
    plan = createRealFft(n);
    if (realPlans.size > 64) realPlans.clear();
    realPlans.set(n, plan);
  }
  const re = new Float64Array(plan.bins), im = new Float64Array(plan.bins);
  plan.forward(input, re, im);
  return { re, im };
}
