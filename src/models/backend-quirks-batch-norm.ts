/**
 * A corrected forward `FusedBatchNorm` for tfjs's `cpu` and `wasm` backends. Both 4.22 kernels
 * walk the statistics (mean, variance, scale, offset) cyclically along the flattened input, which
 * is right only when they vary along the last axis. tfjs-layers' `BatchNormalization` over any
 * other axis (the audio models normalize over axis 1, the frequency axis) passes them shaped
 * [1, H, 1, 1]: those kernels then normalize each element with the wrong band's statistics
 * (webgl and webgpu broadcast correctly). The fix tiles such statistics to the input's shape with
 * the backend's own `Tile` kernel and hands them to the backend's kernel, which is then exact.
 *
 * Browser-safe: imports only `@tensorflow/tfjs-core`.
 */
import { FusedBatchNorm, getKernel, registerKernel, Tile, unregisterKernel } from '@tensorflow/tfjs-core';
import type { DataId, KernelConfig, KernelFunc, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

/** The backends whose `FusedBatchNorm` walks the statistics cyclically (tfjs 4.22). */
export const CYCLIC_BATCH_NORM_BACKENDS: readonly string[] = ['cpu', 'wasm'];

const STATISTICS = ['mean', 'variance', 'scale', 'offset'] as const;

/** The wrapped kernels, so that wrapping again is a no-op. */
const wrappers = new WeakSet<KernelFunc>();

/** Whether `stat` (broadcast against `xShape`) varies along some axis other than the last. */
function needsTiling(stat: TensorInfo, xShape: number[]): boolean {
  if (stat.shape.length !== xShape.length) return false;
  return stat.shape.some((d, i) => i < xShape.length - 1 && d !== 1);
}

/** `original` with statistics that vary along another axis than the last tiled to the input's shape first. */
function wrap(backendName: string, original: KernelFunc): KernelFunc {
  const kernel: KernelFunc = (args) => {
    const inputs = args.inputs as NamedTensorInfoMap;
    const x = inputs.x as TensorInfo;
    if (!STATISTICS.some((name) => inputs[name] != null && needsTiling(inputs[name], x.shape))) return original(args);
    const tile = getKernel(Tile, backendName);
    if (tile == null) return original(args);
    const made: TensorInfo[] = [];
    const tiled: NamedTensorInfoMap = { x };
    for (const name of STATISTICS) {
      const stat = inputs[name];
      if (stat == null) continue;
      if (stat.shape.length !== x.shape.length || stat.shape.every((d, i) => d === x.shape[i])) {
        tiled[name] = stat;
        continue;
      }
      const reps = x.shape.map((d, i) => (stat.shape[i] === 1 ? d : 1));
      const out = tile.kernelFunc({ inputs: { x: stat }, attrs: { reps }, backend: args.backend });
      const info = Array.isArray(out) ? out[0] : out;
      made.push(info);
      tiled[name] = info;
    }
    try {
      return original({ ...args, inputs: tiled });
    } finally {
      const backend = args.backend as { disposeData(dataId: DataId): unknown };
      for (const info of made) backend.disposeData(info.dataId);
    }
  };
  wrappers.add(kernel);
  return kernel;
}

/**
 * Installs the corrected `FusedBatchNorm` for `backendName` when it is one of
 * {@link CYCLIC_BATCH_NORM_BACKENDS} and its kernel is registered; idempotent, and again after
 * the backend's package re-registered its own kernel. Returns whether the fix is in place.
 *
 * @example
 * registerBatchNormForwardFix('cpu'); // true once @tensorflow/tfjs-backend-cpu is imported
 */
export function registerBatchNormForwardFix(backendName: string): boolean {
  if (!CYCLIC_BATCH_NORM_BACKENDS.includes(backendName)) return false;
  const current = getKernel(FusedBatchNorm, backendName);
  if (current == null) return false;
  if (wrappers.has(current.kernelFunc)) return true;
  const config: KernelConfig = { ...current, kernelFunc: wrap(backendName, current.kernelFunc) };
  unregisterKernel(FusedBatchNorm, backendName);
  registerKernel(config);
  return true;
}
