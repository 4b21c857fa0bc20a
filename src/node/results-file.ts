/**
 * Resumable sweeps: a JSON results file that receives each level as soon as it finishes
 * (written atomically: a temporary file, fsync, rename), so that an interrupted multi-hour sweep
 * restarts where it stopped. The file also records the settings the levels were trained with;
 * a file made with other settings is refused, naming the first key that differs.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { ImageDataset, LevelResult, NoiseEstimate } from '../noise/types.js';

/** The `format` tag of a results file. */
export const RESULTS_FORMAT = 'helmholtz-ml/results';
/** The version of the results file layout. */
export const RESULTS_VERSION = 1;

/** A JSON value (settings are compared key by key). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The settings a sweep's levels depend on; any JSON object. See {@link sweepSettings}. */
export type SweepSettings = { [key: string]: JsonValue };

/** What a results file holds. */
export interface ResultsFileContent {
  format: typeof RESULTS_FORMAT;
  version: number;
  settings: SweepSettings;
  /** Finished levels, in the order they finished. */
  levels: LevelResult[];
  /** The summary, once the sweep has finished. */
  estimate: NoiseEstimate | null;
  /** ISO time of the last write. */
  updatedAt: string;
}

/** An open results file: the levels already finished, and writers for new ones. */
export interface ResultsFile {
  /** Absolute path of the file. */
  readonly path: string;
  readonly settings: SweepSettings;
  /** Levels finished in earlier runs (and in this one, as they are saved). */
  readonly levels: LevelResult[];
  /** Adds (or replaces, by level) one finished level and rewrites the file atomically. */
  saveLevel(result: LevelResult): Promise<void>;
  /** Stores the final summary and rewrites the file atomically. */
  saveEstimate(estimate: NoiseEstimate): Promise<void>;
}

/** Options of {@link openResultsFile}. */
export interface OpenResultsFileOptions {
  /**
   * What to do when the file exists and holds finished levels. Default `'resume'`: keep them
   * (the settings must match). `'overwrite'`: start afresh. `'refuse'`: throw an `Error`
   * saying how many levels it holds (what the CLI does without `--resume`).
   */
  existing?: 'resume' | 'overwrite' | 'refuse';
}

/**
 * Opens (or creates) a results file for a sweep with `settings`. An existing file with other
 * settings is refused with an `Error` naming the file and the first differing key, with both
 * values; an unreadable or non-results JSON file is refused too (never silently replaced).
 *
 * @example
 * const file = await openResultsFile('sweep.json', sweepSettings(options));
 * const estimate = await estimateNoise({ ...options, completedLevels: file.levels, onLevelComplete: (r) => file.saveLevel(r) });
 * await file.saveEstimate(estimate);
 */
export async function openResultsFile(file: string, settings: SweepSettings, options: OpenResultsFileOptions = {}): Promise<ResultsFile> {
  const existingMode = options.existing ?? 'resume';
  if (!['resume', 'overwrite', 'refuse'].includes(existingMode)) {
    throw new RangeError(`existing must be one of "resume", "overwrite", "refuse", got ${JSON.stringify(existingMode)}`);
  }
  const absolute = path.resolve(file);
  const normalized = normalizeJson(settings) as SweepSettings;
  let levels: LevelResult[] = [];
  const previous = existingMode === 'overwrite' ? null : await readResultsFile(absolute);
  if (previous) {
    const diff = firstDifference(previous.settings, normalized, 'settings');
    if (diff !== null && previous.levels.length > 0) {
      throw new Error(
        `${absolute}: made with other settings (${diff}); resume only with the same settings, or write to another results file`,
      );
    }
    if (previous.levels.length > 0 && existingMode === 'refuse') {
      throw new Error(
        `${absolute}: already holds ${previous.levels.length} finished level(s) (${previous.levels.map((l) => l.level).join(', ')}); resume it (--resume) or choose another file`,
      );
    }
    levels = previous.levels.slice();
  }
  let estimate: NoiseEstimate | null = null;
  const write = async (): Promise<void> => {
    const content: ResultsFileContent = {
      format: RESULTS_FORMAT,
      version: RESULTS_VERSION,
      settings: normalized,
      levels,
      estimate,
      updatedAt: new Date().toISOString(),
    };
    await writeFileAtomic(absolute, JSON.stringify(content, null, 2) + '\n');
  };
  // Writes serialize, so concurrent workers finishing together cannot interleave.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (fn: () => Promise<void>): Promise<void> => {
    const next = queue.then(fn);
    queue = next.catch(() => undefined);
    return next;
  };
  await enqueue(write);
  return {
    path: absolute,
    settings: normalized,
    get levels() {
      return levels.slice();
    },
    saveLevel: (result) =>
      enqueue(async () => {
        levels = levels.filter((l) => l.level !== result.level).concat([result]);
        await write();
      }),
    saveEstimate: (result) =>
      enqueue(async () => {
        estimate = result;
        await write();
      }),
  };
}

/**
 * Reads a results file, or returns null when it does not exist. Throws an `Error` naming the
 * file when it is not JSON or not a results file.
 *
 * @example
 * const saved = await readResultsFile('sweep.json');
 * console.log(saved?.levels.map((l) => [l.level, l.accuracy]));
 */
