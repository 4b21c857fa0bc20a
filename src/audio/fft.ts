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
  /**
   * The power spectrum `|X[k]|^2` of the frame `input[offset + n] * window[n]`, `n < size`,
   * written to `out[0 .. bins)`: windowing, transform and magnitude in one pass (the STFT hot
   * loop). `window` may be null (rectangular).
   */
  powerSpectrum(input: Float32Array | Float64Array, offset: number, window: Float64Array | null, out: Float64Array): void;
}

function isPowerOfTwo(n: number): boolean {
  return n >= 1 && (n & (n - 1)) === 0;
}

function log2(n: number): number {
  let bits = 0;
  while (1 << bits < n) bits++;
  return bits;
}

function bitReversal(n: number): Int32Array {
  const bits = log2(n);
  const rev = new Int32Array(n);
  for (let i = 1; i < n; i++) rev[i] = (rev[i >> 1] >> 1) | ((i & 1) << (bits - 1));
  return rev;
}

/**
 * Twiddle tables of the radix-2^2 passes of a size-`n` DIT FFT: for each pass of length `L`
 * (quarter `q = L / 4`), `W_L^j` and `W_L^{2j}` for `j < q`, packed as [w1r, w1i, w2r, w2i] * q.
 */
interface Passes {
  n: number;
  /** Whether a lone radix-2 stage of size 2 starts (odd log2 n); else a fused 2+4 stage. */
  oddFirst: boolean;
  lengths: Int32Array;
  offsets: Int32Array;
  table: Float64Array;
}

function makePasses(n: number): Passes {
  const bits = log2(n);
  const oddFirst = bits % 2 === 1;
  const lengths: number[] = [];
  for (let l = oddFirst ? 8 : 16; l <= n; l *= 4) lengths.push(l);
  const offsets: number[] = [];
  const values: number[] = [];
  for (const l of lengths) {
    offsets.push(values.length);
    const q = l >> 2;
    for (let j = 0; j < q; j++) {
      const a = (2 * Math.PI * j) / l;
      values.push(Math.cos(a), -Math.sin(a), Math.cos(2 * a), -Math.sin(2 * a));
    }
  }
  return { n, oddFirst, lengths: Int32Array.from(lengths), offsets: Int32Array.from(offsets), table: Float64Array.from(values) };
}

/** Forward DIT butterflies over bit-reversed data, two stages per pass. */
function runPasses(re: Float64Array, im: Float64Array, p: Passes): void {
  const n = p.n;
  if (n === 1) return;
  if (p.oddFirst) {
    for (let i = 0; i < n; i += 2) {
      const ar = re[i], ai = im[i], br = re[i + 1], bi = im[i + 1];
      re[i] = ar + br; im[i] = ai + bi;
      re[i + 1] = ar - br; im[i + 1] = ai - bi;
    }
  } else {
    // Stages of size 2 and 4 together (twiddles 1 and -i).
    for (let i = 0; i < n; i += 4) {
      const r0 = re[i], i0 = im[i], r1 = re[i + 1], i1 = im[i + 1];
      const r2 = re[i + 2], i2 = im[i + 2], r3 = re[i + 3], i3 = im[i + 3];
      const ar = r0 + r1, ai = i0 + i1, br = r0 - r1, bi = i0 - i1;
      const cr = r2 + r3, ci = i2 + i3, dr = r2 - r3, di = i2 - i3;
      re[i] = ar + cr; im[i] = ai + ci;
      re[i + 2] = ar - cr; im[i + 2] = ai - ci;
      re[i + 1] = br + di; im[i + 1] = bi - dr;
      re[i + 3] = br - di; im[i + 3] = bi + dr;
    }
  }
  const table = p.table;
  for (let s = 0; s < p.lengths.length; s++) {
    const l = p.lengths[s], q = l >> 2, off = p.offsets[s];
    for (let j = 0; j < q; j++) {
      const t = off + 4 * j;
      const w1r = table[t], w1i = table[t + 1], w2r = table[t + 2], w2i = table[t + 3];
      for (let i0 = j; i0 < n; i0 += l) {
        const i1 = i0 + q, i2 = i1 + q, i3 = i2 + q;
        // Stage L/2: (a0, a1) and (a2, a3) with twiddle W_L^{2j}.
        const a0r = re[i0], a0i = im[i0];
        let xr = re[i1], xi = im[i1];
        const t1r = xr * w2r - xi * w2i, t1i = xr * w2i + xi * w2r;
        const a2r = re[i2], a2i = im[i2];
        xr = re[i3]; xi = im[i3];
        const t3r = xr * w2r - xi * w2i, t3i = xr * w2i + xi * w2r;
        const b0r = a0r + t1r, b0i = a0i + t1i, b1r = a0r - t1r, b1i = a0i - t1i;
        const b2r = a2r + t3r, b2i = a2i + t3i, b3r = a2r - t3r, b3i = a2i - t3i;
        // Stage L: (b0, b2) with W_L^j, (b1, b3) with W_L^{j + q} = -i W_L^j.
        const u2r = b2r * w1r - b2i * w1i, u2i = b2r * w1i + b2i * w1r;
        const v3r = b3r * w1r - b3i * w1i, v3i = b3r * w1i + b3i * w1r;
        // u3 = -i v3 = v3i - i v3r
        re[i0] = b0r + u2r; im[i0] = b0i + u2i;
        re[i2] = b0r - u2r; im[i2] = b0i - u2i;
        re[i1] = b1r + v3i; im[i1] = b1i - v3r;
        re[i3] = b1r - v3i; im[i3] = b1i + v3r;
      }
    }
  }
}

