// Public exports of src/data/ (one line per module).
export {};
export * from './synthetic-audio.js';
export * from './split.js';
