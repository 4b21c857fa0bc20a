/**
 * The first step of the sweep pipeline (prepare -> run a cell -> summarize): every option checked
 * and defaulted, the data checked and packed by the modality's featurizer, the levels checked
 * against the codec on this data, before any work.
 */
import type { AnyCodec, Codec } from '../codecs/codec.js';
import { DEFAULT_CODECS, getCodec } from '../codecs/registry.js';
import { architectureNames, type ArchitectureName } from '../models/architectures.js';
import type { WeightInitializer } from '../models/build-options.js';
import { checkOneOf, describe } from '../util/checks.js';
import { audioFeaturizer } from './audio-featurizer.js';
import type { Featurizer, PackedData } from './featurizer.js';
import { imageFeaturizer } from './image-featurizer.js';
import { validateLevels } from './levels.js';
import { checkModelOptions, checkSweepSettings, type SweepSettings } from './sweep-options.js';
import type { EstimateNoiseOptions, Modality, NoiseModelFactory, NoiseOptimizer } from './types.js';

/** The featurizer of each modality. */
const FEATURIZERS: Readonly<Record<Modality, Featurizer<never, never>>> = {
  image: imageFeaturizer as unknown as Featurizer<never, never>,
  audio: audioFeaturizer as unknown as Featurizer<never, never>,
};

/**
 * A sweep ready to run: the codec, the featurizer, the packed data, the grid and every setting.
 * `Batch` is the codec's batch type; `Settings` the featurizer's resolved settings.
 */
export interface PreparedSweep<Batch = unknown, Settings = unknown> extends SweepSettings {
  modality: Modality;
  codec: Codec<Batch>;
  featurizer: Featurizer<Batch, Settings>;
  data: PackedData<Batch, Settings>;
  /** The levels sorted by ascending Q (best quality first), and their Q. */
  grid: number[];
  gridQ: number[];
  classes: number;
  inputShape: [number, number, number];
  model: ArchitectureName | NoiseModelFactory;
  modelOptions: { widthMultiplier: number; faithful: boolean; initializer: WeightInitializer };
  optimizer: NoiseOptimizer;
  augment: boolean;
}

/**
 * Checks every option of {@link estimateNoise} and prepares the sweep, before any work: the
 * modality (`'image'` default, or `'audio'`), the codec (default `'jpeg'` / `'mp3'`, of the
 * data's modality), the data (through the modality's featurizer), the levels (valid for the
 * codec on this data, e.g. MP3 bitrates at the data's sample rate), the model (an
 * `architectureNames` letter the input can take, or a factory), the training budget, repeats,
 * validation fraction, metric, hooks and knee settings: each a `TypeError`/`RangeError` naming
 * the option, the bad value and what is allowed.
 *
 * @param packed - data already packed by the featurizer (worker threads); replaces `options.data`
 * @example
 * const prepared = prepareSweep({ data, levels: [1, 50, 100], repeats: 2 });
 * prepared.grid;       // [100, 50, 1]
 * prepared.codec.name; // 'jpeg'
 */
export function prepareSweep(options: EstimateNoiseOptions, packed?: PackedData<unknown, unknown>): PreparedSweep {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object { data, levels, ... }, got ${describe(options)}`);
  }
  const modality = checkOneOf('modality', options.modality ?? 'image', ['image', 'audio'] as const);
  const codec: AnyCodec = getCodec(options.codec ?? DEFAULT_CODECS[modality]);
  if (codec.modality !== modality) {
    throw new RangeError(`codec "${codec.name}" compresses ${codec.modality}, but modality is "${modality}" (choose a codec of the data's modality)`);
  }
  const featurizer = FEATURIZERS[modality] as Featurizer<unknown, unknown>;
  const data = packed ?? featurizer.pack(options.data, modality === 'audio' ? (options as { features?: unknown }).features : undefined);
  const grid = validateLevels(options.levels ?? [...codec.defaultLevels(data.context)], codec, data.context);
  const model = options.model ?? 'A';
  if (typeof model !== 'function') {
    checkOneOf('model', model, architectureNames);
    featurizer.checkArchitecture(model, data.inputShape);
  }
  const { modelOptions, optimizer } = checkModelOptions(options);
  if (options.augment !== undefined && typeof options.augment !== 'boolean') {
    throw new TypeError(`augment must be a boolean, got ${describe(options.augment)}`);
  }
  if (options.augment === true && !featurizer.augmentable) {
    throw new RangeError(`augment must be false for ${modality} (the image augmentation would shift and flip spectrograms in time), got true`);
  }
  const settings = checkSweepSettings(options, grid, {
    batchSize: featurizer.defaults.batchSize,
    measureSamples: featurizer.defaults.measureSamples,
    sourceBits: codec.sourceBits(data.context, grid),
    maxSourceBits: codec.maxSourceBits,
  });
  return {
    modality,
    codec: codec as Codec<unknown>,
    featurizer,
    data,
    grid,
    gridQ: grid.map((level) => codec.toQ(level, grid)),
    classes: data.classes,
    inputShape: data.inputShape,
    model,
    modelOptions,
    optimizer,
    augment: options.augment ?? false,
    ...settings,
  };
}