/**
 * A complex FFT plan for a power-of-two `size` (1 .. 2^26): bit reversal, then radix-2^2 passes
 * (two radix-2 stages per pass over the data). The inverse conjugates around the forward pass.
 *
 * @example
 * const fft = createComplexFft(8);
 * const re = new Float64Array([1, 0, 0, 0, 0, 0, 0, 0]), im = new Float64Array(8);
 * fft.forward(re, im); // re = all ones, im = all zeros
 */
export function createComplexFft(size: number): ComplexFft {
  checkInteger('size', size, 1, 2 ** 26);
  if (!isPowerOfTwo(size)) throw new RangeError(`size must be a power of two, got ${size}`);
  const rev = bitReversal(size);
  const passes = makePasses(size);

  function permute(re: Float64Array, im: Float64Array): void {
    for (let i = 0; i < size; i++) {
      const j = rev[i];
      if (i < j) {
        const tr = re[i]; re[i] = re[j]; re[j] = tr;
        const ti = im[i]; im[i] = im[j]; im[j] = ti;
      }
    }
  }

  return {
    size,
    forward(re, im) {
      permute(re, im);
      runPasses(re, im, passes);
    },
    inverse(re, im) {
      // ifft(x) = conj(fft(conj(x))) / n
      for (let i = 0; i < size; i++) im[i] = -im[i];
      permute(re, im);
      runPasses(re, im, passes);
      const scale = 1 / size;
      for (let i = 0; i < size; i++) {
        re[i] *= scale;
        im[i] *= -scale;
      }
    },
  };
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
 * bins `X[k] = sum_n x[n] e^{-2 pi i k n / size}` for `k = 0 .. size / 2`, as `numpy.fft.rfft`;
 * `powerSpectrum` windows a frame and writes `|X[k]|^2`.
 *
 * @example
 * const fft = createRealFft(4);
 * const re = new Float64Array(3), im = new Float64Array(3);
 * fft.forward([1, 2, 3, 4], re, im); // re = [10, -2, -2], im = [0, 2, 0]
 */
export function createRealFft(size: number): RealFft {
  checkInteger('size', size, 1, 2 ** 25);
  const bins = (size >> 1) + 1;
  if (size % 2 === 1) return createOddRealFft(size);
  const h = size >> 1;
  const zr = new Float64Array(h), zi = new Float64Array(h);
  // Untangling twiddles e^{-2 pi i k / size}, k <= h / 2.
  const half = (h >> 1) + 1;
  const cosT = new Float64Array(half), sinT = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    const a = (2 * Math.PI * k) / size;
    cosT[k] = Math.cos(a);
    sinT[k] = -Math.sin(a);
  }

  // Fills zr/zi with the h-point FFT of z[n] = x[2n] + i x[2n + 1], x[n] = input[offset + n] * window[n].
  let loadHalf: (input: ArrayLike<number>, offset: number, window: Float64Array | null) => void;
  if (isPowerOfTwo(h)) {
    // Gather straight into bit-reversed order (with the window), then radix-2^2 passes.
    const rev2 = bitReversal(h).map((r) => 2 * r);
    const passes = makePasses(h);
    loadHalf = (input, offset, window) => {
      if (window === null) {
        for (let i = 0; i < h; i++) {
          const j = offset + rev2[i];
          zr[i] = input[j];
          zi[i] = input[j + 1];
        }
      } else {
        for (let i = 0; i < h; i++) {
          const j = rev2[i];
          zr[i] = input[offset + j] * window[j];
          zi[i] = input[offset + j + 1] * window[j + 1];
        }
      }
      runPasses(zr, zi, passes);
    };
  } else {
    const dft = createBluestein(h);
    const tr = new Float64Array(h), ti = new Float64Array(h);
    loadHalf = (input, offset, window) => {
      for (let i = 0; i < h; i++) {
        tr[i] = input[offset + 2 * i] * (window === null ? 1 : window[2 * i]);
        ti[i] = input[offset + 2 * i + 1] * (window === null ? 1 : window[2 * i + 1]);
      }
      dft(tr, ti, zr, zi);
    };
  }

  /**
   * X[k] = E[k] + W^k O[k] and X[h - k] = conj(E[k] - W^k O[k]), with E[k] = (Z[k] + conj Z[h-k]) / 2,
   * O[k] = (Z[k] - conj Z[h-k]) / 2i, W = e^{-2 pi i / size}: into outRe/outIm, or as powers.
   */
  function untangle(outRe: Float64Array | null, outIm: Float64Array | null, power: Float64Array | null): void {
    const z0 = zr[0], z1 = zi[0];
    if (power !== null) {
      power[0] = (z0 + z1) * (z0 + z1);
      power[h] = (z0 - z1) * (z0 - z1);
    } else {
      outRe![0] = z0 + z1; outIm![0] = 0;
      outRe![h] = z0 - z1; outIm![h] = 0;
    }
    for (let k = 1, m = h - 1; k <= m; k++, m--) {
      const ar = zr[k], ai = zi[k], br = zr[m], bi = -zi[m];
      const er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
      // (a - b) / 2i = (ai - bi) / 2 - i (ar - br) / 2
      const or = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
      const wr = cosT[k], wi = sinT[k];
      const tr = wr * or - wi * oi, ti = wr * oi + wi * or;
      const xr = er + tr, xi = ei + ti, yr = er - tr, yi = -(ei - ti);
      if (power !== null) {
        power[k] = xr * xr + xi * xi;
        power[m] = yr * yr + yi * yi;
      } else {
        outRe![k] = xr; outIm![k] = xi;
        outRe![m] = yr; outIm![m] = yi;
      }
    }
  }

  return {
    size,
    bins,
    forward(input, outRe, outIm) {
      loadHalf(input, 0, null);
      untangle(outRe, outIm, null);
    },
    powerSpectrum(input, offset, window, out) {
      loadHalf(input, offset, window);
      untangle(null, null, out);
    },
  };
}

/** Odd sizes (and 1): the full complex DFT through Bluestein, first half kept. */
function createOddRealFft(size: number): RealFft {
  const bins = (size >> 1) + 1;
  const dft = size === 1 ? null : createBluestein(size);
  const re = new Float64Array(size), im = new Float64Array(size);
  const outRe = new Float64Array(bins), outIm = new Float64Array(bins);
  function transform(input: ArrayLike<number>, offset: number, window: Float64Array | null): void {
    for (let i = 0; i < size; i++) re[i] = input[offset + i] * (window === null ? 1 : window[i]);
    if (dft === null) {
      outRe[0] = re[0];
      outIm[0] = 0;
      return;
    }
    im.fill(0);
    dft(re, im, outRe, outIm);
  }
  return {
    size,
    bins,
    forward(input, oRe, oIm) {
      transform(input, 0, null);
      oRe.set(outRe);
      oIm.set(outIm);
    },
    powerSpectrum(input, offset, window, out) {
      transform(input, offset, window);
      for (let k = 0; k < bins; k++) out[k] = outRe[k] * outRe[k] + outIm[k] * outIm[k];
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
