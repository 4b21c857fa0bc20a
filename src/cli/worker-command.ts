/**
 * `helmholtz-ml worker --redis redis://HOST:PORT`: a queue worker of distributed sweeps. It takes
 * cells from the BullMQ queue, trains each in a sandboxed processor thread and returns the
 * result. Also the data side of distributed sweeps: the reference a coordinator sends
 * ({@link dataReferenceFromFlags}) and how a worker loads it ({@link loadDataReference}).
 */
import { syntheticSensorImages } from '../data/synthetic-images.js';
import type { JsonValue } from '../node/results-file.js';
import type { DataReference } from '../node/queue/types.js';
import { UsageError, formatHelp, parseFlags, type FlagSpec, type FlagValues } from './args.js';
import { loadWavSpec } from './audio-commands.js';
import { loadDataSpec } from './data.js';
import type { CliIo } from './sweep.js';

const FLAGS: FlagSpec[] = [
  { name: 'redis', type: 'string', metavar: 'URL', help: 'The Redis server of the queue (required), e.g. redis://10.0.0.5:6379.' },
  { name: 'queue', type: 'string', metavar: 'NAME', help: 'The queue name (the same as the coordinator\'s --queue).', defaultText: 'helmholtz-ml' },
  { name: 'backend', type: 'string', metavar: 'NAME', choices: ['auto', 'tensorflow', 'wasm', 'cpu'], help: 'tfjs backend of the trainers ("tensorflow" = tfjs-node or tfjs-node-gpu when installed).', defaultText: 'auto' },
  { name: 'threads', type: 'string', metavar: 'N|auto', help: 'Threads of the wasm backend of each trainer. "auto" = the cores shared out among --concurrency trainers.', defaultText: 'auto' },
  { name: 'concurrency', type: 'integer', metavar: 'N', min: 1, max: 256, help: 'Cells trained at once, each in its own sandboxed thread.', defaultText: '1' },
  { name: 'name', type: 'string', metavar: 'NAME', help: 'This worker\'s name in progress and errors.', defaultText: 'host:pid' },
  { name: 'lock-ms', type: 'integer', metavar: 'MS', min: 200, max: 3_600_000, help: 'Lock of a cell in training, renewed at half of it; a dead worker\'s cell is retrained after at most about this plus --stalled-ms.', defaultText: '30000' },
  { name: 'stalled-ms', type: 'integer', metavar: 'MS', min: 100, max: 3_600_000, help: 'How often this worker looks for cells whose worker died.', defaultText: '30000' },
  { name: 'quiet', type: 'boolean', short: 'q', help: 'No event lines on stderr.' },
  { name: 'help', type: 'boolean', short: 'h', help: 'Show this help.' },
];

/** The `worker` help text. */
export const WORKER_HELP = formatHelp(
  'worker',
  'helmholtz-ml worker --redis redis://HOST:PORT [flags]',
  'Trains cells of distributed sweeps (helmholtz-ml estimate ... --redis URL) from a BullMQ queue on Redis, until Ctrl-C or SIGTERM (the cells in training finish first; Ctrl-C twice quits at once and another worker retrains them). The data is loaded from this machine\'s files at the path the coordinator names (a shared mount or a copy) and must have the coordinator\'s fingerprint. See docs/distributed.md.',
  FLAGS,
  'Example (on every machine with the data at /data/fashion):\n  helmholtz-ml worker --redis redis://10.0.0.5:6379 --backend wasm --threads 2 --concurrency 4\n',
);

/** The flags of `estimate` a worker needs to load the same data (subset and split settings). */
const DATA_FLAGS = ['audio', 'train', 'test', 'test-fraction', 'seed', 'fit', 'size', 'channels', 'duration', 'sample-rate'] as const;

/**
 * The reference to the data of `estimate --data SPEC`: the spec, the folder it resolves in and
 * the flags that pick the subset and split.
 *
 * @example
 * dataReferenceFromFlags({ data: 'idx:/data/fashion', train: 3000, seed: 0 }, '/home/me'); // { spec: 'idx:/data/fashion', cwd: '/home/me', settings: { train: 3000, seed: 0 } }
 */
