/**
 * Band-limited sample-rate conversion: a Kaiser-windowed sinc interpolator evaluated as a
 * polyphase filter bank. Zero-phase by construction: output sample `k` is the band-limited value
 * of the input at input time `k * fromRate / toRate` (samples outside the signal count as zero),
 * so a resampled signal needs no delay compensation.
 */
import { checkFiniteSamples, checkInteger, checkNumber, describe } from '../util/checks.js';

/** Options of {@link resample}. */
export interface ResampleOptions {
  /**
   * Zero crossings of the sinc on each side of the centre, counted at the lower of the two rates
   * (the filter's half length). Default 32.
   */
  zeroCrossings?: number;
  /** Passband edge as a fraction of the lower Nyquist frequency, in (0, 1]. Default 0.945. */
  rolloff?: number;
  /** Kaiser window shape parameter beta (stop-band attenuation about 8.7 * beta dB). Default 12. */
  kaiserBeta?: number;
  /** Length of the output. Default `Math.ceil(signal.length * toRate / fromRate)`. */
  length?: number;
}

/** Largest number of filter phases kept in a precomputed table (larger ratios compute weights per sample). */
const MAX_TABLE_PHASES = 4096;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

interface Kernel {
  /** Cutoff as a fraction of the input Nyquist frequency (gain scale of the sinc). */
  fc: number;
  /** Half width of the kernel in input samples. */
  halfWidth: number;
  beta: number;
  i0Beta: number;
}

/** The interpolation kernel at distance `x` (in input samples) from the output instant. */
function kernelAt(k: Kernel, x: number): number {
  const ax = Math.abs(x);
  if (ax >= k.halfWidth) return 0;
  const r = ax / k.halfWidth;
  const window = besselI0(k.beta * Math.sqrt(1 - r * r)) / k.i0Beta;
  const arg = Math.PI * k.fc * x;
  const sinc = arg === 0 ? 1 : Math.sin(arg) / arg;
  return k.fc * sinc * window;
}

/** Recently used polyphase tables (a small lazy memo: building one costs more than filtering 2 s). */
const tableCache = new Map<string, Float32Array>();
const TABLE_CACHE_SIZE = 8;

function phaseTable(kernel: Kernel, up: number, down: number, zeroCrossings: number, rolloff: number, w: number, taps: number): Float32Array {
  const key = `${up}:${down}:${zeroCrossings}:${rolloff}:${kernel.beta}`;
  const cached = tableCache.get(key);
  if (cached) {
    tableCache.delete(key); // move to the most recent end
    tableCache.set(key, cached);
    return cached;
  }
  const table = new Float32Array(up * taps);
  for (let p = 0; p < up; p++) {
    const frac = p / up;
    for (let m = 0; m < taps; m++) table[p * taps + m] = kernelAt(kernel, frac + (w - 1) - m);
  }
  tableCache.set(key, table);
  if (tableCache.size > TABLE_CACHE_SIZE) tableCache.delete(tableCache.keys().next().value as string);
  return table;
}

/**
 * Resamples a mono signal from `fromRate` to `toRate` Hz with a band-limited Kaiser-windowed sinc
 * interpolator (polyphase: one precomputed filter per output phase when the reduced ratio has at
 * most 4096 phases). The cutoff is `rolloff` times the lower of the two Nyquist frequencies. The
 * filter is linear-phase and centred (zero delay): output sample `k` estimates the input at time
 * `k / toRate` seconds, so resampling introduces no lag.
 *
 * @param signal input samples (finite, at least one).
 * @param fromRate input sample rate in Hz (positive integer).
 * @param toRate output sample rate in Hz (positive integer).
 * @param options filter shape and output length (defaults: 32 zero crossings, rolloff 0.945, beta 12).
 * @returns a new `Float32Array` of `options.length` (default `ceil(n * toRate / fromRate)`) samples.
 * @example
 * const at16k = resample(signal44k, 44100, 16000);
 * const back = resample(at16k, 16000, 44100, { length: signal44k.length });
 */
export function resample(signal: Float32Array, fromRate: number, toRate: number, options: ResampleOptions = {}): Float32Array {
  if (!(signal instanceof Float32Array)) {
    throw new TypeError(`signal must be a Float32Array, got ${describe(signal)}`);
  }
  if (signal.length === 0) throw new RangeError('signal must contain at least one sample, got an empty signal');
  checkInteger('fromRate', fromRate, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('toRate', toRate, 1, Number.MAX_SAFE_INTEGER);
  checkFiniteSamples('signal', signal);
  const zeroCrossings = checkNumber('options.zeroCrossings', options.zeroCrossings ?? 32, 1, 1024);
  const rolloff = checkNumber('options.rolloff', options.rolloff ?? 0.945, Number.MIN_VALUE, 1);
  const beta = checkNumber('options.kaiserBeta', options.kaiserBeta ?? 12, 0, 100);
  const outLength = options.length === undefined
    ? Math.ceil((signal.length * toRate) / fromRate)
    : checkInteger('options.length', options.length, 0, 2 ** 31 - 1);

  const n = signal.length;
  if (fromRate === toRate) {
    const out = new Float32Array(outLength);
    out.set(outLength >= n ? signal : signal.subarray(0, outLength));
    return out;
  }
  const g = gcd(fromRate, toRate);
  const up = toRate / g; // phases per input sample
  const down = fromRate / g; // input advance per output sample, in 1/up units
  const fc = Math.min(1, toRate / fromRate) * rolloff;
  const kernel: Kernel = { fc, halfWidth: zeroCrossings / fc, beta, i0Beta: besselI0(beta) };
  // Output k sits at input time t = k * down / up = i0 + p / up; taps j = i0 - w + 1 .. i0 + w.
  const w = Math.ceil(kernel.halfWidth);
  const taps = 2 * w;
  const out = new Float32Array(outLength);

  if (up <= MAX_TABLE_PHASES) {
    const table = phaseTable(kernel, up, down, zeroCrossings, rolloff, w, taps);
    for (let k = 0; k < outLength; k++) {
      const pos = k * down; // exact integer (k * down < 2^53 for any realistic length)
      const i0 = Math.floor(pos / up);
      const p = pos - i0 * up;
      const start = i0 - w + 1;
      const base = p * taps;
      let acc = 0;
      if (start >= 0 && start + taps <= n) {
        // Interior: four independent accumulators (about 2x faster than one in V8).
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        let m = 0;
        for (; m + 3 < taps; m += 4) {
          acc += signal[start + m] * table[base + m];
          a1 += signal[start + m + 1] * table[base + m + 1];
          a2 += signal[start + m + 2] * table[base + m + 2];
          a3 += signal[start + m + 3] * table[base + m + 3];
        }
        for (; m < taps; m++) acc += signal[start + m] * table[base + m];
        acc += a1 + a2 + a3;
      } else {
        const lo = Math.max(0, -start);
        const hi = Math.min(taps, n - start);
        for (let m = lo; m < hi; m++) acc += signal[start + m] * table[base + m];
      }
      out[k] = acc;
    }
    return out;
  }

  for (let k = 0; k < outLength; k++) {
    const t = (k * down) / up;
    const i0 = Math.floor(t);
    const frac = t - i0;
    const lo = Math.max(0, i0 - w + 1);
    const hi = Math.min(n - 1, i0 + w);
    let acc = 0;
    for (let j = lo; j <= hi; j++) acc += signal[j] * kernelAt(kernel, frac + (i0 - j));
    out[k] = acc;
  }
  return out;
}
