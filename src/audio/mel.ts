/**
 * Mel filterbanks and mel spectrograms that reproduce librosa 0.10.0 (`librosa.filters.mel`,
 * `librosa.feature.melspectrogram`) to float32 precision, including its framing of centred
 * signals (0.10 pads only the head and tail pieces of the signal, with `np.pad` semantics) and
 * the Slaney mel scale and area normalisation.
 *
 * Everything reusable across calls (window, FFT plan, sparse filterbank) lives in a featurizer
 * made by {@link createMelSpectrogram}; {@link melSpectrogram} and {@link melSpectrogramBatch}
 * take their featurizer from a small memo keyed by the options (pure: same options, same plan).
 */
import { checkFiniteSamples, checkInteger, checkNumber, checkOneOf, describe } from '../util/checks.js';
import { createRealFft, type RealFft } from './fft.js';
import { getWindow, WINDOW_NAMES, type WindowName } from './window.js';
import { powerToDbInto, resolveDbOptions, resolveDbReference, type DbOptions } from './db.js';
import { createWasmMelKernel, type KernelDb, type KernelRun } from './mel-wasm.js';

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

/** Padding of centred frames at the signal's ends (as `np.pad` modes). */
export type PadMode = 'constant' | 'reflect';

/** Options of {@link melSpectrogram}: librosa 0.10's `feature.melspectrogram` defaults. */
export interface MelSpectrogramOptions extends MelFilterbankOptions {
  /** Samples between frame starts, >= 1. Default 512. */
  hopLength?: number;
  /** Window length, `1..nFft`, centred in the frame. Default `nFft`. */
  winLength?: number;
  /** Window: `'hann'` (periodic, as scipy's `get_window('hann', n, fftbins=True)`),
   * `'hamming'`, `'rectangular'`, or `winLength` explicit coefficients. Default `'hann'`. */
  window?: WindowName | ArrayLike<number>;
  /** Centre frame `t` on sample `t * hopLength` by padding `nFft / 2` samples at both ends.
   * Default true. */
  center?: boolean;
  /** Padding used when `center`: `'constant'` (zeros, librosa 0.10's default) or `'reflect'`
   * (librosa <= 0.9's default, used by the original Helmholtz code). Default `'constant'`. */
  padMode?: PadMode;
  /** Exponent of the magnitude: 2 power, 1 magnitude, any value > 0. Default 2. */
  power?: number;
}

/** A mel spectrogram, row-major `[nMels, nFrames]`. */
export interface MelSpectrogram {
  data: Float32Array;
  nMels: number;
  nFrames: number;
}

/** Options of a featurizer: the spectrogram options plus an optional decibel conversion. */
export interface MelFeaturizerOptions extends MelSpectrogramOptions {
  /** Convert each clip's mel spectrogram to dB: `'amplitude'` as `librosa.amplitude_to_db`
   * (what the original Helmholtz code did to its power spectrograms), `'power'` as
   * `librosa.power_to_db`, or `null` to keep power. Default null. */
  toDb?: 'amplitude' | 'power' | null;
  /** Options of the dB conversion (defaults of `amplitudeToDb` / `powerToDb`). */
  dbOptions?: DbOptions;
  /** `'auto'` runs the frame loop in WebAssembly SIMD where available (Float32Array signals,
   * power-of-two nFft >= 8, power 1 or 2), else in JavaScript; `'js'` always uses JavaScript.
   * Both compute in double precision; results agree to ~1e-15 relative. Default `'auto'`. */
  engine?: 'auto' | 'js';
}

/** A batch of mel spectrograms, row-major `[nClips, nMels, nFrames]`. */
export interface MelSpectrogramBatch {
  data: Float32Array;
  nClips: number;
  nMels: number;
  nFrames: number;
}

/** A reusable mel-spectrogram featurizer (window, FFT plan and filterbank computed once). */
export interface MelSpectrogramFeaturizer {
  /** The resolved options (defaults filled in). */
  readonly options: Readonly<Required<Omit<MelFeaturizerOptions, 'window' | 'dbOptions' | 'engine'>>> & {
    window: WindowName | 'custom';
    dbOptions: DbOptions;
  };
  /** The filterbank, `[nMels, 1 + nFft / 2]`, as {@link melFilterbank}. */
  readonly filterbank: Float32Array;
  /** Where the frame loop runs for Float32Array signals: `'wasm'` or `'js'`. */
  readonly engine: 'wasm' | 'js';
  /** Number of frames for a signal of `length` samples. */
  frameCount(length: number): number;
  /**
   * Features of one clip. Writes into `out` from `offset` when given (it must have room for
   * `nMels * nFrames` values), else into a new array.
   */
  compute(signal: Float32Array | Float64Array, out?: Float32Array, offset?: number): MelSpectrogram;
  /** Features of equally long clips in one `[nClips, nMels, nFrames]` array. */
  computeBatch(signals: readonly (Float32Array | Float64Array)[]): MelSpectrogramBatch;
}

