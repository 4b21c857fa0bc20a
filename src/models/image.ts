/**
 * The paper's six CIFAR-10 classifiers (A-F), as uncompiled tfjs-layers `Sequential` models.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { ArchitectureName } from './architectures.js';
import { resolveBuild, type BuildOptions, type ResolvedBuild } from './build-options.js';
import { dropoutLayer } from './dropout.js';

/** Options of {@link buildImageModel}. */
export interface ImageModelOptions extends BuildOptions {
  /** Default [32, 32, 3] (CIFAR-10). Any positive size works ('same' padding throughout). */
  inputShape?: [number, number, number];
  /** Default 10. */
  numClasses?: number;
}

/** Dense layers after Flatten, per architecture (null: all-convolutional head). */
const imageHeads: Record<ArchitectureName, { groups: number; dense: number[] | null }> = {
  A: { groups: 1, dense: null },
  B: { groups: 1, dense: [64, 256] },
  C: { groups: 2, dense: null },
  D: { groups: 2, dense: [128, 256] },
  E: { groups: 1, dense: [128, 256] },
  F: { groups: 1, dense: [128, 256, 256] },
};

function conv(
  b: ResolvedBuild,
  filters: number,
  kernelSize: number,
  extra: { strides?: number; padding?: 'same' | 'valid'; inputShape?: number[]; fixed?: boolean } = {},
): tfl.layers.Layer {
  return tfl.layers.conv2d({
    filters: extra.fixed ? filters : b.width(filters),
    kernelSize,
    strides: extra.strides ?? 1,
    padding: extra.padding ?? 'same',
    kernelInitializer: b.kernel(),
    ...(extra.inputShape ? { inputShape: extra.inputShape } : {}),
  });
}

/**
 * Builds image architecture `arch` (see `imageArchitectures`) as in the original Keras code:
 * stem [conv 32 3x3 + ReLU, conv 64 3x3 + ReLU, conv 128 3x3 stride 2, dropout 0.5], then one or
 * two groups [conv 128 3x3 + ReLU, conv 128 3x3 + ReLU, conv 128 3x3 stride 2, dropout 0.5]
 * (all 'same' padding), then either conv 128 3x3 + ReLU, conv 128 1x1 + ReLU, conv N 1x1,
 * global average pooling (A, C), or flatten and dense layers each + ReLU + dropout 0.5, then
 * dense N (B, D, E, F), and a softmax.
 *
 * `faithful: true` keeps the original's ReLU on the last dense layer (B, D, E, F): it clips the
 * logits at 0 before the softmax, so a class can never score below the others' floor and a
 * dead unit can never recover; the default (`false`) leaves that layer linear. Parameter counts
 * are identical either way. The returned model is not compiled.
 *
 * @throws RangeError for an unknown `arch`, `numClasses` < 2 or non-integer, `widthMultiplier`
 * <= 0, or an `inputShape` that is not three positive integers.
 * @example
 * const model = buildImageModel('A');
 * model.countParams(); // 701386
 * const tiny = buildImageModel('A', { inputShape: [28, 28, 1], widthMultiplier: 0.25 });
 */
export function buildImageModel(arch: ArchitectureName, options: ImageModelOptions = {}): tfl.Sequential {
  const b = resolveBuild('buildImageModel', arch, options, { inputShape: [32, 32, 3], numClasses: 10 });
  const head = imageHeads[b.arch];
  const model = tfl.sequential();
  const relu = (): tfl.layers.Layer => tfl.layers.activation({ activation: 'relu' });
  const dropout = (): tfl.layers.Layer => dropoutLayer({ rate: 0.5 });

  model.add(conv(b, 32, 3, { inputShape: b.inputShape }));
  model.add(relu());
  model.add(conv(b, 64, 3));
  model.add(relu());
  model.add(conv(b, 128, 3, { strides: 2 }));
  model.add(dropout());
  for (let g = 0; g < head.groups; g++) {
    model.add(conv(b, 128, 3));
    model.add(relu());
    model.add(conv(b, 128, 3));
    model.add(relu());
    model.add(conv(b, 128, 3, { strides: 2 }));
    model.add(dropout());
  }
  if (head.dense === null) {
    model.add(conv(b, 128, 3));
    model.add(relu());
    model.add(conv(b, 128, 1, { padding: 'valid' }));
    model.add(relu());
    model.add(conv(b, b.numClasses, 1, { padding: 'valid', fixed: true }));
    model.add(tfl.layers.globalAveragePooling2d({}));
  } else {
    model.add(tfl.layers.flatten());
    for (const units of head.dense) {
      model.add(tfl.layers.dense({ units: b.width(units), kernelInitializer: b.kernel() }));
      model.add(relu());
      model.add(dropout());
    }
    model.add(tfl.layers.dense({ units: b.numClasses, kernelInitializer: b.kernel() }));
    if (b.faithful) model.add(relu());
  }
  model.add(tfl.layers.activation({ activation: 'softmax' }));
  return b.finish(model);
}
