/**
 * The mel filterbank of librosa 0.10.0 (`librosa.filters.mel`): triangles over the FFT bins
 * between consecutive mel-spaced frequencies, with Slaney area normalisation, in librosa's float32
 * rounding. Also its options (checked, defaults filled in), shared by the featurizer.
 */
import { checkInteger, checkNumber, checkOneOf, describe } from '../util/checks.js';
import { melFrequencies } from './mel-scale.js';

/** Options of {@link melFilterbank} (librosa's `filters.mel` defaults). */
export interface MelFilterbankOptions {
  /** Sample rate in Hz, a positive integer. Required. */
  sampleRate: number;
  /** FFT size; the filterbank has `1 + floor(nFft / 2)` columns. Default 2048. */
  nFft?: number;
  /** Number of mel bands. Default 128. */
  nMels?: number;
  /** Lowest edge of the first band, Hz, `0 <= fMin < fMax`. Default 0. */
  fMin?: number;
  /** Highest edge of the last band, Hz, `<= sampleRate / 2`. Default `sampleRate / 2`. */
  fMax?: number;
  /** Use the HTK mel formula (`2595 log10(1 + f / 700)`) instead of Slaney's. Default false. */
  htk?: boolean;
  /** `'slaney'` divides each triangle by its width in Hz (constant energy per band), `null`
   * leaves the triangles with unit peak. Default `'slaney'`. */
  norm?: 'slaney' | null;
}

/** {@link MelFilterbankOptions} with every default filled in and checked. */
export interface ResolvedFilterbank {
  sampleRate: number;
  nFft: number;
  nMels: number;
  fMin: number;
  fMax: number;
  htk: boolean;
  norm: 'slaney' | null;
}

/**
 * Checks the filterbank options and fills in librosa's defaults (nFft 2048, nMels 128, fMin 0,
 * fMax sampleRate / 2, Slaney scale and norm); throws naming the bad option.
 *
 * @example
 * resolveFilterbankOptions({ sampleRate: 16000 }).fMax; // 8000
 */
export function resolveFilterbankOptions(options: MelFilterbankOptions): ResolvedFilterbank {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`options must be an object with sampleRate, got ${describe(options)}`);
  }
  const sampleRate = checkInteger('sampleRate', options.sampleRate, 1, 2 ** 31);
  const nFft = checkInteger('nFft', options.nFft ?? 2048, 2, 2 ** 24);
  const nMels = checkInteger('nMels', options.nMels ?? 128, 1, 1 << 16);
  const nyquist = sampleRate / 2;
  const fMax = checkNumber('fMax', options.fMax ?? nyquist, -Infinity, nyquist);
  if (!(fMax > 0)) throw new RangeError(`fMax must be a finite number in (0, ${nyquist}], got ${fMax}`);
  const fMin = checkNumber('fMin', options.fMin ?? 0, 0);
  if (!(fMin < fMax)) throw new RangeError(`fMin must be a finite number in [0, fMax = ${fMax}), got ${fMin}`);
  const htk = options.htk ?? false;
  if (typeof htk !== 'boolean') throw new TypeError(`htk must be a boolean, got ${describe(htk)}`);
  const norm = options.norm === undefined ? 'slaney' : options.norm;
  if (norm !== null) checkOneOf('norm', norm, ['slaney'] as const);
  return { sampleRate, nFft, nMels, fMin, fMax, htk, norm };
}

/**
 * The mel filterbank `[nMels, 1 + floor(nFft / 2)]` (row-major float32), as
 * `librosa.filters.mel(sr=sampleRate, n_fft=nFft, n_mels=nMels, fmin=fMin, fmax=fMax, htk=htk,
 * norm=norm)`: triangles between consecutive mel-spaced frequencies over the FFT bin
 * frequencies `k * sampleRate / nFft`, each divided by half its base width in Hz under
 * `norm = 'slaney'`. Defaults: nFft 2048, nMels 128, fMin 0, fMax sampleRate / 2, Slaney scale
 * and norm.
 *
 * @example
 * const fb = melFilterbank({ sampleRate: 44100, nFft: 2048, nMels: 96 }); // 96 * 1025 values
 */
export function melFilterbank(options: MelFilterbankOptions): Float32Array {
  return buildFilterbank(resolveFilterbankOptions(options));
}

/**
 * {@link melFilterbank} of options already resolved by {@link resolveFilterbankOptions}.
 *
 * @example
 * const fb = buildFilterbank(resolveFilterbankOptions({ sampleRate: 22050 }));
 */
export function buildFilterbank(o: ResolvedFilterbank): Float32Array {
  const bins = (o.nFft >> 1) + 1;
  const weights = new Float32Array(o.nMels * bins);
  // numpy.fft.rfftfreq: k * (1 / (n * (1 / sr))).
  const val = 1 / (o.nFft * (1 / o.sampleRate));
  const fftFreqs = new Float64Array(bins);
  for (let k = 0; k < bins; k++) fftFreqs[k] = k * val;
  const melF = melFrequencies(o.nMels + 2, o.fMin, o.fMax, o.htk);
  for (let i = 0; i < o.nMels; i++) {
    const d0 = melF[i + 1] - melF[i], d1 = melF[i + 2] - melF[i + 1];
    const enorm = o.norm === 'slaney' ? 2 / (melF[i + 2] - melF[i]) : 1;
    const row = i * bins;
    for (let k = 0; k < bins; k++) {
      const lower = -(melF[i] - fftFreqs[k]) / d0;
      const upper = (melF[i + 2] - fftFreqs[k]) / d1;
      const w = Math.max(0, Math.min(lower, upper));
      // librosa stores the triangle in float32, then scales it in float64 and stores again.
      weights[row + k] = o.norm === 'slaney' ? Math.fround(w) * enorm : w;
    }
  }
  return weights;
}

/** A filterbank's rows as their non-zero spans: band `m` has weights `weights[at[m] + k - lo[m]]`
 * for bins `lo[m] <= k < hi[m]` (all other weights are zero). */
export interface SparseFilterbank {
  lo: Int32Array;
  hi: Int32Array;
  at: Int32Array;
  weights: Float64Array;
}

/**
 * The non-zero span `[lo, hi)` of each row of a dense `[nMels, bins]` filterbank and its weights,
 * packed row after row (a mel band covers only the bins between its neighbours' centres).
 *
 * @example
 * const { lo, hi } = sparseFilterbank(melFilterbank({ sampleRate: 44100, nMels: 96 }), 96, 1025);
 */
export function sparseFilterbank(filterbank: Float32Array, nMels: number, bins: number): SparseFilterbank {
  const lo = new Int32Array(nMels), hi = new Int32Array(nMels), at = new Int32Array(nMels);
  const packed: number[] = [];
  for (let m = 0; m < nMels; m++) {
    const row = m * bins;
    let a = 0;
    while (a < bins && filterbank[row + a] === 0) a++;
    let b = bins;
    while (b > a && filterbank[row + b - 1] === 0) b--;
    lo[m] = a;
    hi[m] = b;
    at[m] = packed.length;
    for (let k = a; k < b; k++) packed.push(filterbank[row + k]);
  }
  return { lo, hi, at, weights: Float64Array.from(packed) };
}
