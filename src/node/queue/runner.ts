/**
 * The coordinator side of a distributed sweep: a {@link SweepRunner} that enqueues every cell
 * of the sweep on a BullMQ queue (job id = sweep key, level, repeat, so a cell is queued and
 * stored once however often the coordinator restarts), forwards the workers' progress, and
 * returns each cell's result as a worker finishes it.
 */
import { Queue, QueueEvents, type Job } from 'bullmq';
import { workerOptions, type PreparedSweep } from '../../noise/prepare.js';
import type { CellRunContext, RunResult } from '../../noise/types.js';
import { abortError } from '../../util/abort.js';
import { checkInteger, describe } from '../../util/checks.js';
import type { JsonValue } from '../results-file.js';
import type { OpenedSweepRunner, SweepRunner } from '../estimate.js';
import { parseRedisUrl, type RedisConnection } from './connection.js';
import { DEFAULT_QUEUE, cellJobId, type CellJobData, type CellJobProgress, type DataReference } from './types.js';

/** Options of {@link createQueueRunner}. */
export interface QueueRunnerOptions {
  /** `redis://HOST:PORT` or `{ host, port }`. */
  connection: string | RedisConnection;
  /** Queue name. Default `'helmholtz-ml'`. */
  queue?: string;
  /** The data by reference: what each worker loads from its own files. */
  data: DataReference;
  /** Attempts per cell (a failed training is retried with exponential backoff). Default 3. */
  attempts?: number;
  /** First backoff delay in milliseconds (doubled per attempt). Default 1000. */
  backoffMs?: number;
  /** One line per notable event: which worker trains which cell, a cell taken over. */
  onEvent?: (line: string) => void;
}

/** An `Error` for cells that failed on every attempt; the finished cells are saved. */
export class MissingCellsError extends Error {
  /** The cells that failed, with their last error. */
  readonly missing: { level: number; repeat: number; error: string }[];
  constructor(missing: { level: number; repeat: number; error: string }[]) {
    super(
      `${missing.length} cell(s) failed on every attempt and are missing from the summary: ${missing.map((m) => `level ${m.level} #${m.repeat + 1} (${m.error})`).join('; ')}; the finished cells are saved: fix the cause and rerun with --resume`,
    );
    this.name = 'MissingCellsError';
    this.missing = missing;
  }
}

/**
 * The featurizer's resolved settings as its options (`features`), since a worker packs its own
 * copy of the data and must featurize it as the coordinator did; nothing for images.
 */
function featuresOption(prepared: PreparedSweep): { features?: JsonValue } {
  const features = prepared.featurizer.optionsOf(prepared.data.settings);
  return features === undefined ? {} : { features: features as JsonValue };
}

/**
 * A runner (the `runner` option of the Node `estimateNoise`) that trains the sweep's cells on
 * BullMQ workers (`helmholtz-ml worker`) through Redis. Every cell is enqueued at once with job
 * id `${sweepKey}-${level}-${repeat}`: a cell already queued, running or finished (a restarted
 * coordinator) is not queued again and its result is collected; one that failed before is
 * retried. A cell that fails `attempts` times is reported after the other cells finish
 * ({@link MissingCellsError}).
 *
 * @example
 * import { estimateNoise, createQueueRunner } from 'helmholtz-ml/node';
 * const runner = createQueueRunner({ connection: 'redis://10.0.0.5:6379', data: { spec: 'idx:/data/fashion', cwd: '/', settings: { train: 3000, test: 1000, seed: 0 } } });
 * const estimate = await estimateNoise({ data, levels: [1, 5, 20, 100], repeats: 3, runner, resultsFile: 'fashion.json' });
 */
