// Public exports of src/models/ (one line per module).
export {};
export { registerWasmTrainingKernels } from './wasm-training/index.js';
