/**
 * What travels over Redis for a distributed sweep: a cell job (the cell, the sweep's options,
 * a reference to the data and the fingerprint of the data the coordinator loaded) and the
 * progress a worker reports. Never the data itself.
 */
import type { SweepWorkerOptions } from '../../noise/prepare.js';
import type { Cell, ProgressEvent } from '../../noise/types.js';
import type { JsonValue } from '../results-file.js';

/**
 * The data of a sweep by reference: the dataset spec (`folder:DIR`, `idx:...`, `cifar10:DIR`,
 * `wav-folder:DIR`, `synthetic:...`), the folder relative paths resolve against, and the
 * subset/split settings (the CLI's flags, e.g. `{ train: 3000, test: 1000, seed: 0 }`). A
 * worker's loader module turns it into data on the worker's own file system.
 */
export interface DataReference {
  spec: string;
  cwd: string;
  settings: { [key: string]: JsonValue };
}

/** The module a worker loads data references with (its `loadDataReference` export). */
export interface DataLoaderModule {
  loadDataReference(reference: DataReference): Promise<unknown>;
}

/** The payload of one cell job (JSON). */
export interface CellJobData {
  /** The sweep key (SHA-256 of the sweep's settings): the job id is `${sweep}-${level}-${repeat}`. */
  sweep: string;
  cell: Cell;
  levelIndex: number;
  levelCount: number;
  /** The prepared sweep's options (defaults resolved), and the featurizer settings. */
  options: SweepWorkerOptions & { features?: JsonValue };
  data: DataReference;
  /** The fingerprint of the data the coordinator loaded: a worker whose data differs fails the cell. */
  fingerprint: { train: number; test: number; sha256: string };
}

/** The progress a worker reports for a cell (BullMQ job progress). */
export interface CellJobProgress {
  /** The worker's name (`host:pid` unless named). */
  worker: string;
  event: ProgressEvent;
}

/** The BullMQ job id of a cell of sweep `sweep` (BullMQ ids cannot contain ":"). */
export function cellJobId(sweep: string, cell: Cell): string {
  return `${sweep}-${cell.level}-${cell.repeat}`;
}

/** What a worker passes to its sandboxed processors (environment variable {@link WORKER_CONFIG_ENV}). */
export interface WorkerConfig {
  name: string;
  backend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  threads: number | 'auto';
  /** URL of the module whose `loadDataReference` loads the data. */
  loader: string;
}

/** The environment variable that carries the {@link WorkerConfig} (JSON) into the processor threads. */
export const WORKER_CONFIG_ENV = 'HELMHOLTZ_QUEUE_WORKER';

/** The default queue name. */
export const DEFAULT_QUEUE = 'helmholtz-ml';
