/**
 * `Identity` for the wasm backend without a copy. tfjs-core clones every tensor a gradient saves
 * through `Identity` (a small step of model A saves ~70), and tfjs-backend-wasm 4.22 copies the
 * data each time; the cpu and webgl backends share it instead, counting references, as the wasm
 * backend's own `Reshape` does. Tensors are immutable (a variable's `assign` takes a new data
 * id), so sharing gives the same values. Strings go to the backend's own kernel.
 */
import { Identity } from '@tensorflow/tfjs-core';
import type { DataId, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { OriginalKernel, WASM } from './wasm-calls.js';

/** The wasm backend's own Identity, for strings. */
export const originalIdentity = new OriginalKernel(Identity);

interface RefCounting {
  incRef(dataId: DataId): void;
}

const kernelFunc = (({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: TensorInfo };
  const b = backend as Partial<RefCounting>;
  if (x.dtype === 'string' || typeof b.incRef !== 'function') return originalIdentity.run(backend as object, inputs, attrs ?? {});
  b.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}) as KernelFunc;

/** Kernel config: `Identity` on 'wasm' (shares the data; strings to the original). */
export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: WASM,
  kernelFunc,
};