// ---------------------------------------------------------------------------------------------
// Mel scale

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;

/**
 * Hz to mels, as `librosa.hz_to_mel`: Slaney's scale (linear below 1 kHz, logarithmic above)
 * by default, the HTK formula when `htk`.
 *
 * @example
 * hzToMel(1000); // 15
 * hzToMel(1000, true); // 999.98...
 */
export function hzToMel(hz: number, htk = false): number {
  if (htk) return 2595 * Math.log10(1 + hz / 700);
  if (hz >= MIN_LOG_HZ) return MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP;
  return hz / F_SP;
}

/**
 * Mels to Hz, the inverse of {@link hzToMel} (`librosa.mel_to_hz`).
 *
 * @example
 * melToHz(15); // 1000
 */
export function melToHz(mel: number, htk = false): number {
  if (htk) return 700 * (10 ** (mel / 2595) - 1);
  if (mel >= MIN_LOG_MEL) return MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL));
  return F_SP * mel;
}

/**
 * `n` frequencies (Hz) equally spaced on the mel scale from `fMin` to `fMax` inclusive, as
 * `librosa.mel_frequencies` (with numpy's `linspace` arithmetic).
 *
 * @example
 * melFrequencies(3, 0, 2000); // Float64Array [0, 1000.0..., 2000]
 */
export function melFrequencies(n: number, fMin: number, fMax: number, htk = false): Float64Array {
  checkInteger('n', n, 1, 1 << 24);
  const lo = hzToMel(fMin, htk), hi = hzToMel(fMax, htk);
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = melToHz(lo, htk);
    return out;
  }
  const step = (hi - lo) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = melToHz(i === n - 1 ? hi : lo + i * step, htk);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Options

interface ResolvedFilterbank {
  sampleRate: number;
  nFft: number;
  nMels: number;
  fMin: number;
  fMax: number;
  htk: boolean;
  norm: 'slaney' | null;
}

