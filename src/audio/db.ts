/**
 * Decibel conversions of spectrograms, as librosa 0.10's `power_to_db` and `amplitude_to_db`.
 *
 * `powerToDb(S)` = `10 log10(max(amin, S)) - 10 log10(max(amin, |ref|))`, then, when `topDb` is
 * not null, every value is raised to at least `max(result) - topDb`.
 * `amplitudeToDb(S)` squares its input and calls `powerToDb` with `ref^2` and `amin^2`, exactly as
 * librosa does (so it is `20 log10(max(amin, |S|)) - 20 log10(max(amin, |ref|))`, clipped).
 */
import { checkFiniteSamples, checkNumber, describe } from '../util/checks.js';

/**
 * The reference value: a number (its absolute value is used), `'max'` (the largest input value,
 * as librosa's `ref=np.max`), or a function of the values (absolute values for `amplitudeToDb`).
 */
export type DbReference = number | 'max' | ((values: Float32Array) => number);

/** Options of {@link powerToDb} and {@link amplitudeToDb}. */
export interface DbOptions {
  /** Reference value that maps to 0 dB. Default 1. */
  ref?: DbReference;
  /** Floor applied to the input (and to `ref`) before the logarithm, > 0. Default 1e-10 for
   * `powerToDb`, 1e-5 for `amplitudeToDb`. */
  amin?: number;
  /** Dynamic range kept below the maximum, in dB, >= 0; `null` keeps everything. Default 80. */
  topDb?: number | null;
}

interface ResolvedDb {
  amin: number;
  topDb: number | null;
}

function resolveDb(options: DbOptions, defaultAmin: number): ResolvedDb & { ref: DbReference } {
  const amin = options.amin ?? defaultAmin;
  if (typeof amin !== 'number' || !Number.isFinite(amin) || amin <= 0) {
    throw new RangeError(`amin must be a finite number > 0, got ${describe(amin)}`);
  }
  const topDb = options.topDb === undefined ? 80 : options.topDb;
  if (topDb !== null) checkNumber('topDb', topDb, 0);
  const ref = options.ref ?? 1;
  if (typeof ref === 'number') checkNumber('ref', ref);
  else if (ref !== 'max' && typeof ref !== 'function') {
    throw new TypeError(`ref must be a number, 'max' or a function, got ${describe(ref)}`);
  }
  return { amin, topDb, ref };
}

function referenceValue(ref: DbReference, values: Float32Array): number {
  if (typeof ref === 'number') return Math.abs(ref);
  let r: number;
  if (ref === 'max') {
    r = -Infinity;
    for (let i = 0; i < values.length; i++) if (values[i] > r) r = values[i];
  } else {
    r = ref(values);
  }
  if (typeof r !== 'number' || !Number.isFinite(r)) throw new RangeError(`ref must give a finite number, got ${describe(r)}`);
  return r;
}

/**
 * Power to dB on `length` values of `input` from `inOffset`, written to `out` from `outOffset`
 * (which may be the same array and range). `refPower` and `aminPower` are in power units.
 * `squared` squares the inputs first (amplitude input). Internal (used by the mel featurizer).
 *
 * @internal
 * @example
 * powerToDbInto(x, 0, x.length, out, 0, 1, 1e-10, 80, false); // out = powerToDb(x)
 */
export function powerToDbInto(
  input: ArrayLike<number>, inOffset: number, length: number, out: Float32Array, outOffset: number,
  refPower: number, aminPower: number, topDb: number | null, squared: boolean,
): void {
  const offsetDb = 10 * Math.log10(Math.max(aminPower, refPower));
  let max = -Infinity;
  for (let i = 0; i < length; i++) {
    let v = input[inOffset + i];
    if (squared) v *= v;
    const db = 10 * Math.log10(v > aminPower ? v : aminPower) - offsetDb;
    out[outOffset + i] = db;
    if (db > max) max = db;
  }
  if (topDb !== null && length > 0) {
    // Clip against the float32 maximum, as librosa computes in the input's float32 dtype.
    const floor = Math.fround(max) - topDb;
    for (let i = outOffset; i < outOffset + length; i++) if (out[i] < floor) out[i] = floor;
  }
}

/**
 * Resolves the reference of `powerToDb` or `amplitudeToDb` for one block of values (absolute
 * values for amplitude input). Internal.
 *
 * @internal
 * @example
 * resolveDbReference('max', x, 0, x.length, false); // the largest value of x
 */
export function resolveDbReference(ref: DbReference, input: ArrayLike<number>, offset: number, length: number, amplitude: boolean): number {
  if (typeof ref === 'number') return Math.abs(ref);
  const view = new Float32Array(length);
  for (let i = 0; i < length; i++) view[i] = amplitude ? Math.abs(input[offset + i]) : input[offset + i];
  return referenceValue(ref, view);
}

/**
 * Validated dB settings with the defaults of `amplitudeToDb` (`amplitude`) or `powerToDb`, for
 * callers that convert many blocks with the same options. Internal.
 *
 * @internal
 * @example
 * resolveDbOptions({}, true); // { ref: 1, amin: 1e-5, topDb: 80 }
 */
export function resolveDbOptions(options: DbOptions, amplitude: boolean): { ref: DbReference; amin: number; topDb: number | null } {
  return resolveDb(options, amplitude ? 1e-5 : 1e-10);
}

/**
 * Converts a power spectrogram to decibels, as `librosa.power_to_db(S, ref=1.0, amin=1e-10,
 * top_db=80.0)`: `10 log10(max(amin, S) / max(amin, |ref|))`, clipped to `max - topDb`
 * (`topDb = null`: no clipping). Returns a new `Float32Array`; the input is not modified.
 *
 * @example
 * powerToDb(new Float32Array([1, 0.1, 0])); // Float32Array [0, -10, -80]
 * powerToDb(new Float32Array([1, 0.1, 0]), { topDb: null }); // [0, -10, -100]
 */
export function powerToDb(x: ArrayLike<number>, options: DbOptions = {}): Float32Array {
  const o = resolveDb(options, 1e-10);
  checkFiniteSamples('x', x);
  const out = new Float32Array(x.length);
  const ref = resolveDbReference(o.ref, x, 0, x.length, false);
  powerToDbInto(x, 0, x.length, out, 0, ref, o.amin, o.topDb, false);
  return out;
}

/**
 * Converts an amplitude spectrogram to decibels, as `librosa.amplitude_to_db(S, ref=1.0,
 * amin=1e-5, top_db=80.0)`, which is `power_to_db(|S|^2, ref=ref^2, amin=amin^2, top_db)`:
 * `20 log10(max(amin, |S|) / max(amin, |ref|))`, clipped to `max - topDb`. The original Helmholtz
 * code applied this to a mel *power* spectrogram; that is what the audio models were trained on.
 * Returns a new `Float32Array`.
 *
 * @example
 * amplitudeToDb(new Float32Array([1, 0.1, 0])); // Float32Array [0, -20, -80]
 */
export function amplitudeToDb(x: ArrayLike<number>, options: DbOptions = {}): Float32Array {
  const o = resolveDb(options, 1e-5);
  checkFiniteSamples('x', x);
  const out = new Float32Array(x.length);
  const ref = resolveDbReference(o.ref, x, 0, x.length, true);
  powerToDbInto(x, 0, x.length, out, 0, ref * ref, o.amin * o.amin, o.topDb, true);
  return out;
}
