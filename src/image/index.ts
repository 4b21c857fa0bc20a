// Public exports of src/image/ (one line per module).
export * from './image.js';
