/**
 * The audio sweep's featurizer: clips of one length -> the original Helmholtz feature tensor, a
 * log-scaled mel spectrogram per clip (`librosa.amplitude_to_db(librosa.feature.melspectrogram(y,
 * sr, n_fft=2048, hop_length=512, n_mels=96))`), shaped `[clips, nMels, nFrames, 1]` for the
 * audio models. A 2 s clip at 44.1 kHz gives 96 x 173.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber, checkOneOf, describe } from '../util/checks.js';
import { createMelSpectrogram, type MelFeaturizerOptions, type MelSpectrogramFeaturizer } from './mel.js';
import type { PadMode } from './framing.js';

/** How feature values are scaled before training. */
export type AudioFeatureNormalization = 'none' | 'standardize';

/** Options of the audio featurizer (defaults: the original Helmholtz code's). */
export interface AudioFeatureOptions {
  /**
   * Every clip is zero-padded or cut (at its end) to this many seconds before compression.
   * Default: the longest clip of the data (nothing is cut; IDMT-SMT-Audio-Effects clips are all 2 s).
   */
  duration?: number;
  /** Mel bands. Default 96. */
  nMels?: number;
  /** FFT size. Default 2048. */
  nFft?: number;
  /** Samples between frames. Default 512. */
  hopLength?: number;
  /** Exponent of the magnitude (2 = power spectrogram). Default 2. */
  power?: number;
  /** Lowest band edge in Hz. Default 0. */
  fMin?: number;
  /** Highest band edge in Hz. Default: half the sample rate. */
  fMax?: number;
  /**
   * Padding of the centred frames at the clip's ends. Default `'reflect'`: the default of the
   * librosa versions the original code ran on (<= 0.9).
   */
  padMode?: PadMode;
  /**
   * Decibel conversion: `'amplitude'` (default) applies `amplitudeToDb` to the power spectrogram
   * as the original did (so values are 20 log10 of power, clipped 80 dB below each clip's peak);
   * `'power'` uses `powerToDb`; `null` keeps the linear spectrogram.
   */
  toDb?: 'amplitude' | 'power' | null;
  /**
   * Scaling of the feature values for training. `'none'` (default, as the original): the dB values
   * as they are. `'standardize'`: subtract the mean and divide by the standard deviation of all
   * training features of the level (the test features use the training statistics), which helps
   * short trainings with Adam.
   */
  normalize?: AudioFeatureNormalization;
}

/** Checked options with every default filled in (the sample rate and clip length fixed). */
export interface ResolvedAudioFeatureOptions {
  sampleRate: number;
  /** Clip length in samples. */
  length: number;
  nMels: number;
  nFft: number;
  hopLength: number;
  power: number;
  fMin: number;
  fMax: number;
  padMode: PadMode;
  toDb: 'amplitude' | 'power' | null;
  normalize: AudioFeatureNormalization;
  /** Frames per clip (`1 + floor(length / hopLength)`). */
  nFrames: number;
}

/** Feature maps of many clips, row-major `[count, nMels, nFrames]`. */
export interface AudioFeatureBatch {
  data: Float32Array;
  count: number;
  nMels: number;
  nFrames: number;
}

const FEATURE_KEYS: readonly string[] = ['duration', 'nMels', 'nFft', 'hopLength', 'power', 'fMin', 'fMax', 'padMode', 'toDb', 'normalize'];

/**
 * Checks the featurizer options for clips at `sampleRate` and fills in the defaults; `length`
 * (samples) is the clip length used when `duration` is not given.
 *
 * @throws TypeError/RangeError naming the option (`features.nMels`, ...), the bad value and what is allowed.
 * @example
 * resolveAudioFeatureOptions({}, 44100, 88200); // { nMels: 96, nFft: 2048, hopLength: 512, nFrames: 173, ... }
 */