export function dataReferenceFromFlags(flags: FlagValues, cwd: string): DataReference {
  const settings: { [key: string]: JsonValue } = {};
  for (const key of DATA_FLAGS) if (flags[key] !== undefined) settings[key] = flags[key] as JsonValue;
  return { spec: String(flags.data), cwd, settings };
}

/** `synthetic:train=N,test=N,size=S,classes=C,noise=DN,seed=S`: the demo's synthetic sensor images. */
export const SYNTHETIC_SPEC_HELP = 'synthetic:train=N,test=N,size=S,classes=C,noise=DN   synthetic sensor images (the demo\'s), seeded by --seed';

/**
 * Loads `synthetic:...` (see {@link SYNTHETIC_SPEC_HELP}); keys default to train 600, test 200,
 * size 16, classes 4, noise 8.
 *
 * @example
 * const data = loadSyntheticSpec('synthetic:train=60,test=30,size=8,classes=3', 0);
 */
export function loadSyntheticSpec(spec: string, seed: number): { train: ReturnType<typeof syntheticSensorImages>; test: ReturnType<typeof syntheticSensorImages>; name: string; description: string } {
  const values: Record<string, number> = { train: 600, test: 200, size: 16, classes: 4, noise: 8 };
  const rest = spec.slice('synthetic:'.length);
  for (const part of rest.split(',').filter((p) => p.length > 0)) {
    const [key, value] = part.split('=');
    if (!(key in values) || value === undefined || !Number.isFinite(Number(value))) {
      throw new UsageError(`--data ${spec}: "${part}" must be KEY=NUMBER with KEY one of ${Object.keys(values).join(', ')}`);
    }
    values[key] = Number(value);
  }
  const { train, test, size, classes, noise } = values;
  return {
    train: syntheticSensorImages({ count: train, size, channels: 3, classes, noise, seed: 2 * seed + 1 }),
    test: syntheticSensorImages({ count: test, size, channels: 3, classes, noise, seed: 2 * seed + 2 }),
    name: 'synthetic sensor images',
    description: `synthetic sensor images: ${train} train / ${test} test ${size}x${size} RGB, ${classes} classes, noise ${noise} DN`,
  };
}

/**
 * Loads the data of a reference on this machine, exactly as `estimate` loaded it on the
 * coordinator (the loader module of `helmholtz-ml worker`).
 *
 * @example
 * const data = await loadDataReference({ spec: 'idx:/data/fashion', cwd: '/', settings: { train: 3000, seed: 0 } });
 */
export async function loadDataReference(reference: DataReference): Promise<{ train: unknown; test: unknown }> {
  const s = reference.settings as FlagValues;
  const seed = (s.seed as number | undefined) ?? 0;
  if (reference.spec.startsWith('synthetic:')) {
    const data = loadSyntheticSpec(reference.spec, seed);
    return { train: data.train, test: data.test };
  }
  if (s.audio === true) {
    const data = await loadWavSpec(reference.spec, s, reference.cwd);
    return { train: data.train, test: data.test };
  }
  let size: { width: number; height: number } | undefined;
  if (typeof s.size === 'string') {
    const m = /^(\d+)x(\d+)$/.exec(s.size);
    if (m) size = { width: Number(m[1]), height: Number(m[2]) };
  }
  const data = await loadDataSpec(reference.spec, {
    cwd: reference.cwd,
    trainCount: s.train as number | undefined,
    testCount: s.test as number | undefined,
    testFraction: s['test-fraction'] as number | undefined,
    seed,
    fit: s.fit as 'error' | 'fill' | 'cover' | undefined,
    size,
    channels: s.channels === undefined || s.channels === 'auto' ? 'auto' : (Number(s.channels) as 1 | 3),
  });
  return { train: data.train, test: data.test };
}

