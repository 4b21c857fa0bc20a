/**
 * Internal: option checking and seeding shared by the image and audio builders.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkInteger, checkNumber, checkOneOf, describe } from '../util/checks.js';
import { createRandom, type Random } from '../util/random.js';
import { architectureNames, type ArchitectureName } from './architectures.js';

/** Options shared by `buildImageModel` and `buildAudioModel`. */
export interface BuildOptions {
  /** Input shape [height, width, channels]. */
  inputShape?: [number, number, number];
  /** Number of classes (>= 2). */
  numClasses?: number;
  /** Scales every filter and unit count (rounded, at least 1). Default 1. */
  widthMultiplier?: number;
  /** Keep the original code's quirks (see the builders). Default false. */
  faithful?: boolean;
  /**
   * Seed of the weight initializers. Default 0: the same seed builds the same weights on the
   * same backend.
   */
  seed?: number;
  /**
   * How the weights start. `'keras'` (default, as the original Keras code): Glorot-uniform
   * kernels, zero biases. `'pytorch'`: PyTorch's defaults for `nn.Conv2d` / `nn.Linear`, kernels
   * and biases uniform in +-1/sqrt(fan in) (`kaiming_uniform_(a=sqrt(5))`), for comparisons
   * with a PyTorch run of the same model. Batch normalization starts at scale 1, offset 0 in both.
   */
  initializer?: WeightInitializer;
}

/** The weight initializations of {@link BuildOptions.initializer}. */
export type WeightInitializer = 'keras' | 'pytorch';

/** Checked options plus helpers for the builders. */
export interface ResolvedBuild {
  arch: ArchitectureName;
  inputShape: [number, number, number];
  numClasses: number;
  faithful: boolean;
  /** Scaled, rounded unit count (>= 1). */
  width(units: number): number;
  /** A fresh seeded Glorot-uniform initializer for the next layer's kernel. */
  kernel(): ReturnType<typeof tfl.initializers.glorotUniform>;
  /** Applies `initializer` to the built model (nothing to do for `'keras'`) and returns it. */
  finish<M extends tfl.LayersModel>(model: M): M;
}

/**
 * Re-initializes every layer with a kernel and a bias (convolutions, dense layers) as PyTorch
 * does: both uniform in +-1/sqrt(fan in), fan in = kernel height x width x input channels (or
 * input units), drawn from `random`.
 */
function initializeLikePytorch(model: tfl.LayersModel, random: Random): void {
  for (const layer of model.layers) {
    const weights = layer.getWeights(); // the variables' own tensors: read, never disposed
    if (weights.length !== 2 || weights[0].rank < 2 || weights[1].rank !== 1) continue;
    const [kernel, bias] = weights;
    const fanIn = kernel.size / kernel.shape[kernel.rank - 1];
    const bound = 1 / Math.sqrt(fanIn);
    const draw = (n: number): Float32Array => Float32Array.from({ length: n }, () => random.uniform(-bound, bound));
    const fresh = [tfc.tensor(draw(kernel.size), kernel.shape), tfc.tensor(draw(bias.size), bias.shape)];
    layer.setWeights(fresh);
    tfc.dispose(fresh);
  }
}

export function resolveBuild(
  fn: string,
  arch: unknown,
  options: BuildOptions,
  defaults: { inputShape: [number, number, number]; numClasses: number },
): ResolvedBuild {
  const name = checkOneOf('arch', arch, architectureNames);
  const shape = options.inputShape ?? defaults.inputShape;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new RangeError(
      `${fn}: inputShape must be [height, width, channels] of positive integers, got ${Array.isArray(shape) ? `[${shape.join(', ')}]` : describe(shape)}`,
    );
  }
  const numClasses = checkInteger('numClasses', options.numClasses ?? defaults.numClasses, 2, Number.MAX_SAFE_INTEGER);
  const multiplier = options.widthMultiplier ?? 1;
  if (typeof multiplier !== 'number' || !Number.isFinite(multiplier) || multiplier <= 0) {
    throw new RangeError(`widthMultiplier must be a finite number > 0, got ${describe(multiplier)}`);
  }
  const seed = checkNumber('seed', options.seed ?? 0);
  const initializer = checkOneOf('initializer', options.initializer ?? 'keras', ['keras', 'pytorch'] as const);
  const random: Random = createRandom(seed);
  return {
    arch: name,
    inputShape: [shape[0], shape[1], shape[2]],
    numClasses,
    faithful: options.faithful === true,
    width: (units) => Math.max(1, Math.round(units * multiplier)),
    kernel: () => tfl.initializers.glorotUniform({ seed: random.int(2 ** 31) }),
    finish: (model) => {
      if (initializer === 'pytorch') initializeLikePytorch(model, createRandom(random.int(2 ** 31)));
      return model;
    },
  };
}
