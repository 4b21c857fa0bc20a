// Public exports of src/noise/ (one line per module).
export {};
export * from './types.js';
export * from './kneedle.js';
