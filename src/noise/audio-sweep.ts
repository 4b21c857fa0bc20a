/**
 * The audio sweep (the paper's second experiment): MP3 at each bitrate, mel features, the audio
 * classifier. {@link prepareAudioEstimate} checks everything before any work and
 * {@link runAudioLevel} trains one bitrate; `estimateNoise({ modality: 'audio', ... })` runs them
 * with the same orchestration (strategy, resume, progress, workers) and summary as images.
 */
import {
  audioFeatures,
  audioFeaturesToTensor,
  featureStatistics,
  fitClipLength,
  resolveAudioFeatureOptions,
  type AudioFeatureBatch,
  type ResolvedAudioFeatureOptions,
} from '../audio/features.js';
import { encodeMp3, MP3_BITRATES } from '../audio/mp3.js';
import { mp3RoundTrip } from '../audio/mp3-roundtrip.js';
import { checkLabels, labelsToOneHot } from '../data/tensors.js';
import { buildAudioModel } from '../models/audio.js';
import { checkFiniteSamples, checkInteger, checkOneOf, describe } from '../util/checks.js';
import { abortError, now, startLevel, trainPreparedLevel, type PreparedTraining } from './level-support.js';
import { checkModelOptions, checkSweepSettings, countClasses, type SweepSettings } from './sweep-options.js';
import { bitrateToQ, DEFAULT_AUDIO_LEVELS, levelsToQ, validateLevels } from './levels.js';
import type {
  AudioEstimateNoiseOptions,
  LabeledSignals,
  LevelResult,
  LevelRunContext,
  NoiseImageArchitecture,
} from './types.js';

/** One split: clips fitted to the sweep's clip length, and their labels. */
export interface PreparedAudioSplit {
  signals: Float32Array[];
  labels: Int32Array;
}

/**
 * Every option of the audio sweep checked and defaulted: what {@link runAudioLevel} needs (the
 * model and training settings, and the knee and run settings, as in the image sweep).
 */
export interface PreparedAudioEstimate extends PreparedTraining, SweepSettings {
  modality: 'audio';
  /** Bitrates sorted by ascending Q (highest bitrate first), and their Q. */
  grid: number[];
  gridQ: number[];
  train: PreparedAudioSplit;
  test: PreparedAudioSplit;
  sampleRate: number;
  /** The featurizer, resolved (clip length in samples, mel settings, normalization). */
  features: ResolvedAudioFeatureOptions;
  /** [nMels, nFrames, 1]. */
  inputShape: [number, number, number];
  augment: false;
  /** Bits per second of the reference (default: the highest bitrate x 1000). */
  sourceBits: number;
  /** Test clips whose MP3 stream size is measured per level. */
  measureSamples: number;
}

const ARCHITECTURES: readonly NoiseImageArchitecture[] = ['A', 'B', 'C', 'D', 'E', 'F'];
/** Conv + pool loops of each audio architecture (see `buildAudioModel`). */
const LOOPS: Record<NoiseImageArchitecture, number> = { A: 3, B: 4, C: 3, D: 3, E: 3, F: 2 };

function sideAfter(side: number, loops: number): number {
  let s = side - 2;
  for (let i = 0; i < loops && s >= 1; i++) s = Math.floor((s - 2) / 2);
  return s;
}

function checkAudioSplit(name: string, split: unknown): LabeledSignals {
  if (typeof split !== 'object' || split === null) {
    throw new TypeError(`data.${name} must be an object { signals, sampleRate, labels }, got ${describe(split)}`);
  }
  const s = split as Partial<LabeledSignals>;
  if (!Array.isArray(s.signals)) throw new TypeError(`data.${name}.signals must be an array of Float32Array clips (modality "audio" takes { signals, sampleRate, labels }), got ${describe(s.signals)}`);
  if (s.signals.length === 0) throw new RangeError(`data.${name}.signals must not be empty (an empty ${name} set cannot be trained or scored)`);
  if (!Array.isArray(s.labels)) throw new TypeError(`data.${name}.labels must be an array of integer labels, got ${describe(s.labels)}`);
  if (s.labels.length !== s.signals.length) {
    throw new RangeError(`data.${name}.labels must have one label per clip: ${s.signals.length} clips but ${s.labels.length} labels`);
  }
  checkInteger(`data.${name}.sampleRate`, s.sampleRate, 1000, 384000);
  s.signals.forEach((signal, i) => {
    if (!(signal instanceof Float32Array)) throw new TypeError(`data.${name}.signals[${i}] must be a Float32Array, got ${describe(signal)}`);
    if (signal.length === 0) throw new RangeError(`data.${name}.signals[${i}] must not be empty, got 0 samples`);
    checkFiniteSamples(`data.${name}.signals[${i}]`, signal);
  });
  return s as LabeledSignals;
}


