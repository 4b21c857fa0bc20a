/**
 * Calling the `wasm` backend's own kernels from inside a kernel, with the intermediates freed.
 *
 * The gradient kernels of this folder are built from the wasm backend's fast kernels (XNNPACK
 * convolutions and matrix products, its transposes and pads). They call those kernels directly
 * through the kernel registry, with the backend they were handed, so that nothing passes through
 * the engine: no tape, no tensor bookkeeping; every intermediate `TensorInfo` they create is
 * disposed here before the kernel returns. Only `@tensorflow/tfjs-core` is imported.
 */
import { backend_util, getKernel } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, DataId, KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

/** The backend name the kernels of this folder are registered for. */
export const WASM = 'wasm';

/** The part of tfjs-backend-wasm's `BackendWasm` these kernels use (checked at run time). */
export interface WasmBackendLike {
  disposeData(dataId: DataId, force?: boolean): boolean;
  makeOutput(shape: number[], dtype: 'float32' | 'int32' | 'bool', memoryOffset?: number, values?: Float32Array): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * Checks that `backend` is the wasm backend (it has the methods used here) and narrows it.
 *
 * @example
 * const wasm = asWasmBackend(backend, 'Conv2DBackpropFilter');
 */
export function asWasmBackend(backend: unknown, kernelName: string): WasmBackendLike {
  const b = backend as Partial<WasmBackendLike> | null;
  if (b == null || typeof b.makeOutput !== 'function' || typeof b.typedArrayFromHeap !== 'function' || typeof b.disposeData !== 'function') {
    throw new Error(`${kernelName}: the helmholtz-ml training kernels need the tfjs wasm backend (makeOutput/typedArrayFromHeap missing)`);
  }
  return b as WasmBackendLike;
}

/**
 * A scope of intermediate results: `call` runs a registered wasm kernel and remembers its output,
 * `keep` hands one result out of the scope, `dispose` frees every other one.
 */
export class WasmScope {
  private readonly made: TensorInfo[] = [];
  constructor(readonly backend: WasmBackendLike) {}

  /** Runs the wasm kernel `name` (as registered when called) on `inputs` with `attrs`. */
  call(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = getKernel(name, WASM);
    if (kernel == null) throw new Error(`helmholtz-ml wasm training kernels: the wasm kernel '${name}' is not registered`);
    const out = kernel.kernelFunc({ inputs, attrs, backend: this.backend as unknown as object });
    const info = Array.isArray(out) ? out[0] : out;
    this.made.push(info);
    return info;
  }

  /** Runs a kernel function this folder keeps (e.g. an original the registry no longer holds). */
  callFunc(
    func: (params: { inputs: NamedTensorInfoMap; attrs: NamedAttrMap; backend: object }) => TensorInfo | TensorInfo[],
    inputs: NamedTensorInfoMap,
    attrs: NamedAttrMap = {},
  ): TensorInfo {
    const out = func({ inputs, attrs, backend: this.backend as unknown as object });
    const info = Array.isArray(out) ? out[0] : out;
    this.made.push(info);
    return info;
  }

  /** A new float32 tensor holding `values` (copied onto the wasm heap), freed with the scope. */
  fromValues(shape: number[], values: Float32Array): TensorInfo {
    const info = this.backend.makeOutput(shape, 'float32', undefined, values);
    this.made.push(info);
    return info;
  }

  /** A new, uninitialised float32 tensor, freed with the scope unless kept. */
  empty(shape: number[]): TensorInfo {
    const info = this.backend.makeOutput(shape, 'float32');
    this.made.push(info);
    return info;
  }

  /** The float32 values of `info`, as a view on the wasm heap (valid until the heap grows). */
  view(info: TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(info) as Float32Array;
  }

  /** Takes `info` out of the scope so that `dispose` leaves it alone; returns it. */
  keep(info: TensorInfo): TensorInfo {
    const i = this.made.indexOf(info);
    if (i >= 0) this.made.splice(i, 1);
    return info;
  }

  /** Takes ownership of `info` (made elsewhere): `dispose` will free it unless kept. */
  adopt(info: TensorInfo): TensorInfo {
    this.made.push(info);
    return info;
  }

