/**
 * helmholtz-ml/node: Node-only helpers (file loaders, worker pools, backend selection).
 * One line per module, by name (the worker pool and its tasks are internal).
 */
export { loadWavFolder, loadWavFolderDataset, type LabeledSignals, type WavFolderOptions, type WavFolderSet } from './loaders/wav-folder.js';
export { listClassFolders, listClassFiles } from './loaders/class-folders.js';
export { mp3RoundTripBatchParallel, type Mp3PoolOptions } from './mp3-pool.js';
export { splitTrainTest, subsetImages, type NamedImageDataset, type SplitOptions } from './loaders/dataset.js';
export { loadCifar10, parseCifar10Batch, CIFAR10_RECORD_BYTES, CIFAR10_CLASS_NAMES, type Cifar10Options } from './loaders/cifar10.js';
export { loadIdx, loadIdxDataset, readIdxFile, parseIdx, type IdxArray } from './loaders/idx.js';
export { loadImageFolder, loadImageFolderDataset, decodeImageFile, resizeImage, type ImageFit, type ImageFolderOptions, type ImageFolderSet, type ImageFolderDatasetOptions } from './loaders/image-folder.js';
export { openResultsFile, readResultsFile, sweepSettings, writeFileAtomic, dataFingerprint, RESULTS_FORMAT, RESULTS_VERSION, type JsonValue, type SweepSettings, type ResultsFileContent, type ResultsFile, type OpenResultsFileOptions, type SweepSettingsInput } from './results-file.js';
export { noisePlotSpec, renderNoisePlotSvg, type NoisePlotOptions, type NoisePlotRow } from './plot.js';
export { JPEG_POOL_MIN_PIXELS, jpegRoundTripBatchParallel, type JpegPoolOptions } from './jpeg-pool.js';
export { backendThreads, useBackend, type BackendPreference, type UseBackendOptions } from './backend.js';
export { estimateNoise, resultsSettings, type NodeEstimateNoiseOptions } from './estimate.js';
export { type SweepRunner, type OpenedSweepRunner, type SweepIdentity } from './estimate.js';
export { createQueueRunner, MissingCellsError, type QueueRunnerOptions } from './queue/runner.js';
export { startQueueWorker, type QueueWorker, type QueueWorkerOptions } from './queue/worker.js';
export { parseRedisUrl, type RedisConnection } from './queue/connection.js';
export { cellJobId, DEFAULT_QUEUE, type DataReference, type DataLoaderModule, type CellJobData, type CellJobProgress } from './queue/types.js';