/**
 * Checks every option of the audio sweep and fits the clips to one length, before any work:
 * empty sets, labels not matching clips, clips that are not finite `Float32Array`s, train and
 * test at different sample rates, fewer than two classes, fewer than 3 or duplicate levels,
 * levels that are not MP3 bitrates, featurizer options, a clip length too short for the model,
 * training and strategy settings: each a `TypeError`/`RangeError` naming the option, the bad
 * value and what is allowed.
 *
 * Defaults that differ from the image sweep: levels `[8, 16, 32, 64, 96, 128, 160]` (the
 * paper's), batch size 50 and `'paper'` = Adadelta (the original audio protocol), 8 measured
 * clips, `sourceBits` = the highest bitrate in bits per second. The clip length is
 * `features.duration` or else the longest clip (shorter clips are zero-padded at the end).
 *
 * @example
 * const prepared = prepareAudioEstimate({ modality: 'audio', data, levels: [8, 32, 160] });
 * prepared.grid;       // [160, 32, 8]
 * prepared.inputShape; // [96, 173, 1] for 2 s clips at 44.1 kHz
 */
export function prepareAudioEstimate(options: AudioEstimateNoiseOptions): PreparedAudioEstimate {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object { modality: 'audio', data, levels, ... }, got ${describe(options)}`);
  }
  if (options.modality !== 'audio') throw new RangeError(`modality must be "audio" for the audio sweep, got ${describe(options.modality)}`);
  const data = options.data as unknown;
  if (typeof data !== 'object' || data === null) {
    throw new TypeError(`data must be an object { train: { signals, sampleRate, labels }, test: { signals, sampleRate, labels } }, got ${describe(data)}`);
  }
  const train = checkAudioSplit('train', (data as { train?: unknown }).train);
  const test = checkAudioSplit('test', (data as { test?: unknown }).test);
  if (train.sampleRate !== test.sampleRate) {
    throw new RangeError(
      `data.train.sampleRate and data.test.sampleRate must be equal (resample one set first, e.g. loadWavFolder's sampleRate option), got ${train.sampleRate} and ${test.sampleRate}`,
    );
  }
  const sampleRate = train.sampleRate;
  const classes = countClasses(train.labels, test.labels);

  const gridInput = options.levels ?? [...DEFAULT_AUDIO_LEVELS];
  const grid = validateLevels(gridInput, 'audio');
  (gridInput as number[]).forEach((level, i) => {
    if (!(MP3_BITRATES as readonly number[]).includes(level)) {
      throw new RangeError(`levels[${i}] must be an MP3 bitrate in kbps (${MP3_BITRATES.join(', ')}), got ${describe(level)}`);
    }
  });

  let longest = 0;
  for (const s of [...train.signals, ...test.signals]) longest = Math.max(longest, s.length);
  const features = resolveAudioFeatureOptions(options.features, sampleRate, longest);
  const inputShape: [number, number, number] = [features.nMels, features.nFrames, 1];

  const model = options.model ?? 'A';
  if (typeof model !== 'function') {
    checkOneOf('model', model, ARCHITECTURES);
    const loops = LOOPS[model];
    if (sideAfter(features.nMels, loops) < 1 || sideAfter(features.nFrames, loops) < 1) {
      let min = 1;
      for (let i = 0; i < loops; i++) min = 2 * min + 2;
      throw new RangeError(
        `features give a ${features.nMels} x ${features.nFrames} input (nMels x frames), too small for audio model ${model} (${loops} valid conv + pool loops need at least ${min + 2} x ${min + 2}): use longer clips (features.duration), a smaller features.hopLength or more features.nMels`,
      );
    }
  }
  const { modelOptions, optimizer } = checkModelOptions(options);
  if (options.augment !== undefined && options.augment !== false) {
    throw new RangeError(`augment must be false for audio (the image augmentation would shift and flip spectrograms in time), got ${describe(options.augment)}`);
  }
  const settings = checkSweepSettings(options, grid, { batchSize: 50, measureSamples: 8, sourceBits: Math.max(...grid) * 1000 });
  const fit = (signals: Float32Array[]): Float32Array[] => signals.map((s) => fitClipLength(s, features.length));
  return {
    modality: 'audio',
    grid,
    gridQ: levelsToQ(grid, 'audio'),
    train: { signals: fit(train.signals), labels: checkLabels('data.train.labels', train.labels, classes) },
    test: { signals: fit(test.signals), labels: checkLabels('data.test.labels', test.labels, classes) },
    sampleRate,
    features,
    classes,
    inputShape,
    model,
    modelOptions,
    optimizer,
    augment: false,
    ...settings,
  };
}