export function resolveAudioFeatureOptions(options: AudioFeatureOptions | undefined, sampleRate: number, length: number): ResolvedAudioFeatureOptions {
  const o = options ?? {};
  if (typeof o !== 'object' || o === null) throw new TypeError(`features must be an object of featurizer options, got ${describe(o)}`);
  for (const key of Object.keys(o)) {
    if (!FEATURE_KEYS.includes(key)) throw new RangeError(`features.${key} is not a featurizer option (allowed: ${FEATURE_KEYS.join(', ')})`);
  }
  checkInteger('sampleRate', sampleRate, 1, 10_000_000);
  const clip =
    o.duration === undefined
      ? checkInteger('clip length', length, 1, 2 ** 31)
      : Math.max(1, Math.round(checkNumber('features.duration', o.duration, 1e-3, 3600) * sampleRate));
  const nFft = checkInteger('features.nFft', o.nFft ?? 2048, 2, 1 << 20);
  const hopLength = checkInteger('features.hopLength', o.hopLength ?? 512, 1, 1 << 20);
  const nMels = checkInteger('features.nMels', o.nMels ?? 96, 1, 4096);
  const fMax = checkNumber('features.fMax', o.fMax ?? sampleRate / 2, 0, sampleRate / 2);
  const fMin = checkNumber('features.fMin', o.fMin ?? 0, 0, fMax);
  if (!(fMin < fMax)) throw new RangeError(`features.fMin must be below features.fMax (${fMax}), got ${fMin}`);
  const toDb = o.toDb === null ? null : checkOneOf('features.toDb', o.toDb ?? 'amplitude', ['amplitude', 'power'] as const);
  return {
    sampleRate,
    length: clip,
    nMels,
    nFft,
    hopLength,
    power: checkNumber('features.power', o.power ?? 2, Number.MIN_VALUE, 16),
    fMin,
    fMax,
    padMode: checkOneOf('features.padMode', o.padMode ?? 'reflect', ['reflect', 'constant'] as const),
    toDb,
    normalize: checkOneOf('features.normalize', o.normalize ?? 'none', ['none', 'standardize'] as const),
    nFrames: 1 + Math.floor(clip / hopLength),
  };
}

/**
 * The options that resolve to `resolved` again on data of the same sample rate (the clip length
 * as a duration; `sampleRate` and `nFrames` follow from the data): how a resolved featurizer
 * travels to a queue worker that featurizes its own copy of the clips.
 *
 * @example
 * const r = resolveAudioFeatureOptions({ nMels: 40 }, 16000, 16000);
 * resolveAudioFeatureOptions(featureOptionsOf(r), 16000, 8000); // equals r (1 s clips)
 */
export function featureOptionsOf(resolved: ResolvedAudioFeatureOptions): AudioFeatureOptions {
  const { sampleRate, length, nFrames, ...rest } = resolved;
  void nFrames;
  return { duration: length / sampleRate, ...rest };
}

/**
 * A copy of `signal` zero-padded or cut at its end to `length` samples (the signal itself when it
 * already has that length).
 *
 * @example
 * fitClipLength(new Float32Array(3), 5); // [0, 0, 0, 0, 0]
 */
export function fitClipLength(signal: Float32Array, length: number): Float32Array {
  checkInteger('length', length, 1, 2 ** 31);
  if (signal.length === length) return signal;
  const out = new Float32Array(length);
  out.set(signal.subarray(0, Math.min(signal.length, length)));
  return out;
}

/** Memo of the mel featurizer of the last options (the sweep featurizes many batches alike). */
let lastKey = '';
let lastFeaturizer: MelSpectrogramFeaturizer | null = null;

function featurizerOf(o: ResolvedAudioFeatureOptions): MelSpectrogramFeaturizer {
  const mel: MelFeaturizerOptions = {
    sampleRate: o.sampleRate,
    nFft: o.nFft,
    hopLength: o.hopLength,
    nMels: o.nMels,
    power: o.power,
    fMin: o.fMin,
    fMax: o.fMax,
    padMode: o.padMode,
    toDb: o.toDb,
    htk: false,
    norm: 'slaney',
  };
  const key = JSON.stringify(mel);
  if (key !== lastKey || lastFeaturizer === null) {
    lastFeaturizer = createMelSpectrogram(mel);
    lastKey = key;
  }
  return lastFeaturizer;
}