function resolveFilterbankOptions(options: MelFilterbankOptions): ResolvedFilterbank {
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

// ---------------------------------------------------------------------------------------------
// Filterbank

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

function buildFilterbank(o: ResolvedFilterbank): Float32Array {
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

// ---------------------------------------------------------------------------------------------
// numpy.pad

/**
 * `numpy.pad(x, (left, right), mode)` for 'constant' (zeros) and 'reflect', including numpy's
 * iterative reflection when the pad is longer than the signal and its edge mode for one sample.
 */
function npPad<T extends Float32Array | Float64Array>(x: T, left: number, right: number, mode: PadMode): T {
  const n = x.length;
  const out = (x instanceof Float32Array ? new Float32Array(left + n + right) : new Float64Array(left + n + right)) as T;
  out.set(x, left);
  if (mode === 'constant' || (left === 0 && right === 0)) return out;
  if (n === 1) {
    out.fill(x[0], 0, left);
    out.fill(x[0], left + 1);
    return out;
  }
  let l = left, r = right;
  const total = out.length;
  while (l > 0 || r > 0) {
    const oldLength = total - l - r - 1;
    if (l > 0) {
      const chunk = Math.min(oldLength, l);
      // out[l - chunk .. l) = out[l + chunk .. l + 1] (reversed)
      for (let j = 0; j < chunk; j++) out[l - 1 - j] = out[l + 1 + j];
      l -= chunk;
    }
    if (r > 0) {
      const chunk = Math.min(oldLength, r);
      const edge = total - r - 1;
      for (let j = 0; j < chunk; j++) out[edge + 1 + j] = out[edge - 1 - j];
      r -= chunk;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Featurizer

/** A piece of the (virtually padded) signal from which consecutive frames are read. */
interface FrameRun {
  source: Float32Array | Float64Array;
  start: number;
  count: number;
}

function framesOf(length: number, nFft: number, hop: number, center: boolean): number {
  if (center) return 1 + Math.floor((length + 2 * (nFft >> 1) - nFft) / hop);
  return 1 + Math.floor((length - nFft) / hop);
}

/**
 * Splits a signal into runs of frames exactly as librosa 0.10's `stft` does: the head and tail
 * frames come from `np.pad`ded copies of the signal's ends, the middle frames from the signal.
 */
function frameRuns(y: Float32Array | Float64Array, nFft: number, hop: number, center: boolean, padMode: PadMode): FrameRun[] {
  const len = y.length;
  if (!center) {
    if (nFft > len) {
      throw new RangeError(`signal length must be >= nFft = ${nFft} when center is false, got ${len}`);
    }
    return [{ source: y, start: 0, count: framesOf(len, nFft, hop, false) }];
  }
  const n2 = nFft >> 1;
  const startK = Math.ceil(n2 / hop);
  const tailK = Math.floor((len + n2 - nFft) / hop) + 1;
  if (tailK <= startK) {
    const padded = npPad(y, n2, n2, padMode);
    return [{ source: padded, start: 0, count: 1 + Math.floor((padded.length - nFft) / hop) }];
  }
  const runs: FrameRun[] = [];
  const pre = npPad(y.subarray(0, Math.min(len, (startK - 1) * hop - n2 + nFft + 1)), n2, 0, padMode);
  runs.push({ source: pre, start: 0, count: Math.min(startK, 1 + Math.floor((pre.length - nFft) / hop)) });
  const start = startK * hop - n2;
  runs.push({ source: y, start, count: 1 + Math.floor((len - start - nFft) / hop) });
  if (tailK * hop - n2 + nFft <= len + n2) {
    const post = npPad(y.subarray(tailK * hop - n2), 0, n2, padMode);
    runs.push({ source: post, start: 0, count: 1 + Math.floor((post.length - nFft) / hop) });
  }
  return runs;
}

function resolveOptions(options: MelFeaturizerOptions) {
  const fb = resolveFilterbankOptions(options);
  const hopLength = checkInteger('hopLength', options.hopLength ?? 512, 1, 2 ** 30);
  const winLength = checkInteger('winLength', options.winLength ?? fb.nFft, 1, fb.nFft);
  const center = options.center ?? true;
  if (typeof center !== 'boolean') throw new TypeError(`center must be a boolean, got ${describe(center)}`);
  const padMode = checkOneOf('padMode', options.padMode ?? 'constant', ['constant', 'reflect'] as const);
  const power = checkNumber('power', options.power ?? 2, 0);
  if (!(power > 0)) throw new RangeError(`power must be a finite number > 0, got ${power}`);
  const windowOption = options.window ?? 'hann';
  if (typeof windowOption === 'string') checkOneOf('window', windowOption, WINDOW_NAMES);
  const toDb = options.toDb ?? null;
  if (toDb !== null) checkOneOf('toDb', toDb, ['amplitude', 'power'] as const);
  const dbOptions = options.dbOptions ?? {};
  const db = toDb === null ? null : resolveDbOptions(dbOptions, toDb === 'amplitude');
  const engine = checkOneOf('engine', options.engine ?? 'auto', ['auto', 'js'] as const);
  return { ...fb, hopLength, winLength, center, padMode, power, windowOption, toDb, dbOptions, db, engine };
}

/**
 * Makes a reusable mel-spectrogram featurizer: the window, the real FFT plan and the sparse
 * filterbank are computed once for these options (defaults as librosa 0.10's
 * `feature.melspectrogram`: nFft 2048, hopLength 512, winLength nFft, periodic Hann window,
 * center true, padMode 'constant', power 2, nMels 128, fMin 0, fMax sampleRate / 2, Slaney scale
 * and norm), optionally followed by a dB conversion per clip (`toDb`).
 *
 * @example
 * const mel = createMelSpectrogram({ sampleRate: 44100, nMels: 96, toDb: 'amplitude' });
 * const { data, nMels, nFrames } = mel.compute(signal); // 96 x 173 for a 2 s clip
 */
export function createMelSpectrogram(options: MelFeaturizerOptions): MelSpectrogramFeaturizer {
  const o = resolveOptions(options);
  const { nFft, hopLength, center, padMode, power, nMels } = o;
  const window = getWindow(o.windowOption, o.winLength, nFft);
  const fft: RealFft = createRealFft(nFft);
  const bins = fft.bins;
  const filterbank = buildFilterbank(o);
  // Sparse rows: the non-zero span [lo, hi) of each band and its weights, packed.
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
  const weights = Float64Array.from(packed);
  const kernel = o.engine === 'auto' && (power === 1 || power === 2)
    ? createWasmMelKernel({ nFft, hopLength, window, nMels, lo, hi, at, weights, power })
    : null;
  // The kernel also converts to dB when the reference is a number (else JavaScript does).
  let kernelDb: KernelDb | null = null;
  if (o.db !== null && typeof o.db.ref === 'number') {
    const squared = o.toDb === 'amplitude';
    const ref = Math.abs(o.db.ref);
    const refPower = squared ? ref * ref : ref, aminPower = squared ? o.db.amin * o.db.amin : o.db.amin;
    if (aminPower >= 1e-300) {
      kernelDb = { offsetDb: 10 * Math.log10(Math.max(aminPower, refPower)), amin: aminPower, topDb: o.db.topDb ?? -1, squared };
    }
  }
  const spec = new Float64Array(bins);

  function frameCount(length: number): number {
    checkInteger('length', length, 1, 2 ** 40);
    if (!center && length < nFft) {
      throw new RangeError(`signal length must be >= nFft = ${nFft} when center is false, got ${length}`);
    }
    return framesOf(length, nFft, hopLength, center);
  }

  function checkSignal(signal: Float32Array | Float64Array, name: string): void {
    if (!(signal instanceof Float32Array) && !(signal instanceof Float64Array)) {
      throw new TypeError(`${name} must be a Float32Array or Float64Array, got ${describe(signal)}`);
    }
    if (signal.length === 0) throw new RangeError(`${name} must not be empty, got 0 samples`);
    // 0 * x is NaN exactly for non-finite x: one branch-free pass, the slow check names the sample.
    let probe = 0;
    for (let i = 0; i < signal.length; i++) probe += 0 * signal[i];
    if (probe !== 0) checkFiniteSamples(name, signal);
  }

  function computeInto(signal: Float32Array | Float64Array, out: Float32Array, offset: number, nFrames: number): void {
    const runs = frameRuns(signal, nFft, hopLength, center, padMode);
    if (kernel !== null && signal instanceof Float32Array) {
      if (!kernel.compute(runs as KernelRun[], out, offset, nFrames, kernelDb)) applyDb(out, offset, nFrames);
      return;
    }
    let t = 0;
    for (const run of runs) {
      const src = run.source;
      for (let f = 0; f < run.count; f++, t++) {
        fft.powerSpectrum(src, run.start + f * hopLength, window, spec);
        if (power !== 2) {
          const e = power / 2;
          for (let k = 0; k < bins; k++) spec[k] = e === 0.5 ? Math.sqrt(spec[k]) : Math.pow(spec[k], e);
        }
        for (let m = 0; m < nMels; m++) {
          let sum = 0;
          const a = lo[m], b = hi[m];
          let p = at[m] - a;
          for (let k = a; k < b; k++) sum += weights[p + k] * spec[k];
          out[offset + m * nFrames + t] = sum;
        }
      }
    }
    if (t !== nFrames) throw new Error(`internal error: framed ${t} frames, expected ${nFrames}`);
    applyDb(out, offset, nFrames);
  }

  function applyDb(out: Float32Array, offset: number, nFrames: number): void {
    if (o.db !== null) {
      const amplitude = o.toDb === 'amplitude';
      const size = nMels * nFrames;
      let ref = resolveDbReference(o.db.ref, out, offset, size, amplitude);
      let amin = o.db.amin;
      if (amplitude) {
        ref *= ref;
        amin *= amin;
      }
      powerToDbInto(out, offset, size, out, offset, ref, amin, o.db.topDb, amplitude);
    }
  }

  const resolved = {
    sampleRate: o.sampleRate, nFft, hopLength, winLength: o.winLength, center, padMode, power, nMels,
    fMin: o.fMin, fMax: o.fMax, htk: o.htk, norm: o.norm,
    window: typeof o.windowOption === 'string' ? o.windowOption : ('custom' as const),
    toDb: o.toDb, dbOptions: o.dbOptions,
  };

  return {
    options: resolved,
    filterbank,
    engine: kernel === null ? 'js' : 'wasm',
    frameCount,
    compute(signal, out, offset = 0) {
      checkSignal(signal, 'signal');
      const nFrames = frameCount(signal.length);
      const size = nMels * nFrames;
      let target: Float32Array;
      if (out === undefined) {
        target = new Float32Array(size);
        offset = 0;
      } else {
        if (!(out instanceof Float32Array)) throw new TypeError(`out must be a Float32Array, got ${describe(out)}`);
        checkInteger('offset', offset, 0, Math.max(0, out.length - size));
        if (out.length - offset < size) {
          throw new RangeError(`out must have room for nMels * nFrames = ${size} values from offset ${offset}, got length ${out.length}`);
        }
        target = out;
      }
      computeInto(signal, target, offset, nFrames);
      return { data: out === undefined ? target : target.subarray(offset, offset + size), nMels, nFrames };
    },
    computeBatch(signals) {
      if (!Array.isArray(signals) || signals.length === 0) {
        throw new RangeError(`signals must be a non-empty array of equally long clips, got ${describe(signals)}`);
      }
      signals.forEach((s, i) => checkSignal(s, `signals[${i}]`));
      const length = signals[0].length;
      signals.forEach((s, i) => {
        if (s.length !== length) throw new RangeError(`signals[${i}] must have ${length} samples like signals[0], got ${s.length}`);
      });
      const nFrames = frameCount(length);
      const size = nMels * nFrames;
      const data = new Float32Array(size * signals.length);
      signals.forEach((s, i) => computeInto(s, data, i * size, nFrames));
      return { data, nClips: signals.length, nMels, nFrames };
    },
  };
}

// A small memo of featurizers keyed by their options (named windows only).
const memo = new Map<string, MelSpectrogramFeaturizer>();
const MEMO_SIZE = 16;

function featurizerFor(options: MelFeaturizerOptions): MelSpectrogramFeaturizer {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`options must be an object with sampleRate, got ${describe(options)}`);
  }
  const o = resolveOptions(options);
  if (typeof o.windowOption !== 'string' || typeof o.db?.ref === 'function') return createMelSpectrogram(options);
  const key = JSON.stringify([o.sampleRate, o.nFft, o.nMels, o.fMin, o.fMax, o.htk, o.norm, o.hopLength, o.winLength,
    o.center, o.padMode, o.power, o.windowOption, o.toDb, o.db?.ref, o.db?.amin, o.db?.topDb, o.engine]);
  let f = memo.get(key);
  if (f === undefined) {
    f = createMelSpectrogram(options);
    if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
    memo.set(key, f);
  }
  return f;
}

/**
 * The mel power spectrogram of a mono signal, `[nMels, nFrames]` row-major, as
 * `librosa.feature.melspectrogram(y=signal, sr=sampleRate, n_fft=nFft, hop_length=hopLength,
 * win_length=winLength, window='hann', center=center, pad_mode=padMode, power=power,
 * n_mels=nMels, fmin=fMin, fmax=fMax, htk=htk, norm=norm)` in librosa 0.10.0. With `center`
 * (default), `nFrames = 1 + floor(length / hopLength)` for even `nFft`, also for clips shorter
 * than one frame. The window, FFT plan and filterbank are memoised per options.
 *
 * @example
 * const signal = new Float32Array(88200); // 2 s at 44.1 kHz
 * const { data, nMels, nFrames } = melSpectrogram(signal, { sampleRate: 44100, nMels: 96 });
 * // nMels = 96, nFrames = 173
 */
export function melSpectrogram(signal: Float32Array | Float64Array, options: MelSpectrogramOptions): MelSpectrogram {
  return featurizerFor({ ...options, toDb: null }).compute(signal);
}

/**
 * Mel spectrograms of many equally long clips in one `Float32Array`, `[nClips, nMels, nFrames]`
 * row-major, each as {@link melSpectrogram}, optionally converted to dB per clip (`toDb:
 * 'amplitude'` reproduces the original Helmholtz features, `librosa.amplitude_to_db` of the mel
 * power spectrogram).
 *
 * @example
 * const batch = melSpectrogramBatch(clips, { sampleRate: 44100, nMels: 96, toDb: 'amplitude' });
 * // batch.data.length = clips.length * 96 * 173 for 2 s clips
 */
export function melSpectrogramBatch(signals: readonly (Float32Array | Float64Array)[], options: MelFeaturizerOptions): MelSpectrogramBatch {
  return featurizerFor(options).computeBatch(signals);
}
