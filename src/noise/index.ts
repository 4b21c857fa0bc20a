// Public exports of src/noise/ (one line per module).
export * from './types.js';
export * from './kneedle.js';
export * from './theory.js';
export * from './knee.js';
export * from './levels.js';
export * from './recommend.js';
export * from './audio-sweep.js';
export * from './estimate.js';
