/**
 * A corrected gradient for `FusedBatchNorm` (every backend): tfjs-core 4.22's gradient reduces
 * the mean/variance/scale/offset derivatives only when `mean` is rank 1 (normalization over the
 * last axis). tfjs-layers' `BatchNormalization` over any other axis (the audio models normalize
 * over axis 1, the frequency axis, as the original) passes a broadcast-shaped mean such as
 * [1, 94, 1, 1], and the unreduced derivative then fails to reshape ("Size(...) must match the
 * product of shape 1,94,1,1") on cpu and wasm alike. This version sums over the broadcast axes.
 */
import { add, backend_util, FusedBatchNorm, getGradient, mul, registerGradient, reshape, rsqrt, scalar, sub, sum } from '@tensorflow/tfjs-core';
import type { FusedBatchNormAttrs, GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';

/** Sums `t` down to `shape` (a broadcast-compatible shape of the same rank, or rank 1). */
function reduceTo(t: Tensor, shape: number[], xShape: number[]): Tensor {
  const target = shape.length === 1 ? [...xShape.slice(0, -1).map(() => 1), shape[0]] : shape;
  const axes = backend_util.getReductionAxes(target, t.shape);
  const reduced = axes.length > 0 ? sum(t, axes, true) : t;
  return reshape(reduced, shape);
}

/** Gradient config for `FusedBatchNorm`, correct for broadcast (rank > 1) statistics. */
export const fusedBatchNormGradConfig: GradConfig = {
  kernelName: FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const g = dy as Tensor;
    const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
    const [x, mean, variance, scale] = saved;
    const scaleValue = scale == null ? scalar(1) : scale;
    // Statistics as broadcastable against x (rank-1 stats apply to the last axis).
    const asBroadcast = (t: Tensor): Tensor =>
      t.rank === 1 && x.rank > 1 ? reshape(t, [...x.shape.slice(0, -1).map(() => 1), t.shape[0]]) : t;
    const meanB = asBroadcast(mean);
    const rstd = rsqrt(add(asBroadcast(variance), scalar(varianceEpsilon)));
    const scaleB = asBroadcast(scaleValue);
    const xMinusMean = sub(x, meanB);
    const dyTimesScale = mul(g, scaleB);
    const minusHalfRCube = mul(mul(mul(rstd, rstd), rstd), scalar(-0.5));
    return {
      x: () => reshape(mul(mul(g, rstd), scaleB), x.shape),
      mean: () => reduceTo(mul(mul(rstd, scalar(-1)), dyTimesScale), mean.shape, x.shape),
      variance: () => reduceTo(mul(mul(minusHalfRCube, xMinusMean), dyTimesScale), variance.shape, x.shape),
      scale: () => reduceTo(mul(g, mul(xMinusMean, rstd)), scale == null ? mean.shape : scale.shape, x.shape),
      offset: () => reduceTo(g, mean.shape, x.shape),
    };
  },
};

/**
 * Registers {@link fusedBatchNormGradConfig} (idempotent), fixing the training of batch
 * normalization over a non-last axis on every backend. Call it after tfjs's own gradients are
 * registered (importing `@tensorflow/tfjs-layers` or `@tensorflow/tfjs` does that), which would
 * otherwise put the original back; calling again re-installs the fix.
 *
 * @example
 * ```ts
 * import { registerBatchNormGradientFix } from 'helmholtz-ml';
 * registerBatchNormGradientFix();
 * ```
 */
export function registerBatchNormGradientFix(): void {
  if (getGradient(FusedBatchNorm) === fusedBatchNormGradConfig) return;
  registerGradient(fusedBatchNormGradConfig);
}