/** The module `loadDataReference` lives in (what the processors import): this file, or the CLI bundle. */
const LOADER_URL = (import.meta as { url?: string }).url ?? '';

/** Runs `helmholtz-ml worker` until interrupted. Returns the exit code. */
export async function workerCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(argv, FLAGS, 'worker');
  if (flags.help) {
    io.stdout.write(WORKER_HELP);
    return 0;
  }
  if (typeof flags.redis !== 'string') throw new UsageError('--redis is required, e.g. --redis redis://10.0.0.5:6379 (see helmholtz-ml worker --help)');
  const threads = flags.threads === undefined || flags.threads === 'auto' ? 'auto' : Number(flags.threads);
  if (threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1 && threads <= 256)) {
    throw new UsageError(`--threads must be "auto" or an integer in 1..256, got ${JSON.stringify(flags.threads)}`);
  }
  const { parseRedisUrl } = await import('../node/queue/connection.js');
  try {
    parseRedisUrl(flags.redis);
  } catch (err) {
    throw new UsageError(`--redis: ${(err as Error).message}`);
  }
  const { startQueueWorker } = await import('../node/queue/worker.js');
  const quiet = flags.quiet === true;
  const worker = await startQueueWorker({
    connection: flags.redis,
    queue: flags.queue as string | undefined,
    loader: LOADER_URL,
    concurrency: flags.concurrency as number | undefined,
    backend: flags.backend as 'auto' | undefined,
    threads,
    name: flags.name as string | undefined,
    lockDurationMs: flags['lock-ms'] as number | undefined,
    stalledIntervalMs: flags['stalled-ms'] as number | undefined,
    onEvent: quiet ? undefined : (line) => io.stderr.write(`${line}\n`),
  });
  io.stderr.write(`Worker ${worker.name} on ${flags.redis} queue ${(flags.queue as string | undefined) ?? 'helmholtz-ml'}: waiting for cells (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    if (io.signal?.aborted) return stop();
    io.signal?.addEventListener('abort', stop, { once: true });
    process.once('SIGTERM', stop);
  });
  await worker.close();
  io.stderr.write(`Worker ${worker.name} stopped\n`);
  return 0;
}

/** The `--redis` and `--queue` flags of `estimate`. */
export const QUEUE_FLAGS: FlagSpec[] = [
  { name: 'redis', type: 'string', metavar: 'URL', help: 'Train the cells on queue workers (helmholtz-ml worker) through this Redis server, e.g. redis://10.0.0.5:6379; the data travels by reference (--data and the subset flags), each worker loads it from its own files. See docs/distributed.md.', defaultText: 'train here' },
  { name: 'queue', type: 'string', metavar: 'NAME', help: 'With --redis: the queue name (the workers\' --queue).', defaultText: 'helmholtz-ml' },
];

/**
 * The `runner` of `estimate --redis URL [--queue NAME]` (undefined without `--redis`): a queue
 * runner with the data reference of the command's flags, printing which worker trains what.
 */
export async function queueRunnerFromFlags(flags: FlagValues, io: CliIo): Promise<import('../node/estimate.js').SweepRunner | undefined> {
  if (flags.redis === undefined) {
    if (flags.queue !== undefined) throw new UsageError('--queue needs --redis URL');
    return undefined;
  }
  if (typeof flags.data !== 'string') throw new UsageError('--redis needs --data SPEC (the workers load the data by reference)');
  if (flags.workers !== undefined) throw new UsageError('--workers and --redis exclude each other (with --redis the queue workers train; give them --concurrency)');
  const { createQueueRunner } = await import('../node/queue/runner.js');
  try {
    return createQueueRunner({
      connection: String(flags.redis),
      queue: flags.queue as string | undefined,
      data: dataReferenceFromFlags(flags, io.cwd),
      onEvent: flags.quiet === true ? undefined : (line) => io.stderr.write(`${line}\n`),
    });
  } catch (err) {
    throw new UsageError(`--redis/--queue: ${(err as Error).message}`);
  }
}
