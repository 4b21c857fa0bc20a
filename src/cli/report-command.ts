/** `helmholtz-ml report FILE`: the table, summary, CSV and plot of a saved results file. */
import path from 'node:path';
import { readResultsFile } from '../node/results-file.js';
import { summarizeCells } from '../noise/summarize-cells.js';
import { UsageError, formatHelp, parseFlags, type FlagSpec } from './args.js';
import { formatLevelTable, formatPartialReport, formatSummary } from './report.js';
import { writeCsvAndPlot, type CliIo } from './sweep.js';

const FLAGS: FlagSpec[] = [
  { name: 'csv', type: 'string', metavar: 'FILE', help: 'Write the per-level table as CSV.' },
  { name: 'plot', type: 'string', metavar: 'FILE', help: 'Write the accuracy-vs-Q plot (SVG).' },
  { name: 'help', type: 'boolean', short: 'h', help: 'Show this help.' },
];

/** The `report` help text. */
export const REPORT_HELP = formatHelp(
  'report',
  'helmholtz-ml report FILE [--csv FILE] [--plot FILE]',
  'Prints the table and summary of a results file written by `estimate --out` or `demo` (helmholtz-demo.json), and optionally writes its CSV and plot. For an interrupted sweep it summarizes the levels finished so far.',
  FLAGS,
);

/** Runs `helmholtz-ml report`. Returns the exit code. */
export async function reportCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const positional = argv.filter((a, i) => !a.startsWith('-') && !(i > 0 && ['--csv', '--plot'].includes(argv[i - 1])));
  const flags = parseFlags(argv.filter((a) => !positional.includes(a)), FLAGS, 'report');
  if (flags.help) {
    io.stdout.write(REPORT_HELP);
    return 0;
  }
  if (positional.length !== 1) throw new UsageError(`report takes one results file, got ${positional.length === 0 ? 'none' : positional.join(' ')}`);
  const file = path.resolve(io.cwd, positional[0]);
  let content: Awaited<ReturnType<typeof readResultsFile>>;
  try {
    content = await readResultsFile(file);
  } catch (err) {
    // `report` only reads: the writer's advice (move the file away, write another) does not apply.
    const message = (err as Error).message
      .replace(/; move it away or choose another file$/, '')
      .replace(/: write to another results file \(or move this one away\) and rerun$/, '');
    throw new Error(`${message}${/version/.test(message) ? ' (report it with the helmholtz-ml that wrote it)' : ''}`);
  }
  if (!content) throw new Error(`${file}: no such results file`);
  if (content.cells.length === 0 && !content.estimate) throw new Error(`${file}: holds no finished cell yet`);
  const settings = content.settings as Readonly<Record<string, unknown>> & {
    modality?: 'image' | 'audio'; codec?: string; metric?: 'selected' | 'paper'; levels?: unknown; classes?: unknown;
    sourceBits?: unknown; tolerance?: unknown; seed?: unknown; data?: { train?: number; classes?: number } | null;
  };
  if (content.estimate) {
    io.stdout.write(formatLevelTable(content.estimate) + '\n' + formatSummary(content.estimate));
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
    io.stdout.write(`(partial: ${content.cells.length} finished cell(s); the sweep was interrupted or is still running)\n`);
    io.stdout.write(formatPartialReport(estimate, settings, planned !== undefined ? { planned } : {}));
  }
  const resolve = (flag: unknown): string | undefined => (typeof flag === 'string' ? path.resolve(io.cwd, flag) : undefined);
  await writeCsvAndPlot(estimate, { csv: resolve(flags.csv), plot: resolve(flags.plot) }, {}, io);
  return 0;
}
