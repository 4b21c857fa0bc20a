/**
 * MP3 round trips of many clips on worker threads (Node only).
 *
 * Locating the worker: the pool starts its workers on the very module file it lives in (this file
 * under tsx/vitest, the built `dist/node/index.js`/`.cjs` or the chunk tsup put this code in), and a
 * marker in `workerData` makes that module's top level run the worker loop. No separate worker
 * entry has to be built or found. When the file is TypeScript source (`.ts`, under tsx or vitest),
 * each worker first registers tsx's ESM loader (`tsx/esm/api`, a devDependency) and then imports it.
 */
import { availableParallelism, cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { checkMp3Bitrate, checkMp3Signal } from '../audio/mp3.js';
import { mp3RoundTrip, type Mp3RoundTripOptions } from '../audio/mp3-roundtrip.js';
import { checkInteger, checkOneOf, describe } from '../util/checks.js';

/** Options of {@link mp3RoundTripBatchParallel}. */
export interface Mp3PoolOptions extends Mp3RoundTripOptions {
  /** Worker threads to start. Default: the number of CPUs (at most one per signal). */
  workers?: number;
}

const WORKER_KIND = 'helmholtz-ml/mp3-pool';

interface Task {
  id: number;
  signal: Float32Array;
  sampleRate: number;
  bitrateKbps: number;
  options: Mp3RoundTripOptions;
}

type Reply = { id: number; result: Float32Array } | { id: number; error: { name: string; message: string } };

/** URL of the file this code was loaded from (ESM: import.meta.url; CommonJS build: __filename). */
function thisModuleUrl(): string {
  const meta = import.meta as { url?: string };
  if (typeof meta.url === 'string' && meta.url !== '') return meta.url;
  if (typeof __filename === 'string') return pathToFileURL(__filename).href;
  throw new Error('mp3RoundTripBatchParallel: cannot locate its own module file to start workers');
}

/** File URL of tsx's ESM register API (`tsx/esm/api`, import condition), found from `fromUrl`. */
function tsxEsmApiUrl(fromUrl: string): string {
  const manifestPath = createRequire(fromUrl).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports?: Record<string, string | { import?: string | { default?: string } }>;
  };
  const entry = manifest.exports?.['./esm/api'];
  const target = typeof entry === 'string' ? entry : typeof entry?.import === 'string' ? entry.import : entry?.import?.default;
  if (!target) throw new Error('mp3RoundTripBatchParallel: running from TypeScript source needs tsx (tsx/esm/api) to start workers');
  return new URL(target, pathToFileURL(manifestPath)).href;
}

/** Starts one worker on this module file (through tsx's loader API when it is TypeScript source). */
function startWorker(moduleUrl: string): Worker {
  const options = { workerData: { kind: WORKER_KIND } };
  if (!/\.(c|m)?ts$/.test(new URL(moduleUrl).pathname)) return new Worker(new URL(moduleUrl), options);
  const tsxApi = tsxEsmApiUrl(moduleUrl);
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

function rebuildError(e: { name: string; message: string }): Error {
  if (e.name === 'RangeError') return new RangeError(e.message);
  if (e.name === 'TypeError') return new TypeError(e.message);
  return new Error(e.message);
}

/**
 * Runs {@link mp3RoundTrip} on every signal on a pool of worker threads (each worker loads the
 * LAME and mpg123 WebAssembly modules once) and returns the results in input order. Arguments are
 * checked on the calling thread first, so bad input throws the same `RangeError`/`TypeError` as
 * `mp3RoundTrip`.
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
  const cpuCount = typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
  const workerCount = Math.min(
    checkInteger('options.workers', requested ?? Math.max(1, cpuCount), 1, 1024),
    signals.length,
  );
  if (signals.length === 0) return [];

  const moduleUrl = thisModuleUrl();
  const results: Float32Array[] = new Array<Float32Array>(signals.length);
  let next = 0;
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let done = 0;
      let failed = false;
      const fail = (error: Error): void => {
        if (!failed) {
          failed = true;
          reject(error);
        }
      };
      const feed = (worker: Worker): void => {
        if (failed || next >= signals.length) return;
        const id = next++;
        const signal = signals[id].slice();
        const task: Task = { id, signal, sampleRate, bitrateKbps, options: roundTripOptions };
        worker.postMessage(task, [signal.buffer]);
      };
      for (let w = 0; w < workerCount; w++) {
        const worker = startWorker(moduleUrl);
        pool.push(worker);
        worker.on('message', (reply: Reply) => {
          if ('error' in reply) {
            fail(rebuildError(reply.error));
            return;
          }
          results[reply.id] = reply.result;
          done++;
          if (done === signals.length) resolve();
          else feed(worker);
        });
        worker.on('error', (error) => fail(error instanceof Error ? error : new Error(String(error))));
        worker.on('exit', (code) => {
          if (done < signals.length) fail(new Error(`mp3RoundTripBatchParallel: a worker exited early (code ${code})`));
        });
        feed(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}

/** The worker side: round-trips each task it is sent and posts the result back (transferred). */
function runWorker(): void {
  const port = parentPort;
  if (!port) return;
  port.on('message', (task: Task) => {
    mp3RoundTrip(task.signal, task.sampleRate, task.bitrateKbps, task.options).then(
      (result) => port.postMessage({ id: task.id, result } satisfies Reply, [result.buffer as ArrayBuffer]),
      (error: unknown) => {
        const e = error instanceof Error ? error : new Error(String(error));
        port.postMessage({ id: task.id, error: { name: e.name, message: e.message } } satisfies Reply);
      },
    );
  });
}

if (!isMainThread && (workerData as { kind?: unknown } | null)?.kind === WORKER_KIND) runWorker();
