/**
 * The text `helmholtz-ml report` prints for a results file: the table and summary of a finished
 * sweep, or for an unfinished one the settings, the finished cells' levels and the summary parts
 * they support; with the estimate those figures come from.
 */
import type { ResultsFileContent } from '../node/results-file.js';
import { summarizeCells } from '../noise/summarize-cells.js';
import type { NoiseEstimate } from '../noise/types.js';
import { formatLevelTable, formatPartialReport, formatSummary } from './report.js';

/**
 * Formats `content` (read from `file`) as `report` does; `unfinished` says why a sweep is
 * unfinished (default: it was interrupted or is still running).
 *
 * @throws Error when the file holds no finished cell.
 * @example
 * const { text } = reportResults('fashion.json', await readResultsFile('fashion.json'));
 */
export function reportResults(
  file: string,
  content: ResultsFileContent,
  options: { unfinished?: string } = {},
): { text: string; estimate: NoiseEstimate } {
  const out: string[] = [];
  if (content.cells.length === 0 && !content.estimate) throw new Error(`${file}: holds no finished cell yet`);
  const settings = content.settings as Readonly<Record<string, unknown>> & {
    modality?: 'image' | 'audio'; codec?: string; metric?: 'selected' | 'paper' | 'last'; levels?: unknown; classes?: unknown;
    sourceBits?: unknown; tolerance?: unknown; seed?: unknown; data?: { train?: number; classes?: number } | null;
  };
  if (content.estimate) {
    out.push(formatLevelTable(content.estimate) + '\n' + formatSummary(content.estimate));
  }
  const planned = Array.isArray(settings.levels) ? settings.levels.length : undefined;
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const estimate =
    content.estimate ??
    summarizeCells(content.cells, {
      modality: settings.modality,
      codec: settings.codec,
      metric: settings.metric,
      trainCount: settings.data?.train ?? 0,
      classes: num(settings.classes) ?? num(settings.data?.classes) ?? 0,
      ...(num(settings.sourceBits) !== undefined ? { sourceBits: num(settings.sourceBits) } : {}),
      ...(num(settings.tolerance) !== undefined ? { tolerance: num(settings.tolerance) } : {}),
      ...(num(settings.seed) !== undefined ? { seed: num(settings.seed) } : {}),
    });
  if (!content.estimate) {
    // Unfinished (interrupted or still running): the settings, the finished cells' levels, and only
    // the summary parts those levels support.
    out.push(`(partial: ${content.cells.length} finished cell(s); ${options.unfinished ?? 'the sweep was interrupted or is still running'})\n`);
    out.push(formatPartialReport(estimate, settings, planned !== undefined ? { planned } : {}));
  }
  return { text: out.join(''), estimate };
}
