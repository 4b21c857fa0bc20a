/**
 * JPEG round trips of a whole batch on worker threads (Node only), for sweeps over large data
 * sets: CIFAR-10's 60,000 32x32 images at one quality take seconds.
 *
 * The batch is shared, not copied: the input and output pixels lie on SharedArrayBuffers that
 * every worker reads and writes directly; jobs are ranges of image indices.
 *
 * Locating the worker code: the pool of `parallel.ts` starts each worker on the module file that
 * registered the task, i.e. this file. Under tsx or vitest that is `src/node/jpeg-pool.ts` (the
 * worker registers tsx's loader first); from the package it is the tsup bundle this code was
 * built into (`dist/node/index.js`, or `dist/node/index.cjs` through `__filename`).
 */
import { availableParallelism } from 'node:os';
import type { ImageBatch } from '../image/image.js';
import { assertImageBatch, checkRoundTripOptions, jpegRoundTripRange, roundTripOptionsOf, type JpegRoundTripOptions } from '../image/roundtrip.js';
import { checkInteger, describe } from '../util/checks.js';
import { createWorkerPool, registerWorkerTask } from './parallel.js';

/** Options of {@link jpegRoundTripBatchParallel}. */
export interface JpegPoolOptions extends JpegRoundTripOptions {
  /**
   * Worker threads to start (at most one per 64 images); 1 runs in this thread, starting none.
   * Default `'auto'`: one per core (`os.availableParallelism()`) when the batch holds more than
   * {@link JPEG_POOL_MIN_PIXELS} pixels per worker, fewer (down to 1) for smaller batches, which
   * the WebAssembly kernel finishes faster than threads start.
   */
  workers?: number | 'auto';
}

/**
 * Pixels of work per worker below which `workers: 'auto'` starts fewer workers: about 0.4 s for
 * the round-trip kernel on one core, several times a worker's start-up.
 */
export const JPEG_POOL_MIN_PIXELS = 64 * 1024 * 1024;

const TASK = 'helmholtz-ml/jpeg-roundtrip';

interface PoolInit {
  input: Uint8Array;
  output: Uint8Array;
  count: number;
  width: number;
  height: number;
  channels: 1 | 3;
  quality: number;
  options: JpegRoundTripOptions;
}

interface PoolJob {
  start: number;
  end: number;
}

registerWorkerTask<PoolInit, PoolJob, number>(TASK, {
  init: (init) => {
    const batch: ImageBatch = { count: init.count, width: init.width, height: init.height, channels: init.channels, data: init.input };
    return async (job) => {
      jpegRoundTripRange(batch, init.quality, init.options, init.output, job.start, job.end);
      return job.end - job.start;
    };
  },
});

/** `options.workers` when it is an integer in 1..1024 (the 'auto' case is the caller's). */
function checkWorkers(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 1024) return value;
  throw new RangeError(`options.workers must be "auto" or an integer in 1..1024, got ${describe(value)}`);
}

function sharedCopy(data: Uint8Array): Uint8Array {
  if (data.buffer instanceof SharedArrayBuffer) return data;
  const shared = new Uint8Array(new SharedArrayBuffer(data.length));
  shared.set(data);
  return shared;
}

/**
 * `jpegRoundTripBatch` on worker threads: every image of the batch compressed at `quality` and
 * decoded again, bit-exact with Pillow (the same pixels as `jpegRoundTrip`), using every core.
 *
 * @param batch images of one size (N x H x W x C); not modified. Its pixels are copied once
 *   into shared memory unless they already lie on a `SharedArrayBuffer`.
 * @param quality integer 1..100.
 * @param options `workers` (default `'auto'`: one per core for large batches, this thread
 *   alone for small ones; see {@link JpegPoolOptions}), `subsampling` (default `'4:2:0'`).
 * @returns a new batch whose `data` lies on a `SharedArrayBuffer`.
 * @throws RangeError/TypeError naming the bad argument (checked before any worker starts).
 *
 * @example
 * import { jpegRoundTripBatchParallel } from 'helmholtz-ml/node';
 * const compressed = await jpegRoundTripBatchParallel(cifar, 25, { workers: 8 });
 */
export async function jpegRoundTripBatchParallel(batch: ImageBatch, quality: number, options: JpegPoolOptions = {}): Promise<ImageBatch> {
  assertImageBatch(batch);
  checkInteger('quality', quality, 1, 100);
  checkRoundTripOptions(options);
  const { count, width, height, channels } = batch;
  const cores = Math.max(1, availableParallelism());
  const requested =
    options.workers === undefined || options.workers === 'auto'
      ? Math.min(cores, Math.max(1, Math.floor((count * width * height) / JPEG_POOL_MIN_PIXELS)))
      : checkWorkers(options.workers);
  const output = new Uint8Array(new SharedArrayBuffer(batch.data.length));
  if (count === 0) return { count, width, height, channels, data: output };
  const workers = Math.min(requested, Math.max(1, Math.ceil(count / 64)));
  const roundTripOptions: JpegRoundTripOptions = roundTripOptionsOf(options);
  if (workers === 1) {
    jpegRoundTripRange(batch, quality, roundTripOptions, output, 0, count);
    return { count, width, height, channels, data: output };
  }
  const input = sharedCopy(batch.data);
  // Several jobs per worker balance uneven progress; each job is at least 64 images.
  const chunk = Math.max(64, Math.ceil(count / (workers * 8)));
  const pool = createWorkerPool<PoolInit, PoolJob, number>({
    task: TASK,
    size: workers,
    entry: (import.meta as { url?: string }).url,
    init: { input, output, count, width, height, channels, quality, options: roundTripOptions },
  });
  try {
    const jobs: Promise<number>[] = [];
    for (let start = 0; start < count; start += chunk) jobs.push(pool.run({ start, end: Math.min(count, start + chunk) }));
    await Promise.all(jobs);
  } finally {
    await pool.close();
  }
  return { count, width, height, channels, data: output };
}