/** The structured-clonable options a worker rebuilds a prepared sweep from (with its packed data). */
export type SweepWorkerOptions = Pick<
  EstimateNoiseOptions,
  'codec' | 'levels' | 'repeats' | 'metric' | 'validationFraction' | 'model' | 'modelOptions' | 'epochs' | 'patience' | 'maxEpochs' | 'batchSize' | 'optimizer' | 'augment' | 'seed' | 'sourceBits' | 'measureSamples'
> & { modality: Modality };

/**
 * The options of a prepared sweep that a worker thread needs to prepare it again (defaults
 * resolved; a custom model or optimizer object cannot be sent and is refused).
 *
 * @example
 * const init = { options: workerOptions(prepared), data: prepared.data };
 * const again = prepareSweep({ ...init.options, data: undefined } as never, init.data);
 */
export function workerOptions(prepared: PreparedSweep): SweepWorkerOptions {
  if (typeof prepared.model === 'function' || typeof prepared.optimizer !== 'string') {
    throw new RangeError('a custom model function or optimizer object cannot be sent to worker threads (use workers: 1)');
  }
  return {
    modality: prepared.modality,
    codec: prepared.codec.name,
    levels: prepared.grid,
    repeats: prepared.repeats,
    metric: prepared.metric,
    validationFraction: prepared.validationFraction,
    model: prepared.model,
    modelOptions: prepared.modelOptions,
    ...(prepared.budget.epochs === 'auto' ? { epochs: 'auto', patience: prepared.budget.patience, maxEpochs: prepared.budget.maxEpochs } : { epochs: prepared.budget.epochs }),
    batchSize: prepared.batchSize,
    optimizer: prepared.optimizer,
    augment: prepared.augment,
    seed: prepared.seed,
    sourceBits: prepared.sourceBits,
    measureSamples: prepared.measureSamples,
  };
}

function keptModelOptions(options: PreparedSweep['modelOptions']): Record<string, unknown> {
  const { initializer, ...rest } = options;
  return initializer === 'keras' ? rest : options;
}

/**
 * The settings a sweep's cells depend on, as plain JSON (without the data, which a results file
 * fingerprints): codec, modality, featurizer settings, model, budget, batch size, optimizer,
 * augmentation, seed, validation fraction and metric. Levels, repeats, strategy and workers are
 * not included: a sweep may be resumed with more of them.
 *
 * @example
 * cellSettings(prepareSweep({ data, epochs: 5 })).epochs; // 5
 */
export function cellSettings(prepared: PreparedSweep): Record<string, unknown> {
  return {
    modality: prepared.modality,
    codec: prepared.codec.name,
    ...(prepared.data.settings !== null ? { features: prepared.data.settings } : {}),
    model: typeof prepared.model === 'function' ? 'custom' : prepared.model,
    // the default initializer is left out, so results files written before it existed still resume
    modelOptions: keptModelOptions(prepared.modelOptions),
    epochs: prepared.budget.epochs,
    ...(prepared.budget.epochs === 'auto' ? { patience: prepared.budget.patience, maxEpochs: prepared.budget.maxEpochs } : {}),
    batchSize: prepared.batchSize,
    optimizer: typeof prepared.optimizer === 'string' ? prepared.optimizer : 'custom',
    augment: prepared.augment,
    seed: prepared.seed,
    validationFraction: prepared.validationFraction,
    metric: prepared.metric,
    sourceBits: prepared.sourceBits,
  };
}