  /** Frees every intermediate not kept. */
  dispose(): void {
    for (const info of this.made) this.backend.disposeData(info.dataId);
    this.made.length = 0;
  }
}

/**
 * Runs `body` in a fresh scope and returns what it returns, kept; frees everything else.
 *
 * @example
 * const y = withScope(wasm, (scope) => scope.call('Transpose', { x }, { perm: [1, 0] }));
 */
export function withScope(backend: WasmBackendLike, body: (scope: WasmScope) => TensorInfo): TensorInfo {
  const scope = new WasmScope(backend);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}

/**
 * A kernel config for `'wasm'` whose function runs `compute` in a fresh {@link WasmScope} (its
 * result kept, every other intermediate freed).
 *
 * @example
 * export const transposeTwiceConfig = scopedKernel('MyKernel', (scope, { x }) => scope.call('Transpose', { x }, { perm: [1, 0] }));
 */
export function scopedKernel<Attrs>(kernelName: string, compute: (scope: WasmScope, inputs: Record<string, TensorInfo>, attrs: Attrs) => TensorInfo): KernelConfig {
  const kernelFunc = (({ inputs, backend, attrs }) =>
    withScope(asWasmBackend(backend, kernelName), (scope) => compute(scope, inputs as Record<string, TensorInfo>, attrs as unknown as Attrs))) as KernelFunc;
  return { kernelName, backendName: WASM, kernelFunc };
}

/**
 * The channels-last geometry of a 2-D convolution whose input has `inputShape` in
 * `attrs.dataFormat` (NHWC by default, or NCHW), as both convolution gradients need it.
 *
 * @example
 * const info = channelsLastConvInfo([8, 32, 32, 3], [3, 3, 3, 16], { strides: 1, pad: 'same' });
 * info.outHeight; // 32
 */
export function channelsLastConvInfo(
  inputShape: readonly number[],
  filterShape: readonly number[],
  attrs: Pick<Conv2DBackpropFilterAttrs, 'strides' | 'pad' | 'dimRoundingMode'> & { dataFormat?: 'NHWC' | 'NCHW' },
): backend_util.Conv2DInfo {
  const nhwc = (attrs.dataFormat === 'NCHW' ? permuted(inputShape, [0, 2, 3, 1]) : inputShape) as [number, number, number, number];
  return backend_util.computeConv2DInfo(nhwc, filterShape as [number, number, number, number], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
}

/**
 * Shape of `x` after `perm`.
 *
 * @example
 * permuted([2, 3, 4, 5], [0, 2, 3, 1]); // [2, 4, 5, 3]
 */
export function permuted(shape: readonly number[], perm: readonly number[]): number[] {
  return perm.map((p) => shape[p]);
}

type KernelFuncLike = (params: { inputs: NamedTensorInfoMap; attrs: NamedAttrMap; backend: object }) => TensorInfo | TensorInfo[];

/**
 * The wasm backend's own kernel `name`, kept for the cases a replacement kernel leaves to it.
 * Captures it (at the first call, before it is replaced) with its setup function, which the
 * engine runs only for kernels registered when the backend starts: `run` runs it once per
 * backend instance before the first use.
 */
export class OriginalKernel {
  private func: KernelFuncLike | null = null;
  private setup: ((backend: object) => void) | null = null;
  private readonly ready = new WeakSet<object>();
  constructor(readonly name: string) {}

  /** Remembers the kernel registered now unless it is `replacement` (or one is remembered). */
  capture(replacement: unknown): void {
    if (this.func !== null) return;
    const k = getKernel(this.name, WASM);
    if (k == null || k.kernelFunc === replacement) return;
    this.func = k.kernelFunc as unknown as KernelFuncLike;
    this.setup = (k.setupFunc as unknown as ((backend: object) => void) | undefined) ?? null;
  }

  /** Whether an original was captured. */
  get available(): boolean {
    return this.func !== null;
  }

  /** Runs the original on `inputs`/`attrs` with `backend`. */
  run(backend: object, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo | TensorInfo[] {
    if (this.func === null) throw new Error(`helmholtz-ml wasm training kernels: no original wasm '${this.name}' kernel to fall back to`);
    if (this.setup !== null && !this.ready.has(backend)) {
      this.setup(backend);
      this.ready.add(backend);
    }
    return this.func({ inputs, attrs, backend });
  }
}
