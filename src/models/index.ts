// Public exports of src/models/ (one line per module).
export {};
export { registerWasmTrainingKernels, registerBatchNormGradientFix } from './wasm-training/index.js';
