/**
 * `BatchMatMul` for the wasm backend, fast for the transposed products of dense-layer gradients
 * (dx = dy W^T, dW = x^T dy). tfjs-backend-wasm 4.22 sends any product with a transposed operand
 * (or a batch above 1) to a scalar loop and only the plain product of two single matrices to
 * XNNPACK. Here a transposed operand of a single product is transposed first (a copy of one
 * operand) and the plain product then runs on XNNPACK through the backend's `_FusedMatMul`;
 * batched products go to the backend's own kernel unchanged.
 */
import { BatchMatMul, util } from '@tensorflow/tfjs-core';
import type { BatchMatMulAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend, OriginalKernel, WASM, withScope } from './wasm-calls.js';

/** The wasm backend's own BatchMatMul, for batched products. */
export const originalBatchMatMul = new OriginalKernel(BatchMatMul);

const kernelFunc = (({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend, BatchMatMul);
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  if (batchA !== 1 || batchB !== 1 || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) {
    return originalBatchMatMul.run(backend as object, inputs, attrs as never);
  }
  const [ra, ca] = a.shape.slice(-2);
  const [rb, cb] = b.shape.slice(-2);
  const m = transposeA ? ca : ra;
  const kA = transposeA ? ra : ca;
  const kB = transposeB ? cb : rb;
  const n = transposeB ? rb : cb;
  if (kA !== kB) {
    throw new Error(`Error in matMul: inner shapes (${kA}) and (${kB}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
  }
  const outShape = [...(a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2), m, n];
  return withScope(wasm, (scope) => {
    const a3 = transposeA
      ? scope.call('Transpose', { x: { dataId: a.dataId, shape: [ra, ca], dtype: a.dtype } }, { perm: [1, 0] })
      : { dataId: a.dataId, shape: [ra, ca], dtype: a.dtype };
    const b3 = transposeB
      ? scope.call('Transpose', { x: { dataId: b.dataId, shape: [rb, cb], dtype: b.dtype } }, { perm: [1, 0] })
      : { dataId: b.dataId, shape: [rb, cb], dtype: b.dtype };
    const out = scope.call(
      '_FusedMatMul',
      { a: { ...a3, shape: [1, m, kA] }, b: { ...b3, shape: [1, kA, n] } },
      { transposeA: false, transposeB: false, activation: 'linear', leakyreluAlpha: 0 } as never,
    );
    scope.keep(out);
    return { ...out, shape: outShape };
  });
}) as KernelFunc;

/** Kernel config: `BatchMatMul` on 'wasm' (single products on XNNPACK, batches to the original). */
export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: WASM,
  kernelFunc,
};
