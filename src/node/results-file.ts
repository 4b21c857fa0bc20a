/**
 * Resumable sweeps: a JSON results file that receives each cell (level, repeat) as soon as it
 * finishes (written atomically: a temporary file, fsync, rename), so that an interrupted
 * multi-hour sweep restarts where it stopped, cell by cell, and a finished one can be extended
 * with more repeats. The file also records the settings the cells were trained with; a file made
 * with other settings is refused, naming the first key that differs.
 */
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { NoiseEstimate, RunResult } from '../noise/types.js';
import { dataFingerprint } from './share.js';
import { parseResultsFile, RESULTS_FORMAT, RESULTS_VERSION, type JsonValue, type ResultsFileContent, type SweepSettings } from './results-format.js';

export { dataFingerprint };

export { RESULTS_FORMAT, RESULTS_VERSION, parseResultsFile, resultsFileContent, type JsonValue, type ResultsFileContent, type SweepSettings } from './results-format.js';

/** An open results file: the cells already finished, and writers for new ones. */
export interface ResultsFile {
  /** Absolute path of the file. */
  readonly path: string;
  readonly settings: SweepSettings;
  /** Cells finished in earlier runs (and in this one, as they are saved). */
  readonly cells: RunResult[];
  /** Adds (or replaces, by level and repeat) one finished cell and rewrites the file atomically. */
  saveCell(result: RunResult): Promise<void>;
  /** Stores the final summary and rewrites the file atomically. */
  saveEstimate(estimate: NoiseEstimate): Promise<void>;
}

/** Options of {@link openResultsFile}. */
export interface OpenResultsFileOptions {
  /**
   * What to do when the file exists and holds finished cells. Default `'resume'`: keep them
   * (the settings must match). `'overwrite'`: start afresh (a file that is not a results file
   * is still never replaced). `'refuse'`: throw an `Error` saying how many cells it holds (what
   * the CLI does without `--resume`).
   */
  existing?: 'resume' | 'overwrite' | 'refuse';
}

/**
 * Opens (or creates) a results file for a sweep with `settings`. An existing file with other
 * settings is refused with an `Error` naming the file and the first differing key, with both
 * values; an unreadable or non-results JSON file is refused too (never silently replaced).
 *
 * @example
 * const file = await openResultsFile('sweep.json', sweepSettings({ data, epochs: 5 }));
 * const estimate = await estimateNoise({ ...options, completedCells: file.cells, onCellComplete: (r) => file.saveCell(r) });
 * await file.saveEstimate(estimate);
 */
export async function openResultsFile(file: string, settings: SweepSettings, options: OpenResultsFileOptions = {}): Promise<ResultsFile> {
  const existingMode = options.existing ?? 'resume';
  if (!['resume', 'overwrite', 'refuse'].includes(existingMode)) {
    throw new RangeError(`existing must be one of "resume", "overwrite", "refuse", got ${JSON.stringify(existingMode)}`);
  }
  const absolute = path.resolve(file);
  const normalized = normalizeJson(settings) as SweepSettings;
  let cells: RunResult[] = [];
  // Read even when overwriting: a file that is not a results file is never replaced.
  let found: ResultsFileContent | null;
  try {
    found = await readResultsFile(absolute, { anyVersion: existingMode === 'overwrite' });
  } catch (err) {
    throw new Error(`${(err as Error).message}: it is never replaced; write to another results file`);
  }
  const previous = existingMode === 'overwrite' ? null : found;
  if (previous) {
    const diff = firstDifference(previous.settings, normalized, 'settings');
    if (diff !== null && previous.cells.length > 0) {
      throw new Error(
        `${absolute}: made with other settings (${diff}); resume only with the same settings, or write to another results file`,
      );
    }
    if (previous.cells.length > 0 && existingMode === 'refuse') {
      const levels = [...new Set(previous.cells.map((c) => c.level))];
      throw new Error(
        `${absolute}: already holds ${previous.cells.length} finished cell(s) (levels ${levels.join(', ')}); resume it (--resume) or choose another file`,
      );
    }
    cells = previous.cells.slice();
  }
  let estimate: NoiseEstimate | null = null;
  const write = async (): Promise<void> => {
    const content: ResultsFileContent = {
      format: RESULTS_FORMAT,
      version: RESULTS_VERSION,
      settings: normalized,
      cells,
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
    get cells() {
      return cells.slice();
    },
    saveCell: (result) =>
      enqueue(async () => {
        cells = cells.filter((c) => c.level !== result.level || c.repeat !== result.repeat).concat([result]);
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
 * file (and no advice: `report` only reads) when it is not JSON, not a results file, or of another version (`anyVersion`: accept any
 * version, returning no cells: what overwriting checks).
 *
 * @example
 * const saved = await readResultsFile('sweep.json');
 * console.log(saved?.cells.map((c) => [c.level, c.repeat, c.accuracy]));
 */
export async function readResultsFile(file: string, options: { anyVersion?: boolean } = {}): Promise<ResultsFileContent | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${file}: cannot read results file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseResultsFile(text, file, options);
}

/** What {@link sweepSettings} records: the data (or its fingerprint) and any settings the cells depend on. */
export type SweepSettingsInput = { data: unknown } & { [key: string]: unknown };

/**
 * The settings a results file records and compares: the given settings (e.g. `cellSettings` of
 * a prepared sweep: codec, model, budget, seed, ...) normalized as JSON, and a SHA-256
 * fingerprint of the data (`dataFingerprint`, unless `data` already is one). A function
 * (custom model) or an optimizer object records as `"custom"`. `defaults` fills unset keys so
 * that "unset" and "set to the default" compare equal.
 *
 * @example
 * const settings = sweepSettings({ data, epochs: 5, model: 'A' }, { epochs: 10, batchSize: 128 });
 */
export function sweepSettings(input: SweepSettingsInput, defaults: { [key: string]: JsonValue } = {}): SweepSettings {
  const { data, ...rest } = input;
  const out: SweepSettings = {};
  for (const key of [...new Set([...Object.keys(defaults), ...Object.keys(rest)])]) {
    const v = rest[key] ?? defaults[key];
    if (v === undefined) continue;
    out[key] = typeof v === 'function' || (key === 'optimizer' && typeof v === 'object' && v !== null) ? 'custom' : normalizeJson(v);
  }
  const d = data as { sha256?: unknown } | null;
  out.data = typeof d === 'object' && d !== null && typeof d.sha256 === 'string' ? normalizeJson(d) : dataFingerprint(data);
  return out;
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
