/**
 * The results file's layout, browser-safe (no `node:` import): its format tag and version, its
 * types, {@link resultsFileContent} to build one and {@link parseResultsFile} to check one read
 * as text. `results-file.ts` (Node: atomic writes, resuming) and the web page both use these.
 */
import type { NoiseEstimate, RunResult } from '../noise/types.js';

/** The `format` tag of a results file. */
export const RESULTS_FORMAT = 'helmholtz-ml/results';
/** The version of the results file layout. */
export const RESULTS_VERSION = 2;

/** A JSON value (settings are compared key by key). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The settings a sweep's levels depend on; any JSON object. */
export type SweepSettings = { [key: string]: JsonValue };

/** What a results file holds. */
export interface ResultsFileContent {
  format: typeof RESULTS_FORMAT;
  version: number;
  settings: SweepSettings;
  /** Finished cells, in the order they finished. */
  cells: RunResult[];
  /** The summary, once the sweep has finished. */
  estimate: NoiseEstimate | null;
  /** ISO time of the last write. */
  updatedAt: string;
}

/**
 * A results file's content (what `JSON.stringify` writes and `helmholtz-ml report` reads).
 *
 * @example
 * const text = JSON.stringify(resultsFileContent({ modality: 'image', codec: 'jpeg' }, cells, estimate), null, 2);
 */
export function resultsFileContent(settings: SweepSettings, cells: readonly RunResult[], estimate: NoiseEstimate | null, updatedAt = new Date().toISOString()): ResultsFileContent {
  return { format: RESULTS_FORMAT, version: RESULTS_VERSION, settings, cells: [...cells], estimate, updatedAt };
}

/**
 * Checks a results file's text. Throws an `Error` naming `file` when it is not JSON, not a
 * results file, or of another version (`anyVersion`: accept any version, returning no cells).
 *
 * @example
 * const content = parseResultsFile(await file.text(), file.name);
 */
export function parseResultsFile(text: string, file: string, options: { anyVersion?: boolean } = {}): ResultsFileContent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not a JSON results file (${(err as Error).message})`);
  }
  const content = parsed as Partial<ResultsFileContent>;
  if (typeof parsed !== 'object' || parsed === null || content.format !== RESULTS_FORMAT) {
    throw new Error(`${file}: not a helmholtz-ml results file (expected "format": "${RESULTS_FORMAT}")`);
  }
  if (options.anyVersion && typeof content.version === 'number') return { estimate: null, updatedAt: '', settings: {}, ...content, cells: [] } as ResultsFileContent;
  if (content.version !== RESULTS_VERSION) {
    const why = content.version === 1 ? ' (version 1 held one training per level, before repeated cells)' : '';
    throw new Error(
      `${file}: results file version ${JSON.stringify(content.version)}${why}; this helmholtz-ml reads version ${RESULTS_VERSION}`,
    );
  }
  if (typeof content.settings !== 'object' || content.settings === null || !Array.isArray(content.cells)) {
    throw new Error(`${file}: results file without "settings" object and "cells" array`);
  }
  content.cells.forEach((c, i) => {
    if (typeof c !== 'object' || c === null || typeof c.level !== 'number' || typeof c.repeat !== 'number' || typeof c.accuracy !== 'number') {
      throw new Error(`${file}: cells[${i}] is not a cell result (expected numbers "level", "repeat" and "accuracy")`);
    }
  });
  return { estimate: null, updatedAt: '', ...content } as ResultsFileContent;
}
