/** `helmholtz-ml report FILE`: the table, summary, CSV and plot of a saved results file. */
import path from 'node:path';
import { readResultsFile } from '../node/results-file.js';
import { summarizeCells } from '../noise/summarize-cells.js';
import { UsageError, formatHelp, parseFlags, type FlagSpec } from './args.js';
import { formatLevelTable, formatSummary } from './report.js';
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
  const content = await readResultsFile(file);
  if (!content) throw new Error(`${file}: no such results file`);
  if (content.cells.length === 0 && !content.estimate) throw new Error(`${file}: holds no finished cell yet`);
  const settings = content.settings as { modality?: 'image' | 'audio'; codec?: string; metric?: 'selected' | 'paper'; data?: { train?: number } | null };
  const estimate =
    content.estimate ??
    summarizeCells(content.cells, { modality: settings.modality, codec: settings.codec, metric: settings.metric, trainCount: settings.data?.train ?? 0 });
  if (!content.estimate) io.stdout.write(`(partial: ${content.cells.length} finished cell(s); the sweep was interrupted or is still running)\n`);
  io.stdout.write(formatLevelTable(estimate) + '\n' + formatSummary(estimate));
  const resolve = (flag: unknown): string | undefined => (typeof flag === 'string' ? path.resolve(io.cwd, flag) : undefined);
  await writeCsvAndPlot(estimate, { csv: resolve(flags.csv), plot: resolve(flags.plot) }, {}, io);
  return 0;
}
