/**
 * The paper's six audio-effect classifiers (A-F) on mel spectrograms, as uncompiled
 * tfjs-layers `Sequential` models.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { ArchitectureName } from './architectures.js';
import { resolveBuild, type BuildOptions } from './build-options.js';
import { registerBackendQuirks } from './backend-quirks.js';
import { dropoutLayer } from './dropout.js';

/** Options of {@link buildAudioModel}. */
export interface AudioModelOptions extends BuildOptions {
  /** Default [96, 173, 1] (96 mels x 173 frames). */
  inputShape?: [number, number, number];
  /** Default 12. */
  numClasses?: number;
}

const audioHeads: Record<ArchitectureName, { loops: number; dense: number[] }> = {
  A: { loops: 3, dense: [] },
  B: { loops: 4, dense: [128] },
  C: { loops: 3, dense: [64, 128] },
  D: { loops: 3, dense: [128] },
  E: { loops: 3, dense: [128, 128] },
  F: { loops: 2, dense: [128] },
};

/** Smallest height/width that survives the stem and `loops` conv loops (each: conv 3x3 valid, pool 2). */
function minimumSide(loops: number): number {
  let side = 1;
  for (let i = 0; i < loops; i++) side = 2 * side + 2;
  return side + 2;
}

/** Spatial size after the stem and `loops` conv loops, or a non-positive number if it vanishes. */
function sideAfter(side: number, loops: number): number {
  let s = side - 2;
  for (let i = 0; i < loops && s >= 1; i++) s = Math.floor((s - 2) / 2);
  return s;
}

/**
 * Builds audio architecture `arch` (see `audioArchitectures`): a stem [conv 32 3x3 valid,
 * batch normalization over axis 1 (the frequency axis, as the original), ReLU], then n conv
 * loops [conv 32 3x3 valid, ELU, max pool 2x2, dropout 0.5], flatten, dense loops [dense u,
 * ELU, dropout 0.6], dense N and a softmax. `faithful` is accepted for symmetry with
 * {@link buildImageModel}; the audio original has no quirk to keep, so it changes nothing.
 * The returned model is not compiled. Building one registers `registerBatchNormGradientFix`
 * (tfjs-core 4.22 cannot differentiate batch normalization over a non-last axis).
 *
 * @throws RangeError for an unknown `arch`, a bad `numClasses` or `widthMultiplier`, or an
 * `inputShape` too small for the valid convolutions and poolings (minimum 24x24 for 3 loops).
 * @example
 * buildAudioModel('A').countParams(); // 101412
 * buildAudioModel('F', { inputShape: [64, 87, 1], numClasses: 5 });
 */
export function buildAudioModel(arch: ArchitectureName, options: AudioModelOptions = {}): tfl.Sequential {
  const b = resolveBuild('buildAudioModel', arch, options, { inputShape: [96, 173, 1], numClasses: 12 });
  const head = audioHeads[b.arch];
  const [height, width] = b.inputShape;
  if (sideAfter(height, head.loops) < 1 || sideAfter(width, head.loops) < 1) {
    const min = minimumSide(head.loops);
    throw new RangeError(
      `buildAudioModel: inputShape [${b.inputShape.join(', ')}] is too small for architecture ${b.arch} ` +
        `(${head.loops} valid conv + pool loops): height and width must be at least ${min}`,
    );
  }
  // tfjs 4.22's batch norm over a non-last axis: gradient (every backend) and cpu/wasm forward pass wrong; install the fixes.
  registerBackendQuirks();
  const model = tfl.sequential();
  const filters = b.width(32);
  model.add(tfl.layers.conv2d({ filters, kernelSize: 3, padding: 'valid', kernelInitializer: b.kernel(), inputShape: b.inputShape }));
  model.add(tfl.layers.batchNormalization({ axis: 1 }));
  model.add(tfl.layers.activation({ activation: 'relu' }));
  for (let i = 0; i < head.loops; i++) {
    model.add(tfl.layers.conv2d({ filters, kernelSize: 3, padding: 'valid', kernelInitializer: b.kernel() }));
    model.add(tfl.layers.activation({ activation: 'elu' }));
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    model.add(dropoutLayer({ rate: 0.5 }));
  }
  model.add(tfl.layers.flatten());
  for (const units of head.dense) {
    model.add(tfl.layers.dense({ units: b.width(units), kernelInitializer: b.kernel() }));
    model.add(tfl.layers.activation({ activation: 'elu' }));
    model.add(dropoutLayer({ rate: 0.6 }));
  }
  model.add(tfl.layers.dense({ units: b.numClasses, kernelInitializer: b.kernel() }));
  model.add(tfl.layers.activation({ activation: 'softmax' }));
  return b.finish(model);
}