/**
 * MP3 round trip of every clip at `bitrateKbps` (`mp3RoundTrip`: aligned, same length), then the
 * features of the compressed clips ({@link audioFeatures}). One clip at a time, in this thread;
 * `helmholtz-ml/node` runs the same on worker threads.
 *
 * @example
 * const o = resolveAudioFeatureOptions({}, 44100, 88200);
 * const batch = await compressAndFeaturize(clips, 44100, 32, o); // [clips, 96, 173]
 */
export async function compressAndFeaturize(
  signals: readonly Float32Array[],
  sampleRate: number,
  bitrateKbps: number,
  features: ResolvedAudioFeatureOptions,
  signal?: AbortSignal,
): Promise<AudioFeatureBatch> {
  const compressed: Float32Array[] = [];
  for (const clip of signals) {
    if (signal?.aborted) throw abortError(signal);
    compressed.push(await mp3RoundTrip(clip, sampleRate, bitrateKbps));
  }
  return audioFeatures(compressed, features);
}

/**
 * Mean size of the MP3 streams of `signals` at `bitrateKbps`, in bits per second of audio
 * (`8 x bytes / (samples / sampleRate)`: frames, headers and the last frame's padding included).
 * NaN for no signals.
 *
 * @example
 * await measureMp3BitsPerSecond(clips.slice(0, 8), 44100, 32); // ~33000 for 2 s clips
 */
export async function measureMp3BitsPerSecond(signals: readonly Float32Array[], sampleRate: number, bitrateKbps: number): Promise<number> {
  if (signals.length === 0) return NaN;
  let sum = 0;
  for (const clip of signals) {
    const bytes = await encodeMp3(clip, sampleRate, bitrateKbps);
    sum += (8 * bytes.length) / (clip.length / sampleRate);
  }
  return sum / signals.length;
}

/** Compressed features of one split at one level (the hook for worker-thread featurizers). */
export type AudioLevelFeaturizer = (split: 'train' | 'test', level: number, signal?: AbortSignal) => Promise<AudioFeatureBatch>;




/**
 * Trains one bitrate: MP3 round trip of the train and test clips at `level` kbps, mel features
 * (standardized with the training statistics when `features.normalize` is `'standardize'`), a
 * fresh audio model (same seed at every level, so every level starts from the same weights),
 * training with the test set as validation, and bits per second (nominal `level x 1000`, and
 * measured from the MP3 stream size of up to `measureSamples` test clips). Q is the bitrate
 * normalized over the grid (highest 0, lowest 1). Disposes every tensor it makes.
 *
 * @param featurize - replaces the in-thread compression and featurization (worker pools)
 * @example
 * const prepared = prepareAudioEstimate({ modality: 'audio', data, levels: [8, 32, 160], epochs: 2 });
 * const result = await runAudioLevel(prepared, 32, { levelIndex: 0, levelCount: 1 });
 * result.bitsPerSecond; // { nominal: 32000, measured: ~33000 }
 */
export async function runAudioLevel(
  prepared: PreparedAudioEstimate,
  level: number,
  context: LevelRunContext,
  featurize?: AudioLevelFeaturizer,
): Promise<LevelResult> {
  if (!prepared.grid.includes(level)) throw new RangeError(`level must be one of the prepared levels (${prepared.grid.join(', ')}), got ${describe(level)}`);
  const { signal } = context;
  const { started, base } = startLevel(level, context);
  const run: AudioLevelFeaturizer =
    featurize ?? ((split, kbps, s) => compressAndFeaturize(prepared[split].signals, prepared.sampleRate, kbps, prepared.features, s));
  const trainF = await run('train', level, signal);
  const testF = await run('test', level, signal);
  const samples = Math.min(prepared.measureSamples, prepared.test.signals.length);
  const measured = await measureMp3BitsPerSecond(prepared.test.signals.slice(0, samples), prepared.sampleRate, level);
  const compressSeconds = now() - started;
  if (signal?.aborted) throw abortError(signal);

  const trainStart = now();
  const stats = prepared.features.normalize === 'standardize' ? featureStatistics(trainF) : undefined;
  const result = await trainPreparedLevel(
    prepared,
    'audio',
    {
      x: audioFeaturesToTensor(trainF, stats),
      y: labelsToOneHot(prepared.train.labels, prepared.classes),
      vx: audioFeaturesToTensor(testF, stats),
      vy: labelsToOneHot(prepared.test.labels, prepared.classes),
    },
    buildAudioModel,
    base,
    context,
  );
  return {
    level,
    Q: bitrateToQ(level, prepared.grid),
    accuracy: result.paperAccuracy,
    bestAccuracy: result.bestAccuracy,
    epochsToConverge: result.epochsToConverge,
    history: result.history,
    bitsPerSecond: { nominal: level * 1000, measured },
    testCount: prepared.test.signals.length,
    seconds: now() - started,
    compressSeconds,
    trainSeconds: now() - trainStart,
  };
}
