/** The audio featurizer: mel features of each clip (standardized with the training statistics when asked), the paper's audio models. */
import {
  audioFeatures,
  audioFeaturesToTensor,
  featureOptionsOf,
  featureStatistics,
  fitClipLength,
  resolveAudioFeatureOptions,
  type ResolvedAudioFeatureOptions,
} from '../audio/features.js';
import type { SignalBatch } from '../codecs/codec.js';
import { checkLabels } from '../data/tensors.js';
import type { LabeledSignals } from '../data/labeled.js';
import { buildAudioModel } from '../models/audio.js';
import { checkFiniteSamples, checkInteger, describe } from '../util/checks.js';
import type { Featurizer } from './featurizer.js';
import { countClasses } from './sweep-options.js';

function checkSplit(name: string, split: unknown): LabeledSignals {
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
 * Audio: clips fitted to one length (`features.duration`, else the longest clip; shorter clips
 * zero-padded at the end), mel features (`audioFeatures`), standardized with the fit part's
 * statistics when `features.normalize` is `'standardize'`, `buildAudioModel`.
 *
 * @example
 * const packed = audioFeaturizer.pack({ train, test }, { nMels: 32 });
 * packed.inputShape; // [32, frames, 1]
 */
export const audioFeaturizer: Featurizer<SignalBatch, ResolvedAudioFeatureOptions> = {
  modality: 'audio',
  optionsOf: featureOptionsOf,
  pack(data, options) {
    if (typeof data !== 'object' || data === null) {
      throw new TypeError(`data must be an object { train: { signals, sampleRate, labels }, test: { signals, sampleRate, labels } }, got ${describe(data)}`);
    }
    const train = checkSplit('train', (data as { train?: unknown }).train);
    const test = checkSplit('test', (data as { test?: unknown }).test);
    if (train.sampleRate !== test.sampleRate) {
      throw new RangeError(
        `data.train.sampleRate and data.test.sampleRate must be equal (resample one set first, e.g. loadWavFolder's sampleRate option), got ${train.sampleRate} and ${test.sampleRate}`,
      );
    }
    const sampleRate = train.sampleRate;
    const classes = countClasses(train.labels, test.labels);
    let longest = 0;
    for (const s of [...train.signals, ...test.signals]) longest = Math.max(longest, s.length);
    const settings = resolveAudioFeatureOptions(options as never, sampleRate, longest);
    const fit = (signals: Float32Array[]): Float32Array[] => signals.map((s) => fitClipLength(s, settings.length));
    return {
      train: { signals: fit(train.signals), sampleRate },
      test: { signals: fit(test.signals), sampleRate },
      trainLabels: checkLabels('data.train.labels', train.labels, classes),
      testLabels: checkLabels('data.test.labels', test.labels, classes),
      classes,
      context: { sampleRate },
      inputShape: [settings.nMels, settings.nFrames, 1],
      settings,
    };
  },
  count: (batch) => batch.signals.length,
  select: (batch, indices) => ({ signals: indices.map((i) => batch.signals[i]), sampleRate: batch.sampleRate }),
  toTensors(parts, settings) {
    const fit = audioFeatures(parts.fit.signals, settings);
    const stats = settings.normalize === 'standardize' ? featureStatistics(fit) : undefined;
    return {
      fit: audioFeaturesToTensor(fit, stats),
      ...(parts.validation !== undefined ? { validation: audioFeaturesToTensor(audioFeatures(parts.validation.signals, settings), stats) } : {}),
      test: audioFeaturesToTensor(audioFeatures(parts.test.signals, settings), stats),
    };
  },
  buildArchitecture: buildAudioModel,
  checkArchitecture(arch, inputShape) {
    // The model module owns the geometry: build once (no training) and let it refuse the shape.
    try {
      buildAudioModel(arch, { inputShape, numClasses: 2 }).dispose();
    } catch (error) {
      if (error instanceof RangeError) {
        throw new RangeError(
          `features give a ${inputShape[0]} x ${inputShape[1]} input (nMels x frames), too small for audio model ${arch}: use longer clips (features.duration), a smaller features.hopLength or more features.nMels (${error.message})`,
        );
      }
      // No backend yet (e.g. before useBackend): the builder runs again when the cell trains.
    }
  },
  defaults: { batchSize: 50, measureSamples: 8 },
  augmentable: false,
};
