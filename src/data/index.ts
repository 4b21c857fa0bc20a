// Public exports of src/data/ (one line per module).
export * from './synthetic-audio.js';
export * from './split.js';
export * from './tensors.js';
export * from './synthetic-images.js';
