/**
 * helmholtz-ml/node: Node-only helpers (file loaders, worker pools, backend selection).
 * One line per module.
 */
export * from './loaders/wav-folder.js';
export * from './loaders/class-folders.js';
export { mp3RoundTripBatchParallel, type Mp3PoolOptions } from './mp3-pool.js';
export * from './loaders/dataset.js';
export * from './loaders/cifar10.js';
export * from './loaders/idx.js';
export * from './loaders/image-folder.js';
export * from './results-file.js';
export * from './plot.js';
export * from './parallel.js';
export { JPEG_POOL_MIN_PIXELS, jpegRoundTripBatchParallel, type JpegPoolOptions } from './jpeg-pool.js';
export { backendThreads, useBackend, type BackendPreference, type UseBackendOptions } from './backend.js';
export { estimateNoise, type NodeEstimateNoiseOptions } from './estimate.js';