/**
 * Features of many clips: each is fitted to `options.length` samples ({@link fitClipLength}), then
 * turned into its mel spectrogram (`options`: Slaney mel scale and norm, periodic Hann window,
 * centred frames) and converted to dB per clip (`options.toDb`). Normalization is not applied
 * here (it needs the training set's statistics: see {@link audioFeaturesToTensor}).
 *
 * @param signals - mono clips at `options.sampleRate` (finite samples)
 * @param options - resolved options ({@link resolveAudioFeatureOptions})
 * @example
 * const o = resolveAudioFeatureOptions({}, 44100, 88200);
 * const batch = audioFeatures(clips, o); // batch.nMels = 96, batch.nFrames = 173
 */
export function audioFeatures(signals: readonly Float32Array[], options: ResolvedAudioFeatureOptions): AudioFeatureBatch {
  if (!Array.isArray(signals) || signals.length === 0) throw new RangeError(`signals must be a non-empty array of Float32Array clips, got ${describe(signals)}`);
  const featurizer = featurizerOf(options);
  const size = options.nMels * options.nFrames;
  const data = new Float32Array(size * signals.length);
  signals.forEach((s, i) => {
    if (!(s instanceof Float32Array)) throw new TypeError(`signals[${i}] must be a Float32Array, got ${describe(s)}`);
    const { nFrames } = featurizer.compute(fitClipLength(s, options.length), data, i * size);
    if (nFrames !== options.nFrames) throw new Error(`internal error: ${nFrames} frames, expected ${options.nFrames}`);
  });
  return { data, count: signals.length, nMels: options.nMels, nFrames: options.nFrames };
}

/** Mean and standard deviation of feature values (for `normalize: 'standardize'`). */
export interface FeatureStatistics {
  mean: number;
  std: number;
}

/**
 * Mean and standard deviation of every value of a feature batch (double-precision sums; a
 * standard deviation of 0 is reported as 1 so that dividing by it is harmless).
 *
 * @example
 * const stats = featureStatistics(trainFeatures); // { mean: 61.2, std: 14.8 }
 */
export function featureStatistics(batch: AudioFeatureBatch): FeatureStatistics {
  const { data } = batch;
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i];
  const mean = data.length > 0 ? sum / data.length : 0;
  let sq = 0;
  for (let i = 0; i < data.length; i++) sq += (data[i] - mean) ** 2;
  const std = data.length > 0 ? Math.sqrt(sq / data.length) : 0;
  return { mean, std: std > 0 ? std : 1 };
}

/**
 * The model input of a feature batch: a `[count, nMels, nFrames, 1]` float32 tensor, optionally
 * standardized with `statistics` (`(x - mean) / std`). The caller disposes it.
 *
 * @example
 * const stats = featureStatistics(train);
 * const x = audioFeaturesToTensor(train, stats); // standardized, shape [n, 96, 173, 1]
 * x.dispose();
 */
export function audioFeaturesToTensor(batch: AudioFeatureBatch, statistics?: FeatureStatistics): tf.Tensor4D {
  const { count, nMels, nFrames } = batch;
  if (batch.data.length !== count * nMels * nFrames) {
    throw new RangeError(`batch.data must hold count * nMels * nFrames = ${count * nMels * nFrames} values, got ${batch.data.length}`);
  }
  let values = batch.data;
  if (statistics) {
    const { mean, std } = statistics;
    values = new Float32Array(batch.data.length);
    const inv = 1 / std;
    for (let i = 0; i < values.length; i++) values[i] = (batch.data[i] - mean) * inv;
  }
  return tf.tensor4d(values, [count, nMels, nFrames, 1], 'float32');
}
