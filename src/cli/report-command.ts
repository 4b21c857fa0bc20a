/** `helmholtz-ml report FILE`: the table, summary, CSV and plot of a saved results file. */
import path from 'node:path';
import { readResultsFile } from '../node/results-file.js';
import { UsageError, formatHelp, parseFlags, type FlagSpec } from './args.js';
import { reportResults } from './results-report.js';
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
  const { text, estimate } = reportResults(file, content);
  io.stdout.write(text);
  const resolve = (flag: unknown): string | undefined => (typeof flag === 'string' ? path.resolve(io.cwd, flag) : undefined);
  await writeCsvAndPlot(estimate, { csv: resolve(flags.csv), plot: resolve(flags.plot) }, {}, io);
  return 0;
}