export async function readResultsFile(file: string): Promise<ResultsFileContent | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${file}: cannot read results file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not a JSON results file (${(err as Error).message}); move it away or choose another file`);
  }
  const content = parsed as Partial<ResultsFileContent>;
  if (typeof parsed !== 'object' || parsed === null || content.format !== RESULTS_FORMAT) {
    throw new Error(`${file}: not a helmholtz-ml results file (expected "format": "${RESULTS_FORMAT}"); move it away or choose another file`);
  }
  if (content.version !== RESULTS_VERSION) {
    throw new Error(`${file}: results file version ${JSON.stringify(content.version)}, expected ${RESULTS_VERSION}`);
  }
  if (typeof content.settings !== 'object' || content.settings === null || !Array.isArray(content.levels)) {
    throw new Error(`${file}: results file without "settings" object and "levels" array`);
  }
  content.levels.forEach((l, i) => {
    if (typeof l !== 'object' || l === null || typeof l.level !== 'number' || typeof l.accuracy !== 'number') {
      throw new Error(`${file}: levels[${i}] is not a level result (expected numbers "level" and "accuracy")`);
    }
  });
  return { estimate: null, updatedAt: '', ...content } as ResultsFileContent;
}

/** The parts of the noise options that the levels' results depend on (see {@link sweepSettings}). */
export interface SweepSettingsInput {
  /** The data, or its fingerprint computed elsewhere (the audio sweep's `audioDataFingerprint`). */
  data: ImageDataset | { train: number; test: number; sha256: string };
  model?: string | ((...args: never[]) => unknown);
  modelOptions?: { [key: string]: unknown };
  epochs?: number;
  batchSize?: number;
  optimizer?: string | object;
  augment?: boolean;
  seed?: number;
  modality?: string;
  /** Featurizer settings (audio sweep); recorded only when given. */
  features?: { [key: string]: unknown };
}

/**
 * The settings a results file records and compares: model, model options, epochs, batch size,
 * optimizer, augmentation, seed, modality, and a SHA-256 fingerprint of the data (sizes, labels,
 * pixels). Levels, strategy, workers and backend are not included: a sweep may be resumed with
 * more levels or more workers. A custom model or optimizer object records as `"custom"`.
 * `defaults` fills unset options so that "unset" and "set to the default" compare equal.
 *
 * @example
 * const settings = sweepSettings({ data, epochs: 5, model: 'A' }, { epochs: 10, batchSize: 128 });
 */
export function sweepSettings(input: SweepSettingsInput, defaults: Partial<Record<keyof SweepSettingsInput, JsonValue>> = {}): SweepSettings {
  const pick = <K extends keyof SweepSettingsInput>(key: K): JsonValue => {
    const v = input[key] ?? defaults[key] ?? null;
    if (typeof v === 'function' || (typeof v === 'object' && v !== null && key === 'optimizer')) return 'custom';
    return normalizeJson(v);
  };
  return {
    modality: pick('modality') ?? 'image',
    model: pick('model'),
    modelOptions: pick('modelOptions'),
    epochs: pick('epochs'),
    batchSize: pick('batchSize'),
    optimizer: pick('optimizer'),
    augment: pick('augment'),
    seed: pick('seed'),
    ...(input.features !== undefined ? { features: pick('features') } : {}),
    data: 'sha256' in input.data ? { ...input.data } : dataFingerprint(input.data),
  };
}

/**
 * SHA-256 (hex, first 16 characters) of a data set's sizes, labels and pixels, with its counts,
 * so that a results file is never resumed on other data.
 *
 * @example
 * dataFingerprint(data); // { train: 3000, test: 1000, sha256: '3f1a…' }
 */
export function dataFingerprint(data: ImageDataset): { train: number; test: number; sha256: string } {
  const hash = createHash('sha256');
  for (const part of [data.train, data.test]) {
    hash.update(`${part.images.length};`);
    for (let i = 0; i < part.images.length; i++) {
      const im = part.images[i];
      hash.update(`${im.width}x${im.height}x${im.channels}:${part.labels[i]};`);
      hash.update(im.data);
    }
  }
  return { train: data.train.images.length, test: data.test.images.length, sha256: hash.digest('hex').slice(0, 16) };
}

/**
 * Writes `text` to `file` atomically: a temporary file in the same folder, flushed to disk,
 * then renamed over the target, so a crash leaves either the old or the new file, never half.
 *
 * @example
 * await writeFileAtomic('results.json', JSON.stringify(results));
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}${Math.floor(performance.now() * 1000).toString(36)}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** Round-trips through JSON semantics: drops undefined, sorts object keys. */
function normalizeJson(value: unknown): JsonValue {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(normalizeJson);
  if (typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined && typeof v !== 'function') out[key] = normalizeJson(v);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

/** Describes the first difference between two JSON values as `key: A in the file, B now`, or null. */
function firstDifference(stored: unknown, current: unknown, key: string): string | null {
  if (typeof stored === 'object' && stored !== null && typeof current === 'object' && current !== null && !Array.isArray(stored) && !Array.isArray(current)) {
    const keys = [...new Set([...Object.keys(stored), ...Object.keys(current)])].sort();
    for (const k of keys) {
      const d = firstDifference((stored as Record<string, unknown>)[k], (current as Record<string, unknown>)[k], `${key}.${k}`);
      if (d !== null) return d;
    }
    return null;
  }
  if (JSON.stringify(stored ?? null) === JSON.stringify(current ?? null)) return null;
  return `${key.replace(/^settings\./, '')} is ${JSON.stringify(stored ?? null)} in the file, ${JSON.stringify(current ?? null)} now`;
}