export function createQueueRunner(options: QueueRunnerOptions): SweepRunner {
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object { connection, data, ... }, got ${describe(options)}`);
  const connection = parseRedisUrl(options.connection);
  const name = options.queue ?? DEFAULT_QUEUE;
  if (typeof name !== 'string' || name.length === 0 || name.includes(':')) throw new RangeError(`queue must be a non-empty name without ":", got ${describe(name)}`);
  const ref = options.data;
  if (typeof ref !== 'object' || ref === null || typeof ref.spec !== 'string' || typeof ref.cwd !== 'string') {
    throw new TypeError(`data must be a data reference { spec, cwd, settings }, got ${describe(ref)}`);
  }
  const attempts = checkInteger('attempts', options.attempts ?? 3, 1, 1000);
  const backoffMs = checkInteger('backoffMs', options.backoffMs ?? 1000, 0, 3_600_000);
  const say = options.onEvent ?? ((): void => undefined);

  return {
    async open(prepared, identity): Promise<OpenedSweepRunner> {
      const queue = new Queue<CellJobData, RunResult>(name, { connection });
      const events = new QueueEvents(name, { connection });
      queue.on('error', () => undefined);
      events.on('error', () => undefined);
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      const contexts = new Map<string, CellRunContext>();
      const workerOf = new Map<string, string>();
      events.on('progress', ({ jobId, data }) => {
        const context = contexts.get(jobId);
        const progress = data as unknown as CellJobProgress;
        if (!context || typeof progress !== 'object' || progress === null || !progress.event) return;
        const before = workerOf.get(jobId);
        if (before !== progress.worker) {
          workerOf.set(jobId, progress.worker);
          const { level, repeat } = progress.event;
          say(before === undefined ? `level ${level} #${(repeat ?? 0) + 1} on ${progress.worker}` : `level ${level} #${(repeat ?? 0) + 1} taken over by ${progress.worker} (was ${before})`);
        }
        // The job may have been queued by an earlier coordinator: this run's cell index counts.
        context.onProgress?.({ ...progress.event, levelIndex: context.levelIndex, levelCount: context.levelCount });
      });
      const settingsData = identity.settings.data as { train: number; test: number; sha256: string };
      const base = {
        sweep: identity.key,
        options: { ...workerOptions(prepared), ...featuresOption(prepared) },
        data: ref,
        fingerprint: { train: settingsData.train, test: settingsData.test, sha256: settingsData.sha256 },
      };
      const inFlight = new Set<Promise<unknown>>();
      const missing: { level: number; repeat: number; error: string }[] = [];
      let reported = false;

      const waitFor = (job: Job<CellJobData, RunResult>, signal: AbortSignal | undefined): Promise<RunResult> => {
        const done = job.waitUntilFinished(events) as Promise<RunResult>;
        if (!signal) return done;
        return new Promise<RunResult>((resolve, reject) => {
          const onAbort = (): void => reject(abortError(signal, 'estimateNoise'));
          if (signal.aborted) return onAbort();
          signal.addEventListener('abort', onAbort, { once: true });
          done.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
        });
      };

      const train = async (cell: { level: number; repeat: number }, context: CellRunContext): Promise<RunResult> => {
        const jobId = cellJobId(identity.key, cell);
        contexts.set(jobId, context);
        try {
          const job = await queue.add('cell', { ...base, cell: { level: cell.level, repeat: cell.repeat }, levelIndex: context.levelIndex, levelCount: context.levelCount }, {
            jobId,
            attempts,
            backoff: { type: 'exponential', delay: backoffMs },
            removeOnComplete: { age: 7 * 24 * 3600 },
            removeOnFail: { age: 7 * 24 * 3600 },
          });
          const state = await queue.getJobState(jobId);
          if (state === 'failed') {
            say(`level ${cell.level} #${cell.repeat + 1} failed in an earlier run: retrying`);
            const old = await queue.getJob(jobId);
            await old?.retry('failed');
          }
          return await waitFor(job, context.signal);
        } finally {
          contexts.delete(jobId);
        }
      };

      const cellRunner = async (cell: { level: number; repeat: number }, context: CellRunContext): Promise<RunResult> => {
        const run = train(cell, context);
        inFlight.add(run);
        try {
          return await run;
        } catch (err) {
          if (context.signal?.aborted) throw err;
          missing.push({ level: cell.level, repeat: cell.repeat, error: (err as Error).message ?? String(err) });
          // Let every other cell finish (and be saved) before reporting what is missing.
          inFlight.delete(run);
          while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
          if (reported) throw new MissingCellsError(missing);
          reported = true;
          throw new MissingCellsError(missing.slice().sort((a, b) => a.level - b.level || a.repeat - b.repeat));
        } finally {
          inFlight.delete(run);
        }
      };

      return {
        cellRunner,
        concurrency: Math.max(1, prepared.grid.length * prepared.repeats),
        close: async () => {
          await Promise.allSettled([events.close(), queue.close()]);
        },
      };
    },
  };
}
