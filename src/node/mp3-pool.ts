/**
 * MP3 round trips of many clips on worker threads (Node only), on the shared pool of
 * parallel.ts: each worker loads the LAME and mpg123 WebAssembly modules once.
 */
import { availableParallelism } from 'node:os';
import { checkMp3Bitrate, checkMp3Signal } from '../audio/mp3.js';
import { mp3RoundTrip, type Mp3RoundTripOptions } from '../audio/mp3-roundtrip.js';
import { checkInteger, checkOneOf, describe } from '../util/checks.js';
import { createWorkerPool, registerWorkerTask } from './parallel.js';

/** Options of {@link mp3RoundTripBatchParallel}. */
export interface Mp3PoolOptions extends Mp3RoundTripOptions {
  /** Worker threads to start. Default: the number of CPUs (at most one per signal). */
  workers?: number;
}

const TASK = 'helmholtz-ml/mp3-roundtrip';

interface Mp3Job {
  signal: Float32Array;
  sampleRate: number;
  bitrateKbps: number;
}

registerWorkerTask<Mp3RoundTripOptions, Mp3Job, Float32Array>(TASK, {
  init: (options) => (job) => mp3RoundTrip(job.signal, job.sampleRate, job.bitrateKbps, options),
});

/** A pool of MP3 round-trip workers kept for many batches (close it when done). */
export interface Mp3RoundTripPool {
  roundTrip(signals: readonly Float32Array[], sampleRate: number, bitrateKbps: number): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/**
 * Starts `workers` MP3 round-trip workers on the shared pool, for many batches (a sweep's levels):
 * the workers and their WebAssembly modules start once.
 *
 * @example
 * const pool = createMp3RoundTripPool(2);
 * const out = await pool.roundTrip(clips, 44100, 32);
 * await pool.close();
 */
export function createMp3RoundTripPool(workers: number, options: Mp3RoundTripOptions = {}): Mp3RoundTripPool {
  const pool = createWorkerPool<Mp3RoundTripOptions, Mp3Job, Float32Array>({
    task: TASK,
    size: checkInteger('workers', workers, 1, 1024),
    entry: (import.meta as { url?: string }).url,
    init: options,
  });
  return {
    roundTrip: (signals, sampleRate, bitrateKbps) => Promise.all(signals.map((signal) => pool.run({ signal, sampleRate, bitrateKbps }))),
    close: () => pool.close(),
  };
}

/**
 * Runs {@link mp3RoundTrip} on every signal on a pool of worker threads and returns the results
 * in input order. Arguments are checked on the calling thread first, so bad input throws the
 * same `RangeError`/`TypeError` as `mp3RoundTrip`.
 *
 * @param signals mono clips (each finite and non-empty); they are copied, not transferred.
 * @param sampleRate sample rate of every clip in Hz.
 * @param bitrateKbps one of the Layer III bitrates (see `MP3_BITRATES`).
 * @param options `workers` (default: CPU count, at most one per clip) and `codec` (default `'lame-wasm'`).
 * @returns one aligned, same-length `Float32Array` per input clip.
 * @example
 * import { mp3RoundTripBatchParallel } from 'helmholtz-ml/node';
 * const compressed = await mp3RoundTripBatchParallel(clips, 44100, 32, { workers: 4 });
 */
export async function mp3RoundTripBatchParallel(
  signals: Float32Array[],
  sampleRate: number,
  bitrateKbps: number,
  options: Mp3PoolOptions = {},
): Promise<Float32Array[]> {
  if (!Array.isArray(signals)) throw new TypeError(`signals must be an array of Float32Array, got ${describe(signals)}`);
  signals.forEach((s, i) => {
    try {
      checkMp3Signal(s, sampleRate);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('signal ')) error.message = `signals[${i}]${error.message.slice(6)}`;
      throw error;
    }
  });
  checkMp3Bitrate(bitrateKbps);
  const { workers: requested, ...roundTripOptions } = options;
  if (roundTripOptions.codec !== undefined) checkOneOf('options.codec', roundTripOptions.codec, ['lame-wasm', 'lamejs']);
  const size = Math.min(checkInteger('options.workers', requested ?? Math.max(1, availableParallelism()), 1, 1024), signals.length);
  if (signals.length === 0) return [];
  const pool = createMp3RoundTripPool(size, roundTripOptions);
  try {
    return await pool.roundTrip(signals, sampleRate, bitrateKbps);
  } finally {
    await pool.close();
  }
}
