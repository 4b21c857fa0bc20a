// Public exports of src/audio/ (one line per module).
export {};
export * from './effects.js';
export * from './pluck.js';
export * from './wav.js';
