/**
 * What `demo` and `estimate` share: the sweep's flags, turning them into `estimateNoise`
 * options, running it with a progress bar and Ctrl-C handling, and printing and writing the
 * results (table, summary, JSON, CSV, SVG plot).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { NodeEstimateNoiseOptions } from '../node/estimate.js';
import { readResultsFile, writeFileAtomic } from '../node/results-file.js';
import type { AudioFeatureOptions } from '../audio/features.js';
import { codecNames } from '../codecs/registry.js';
import type { AudioDataset, ImageDataset, Metric, NoiseEstimate, ProgressEvent, RunResult } from '../noise/types.js';
import { UsageError, parseIntegerList, type FlagSpec, type FlagValues } from './args.js';
import { createProgressReporter } from './progress.js';
import { estimateToCsv, formatDuration, formatLevelTable, formatSummary } from './report.js';
import { reportResults } from './results-report.js';

/** The process around a command (injected by tests). */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  cwd: string;
  /** Aborted on Ctrl-C (the CLI's main wires SIGINT to it). */
  signal?: AbortSignal;
  /** The Node `estimateNoise` (replaceable in tests). */
  estimateNoise: (options: NodeEstimateNoiseOptions) => Promise<NoiseEstimate>;
  /** The SVG renderer (replaceable in tests). */
  renderPlot: (estimate: NoiseEstimate, options: { dataName?: string }) => Promise<string>;
}

/** Flags of the sweep itself, shared by `demo` and `estimate`; `defaults` fills the help. */
export function sweepFlags(defaults: { levels: string; epochs: string; width: string; batchSize: string; repeats?: string }): FlagSpec[] {
  return [
    { name: 'levels', type: 'string', metavar: 'LIST', help: 'Levels to compress and train at, comma-separated, at least 3: JPEG qualities 1..100, or with --audio MP3 bitrates in kbps (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256, 320).', defaultText: defaults.levels },
    { name: 'codec', type: 'string', metavar: 'NAME', choices: codecNames(), help: 'The codec: "jpeg" for images, "mp3" for audio (the defaults), or another registered codec of the data\'s modality.', defaultText: 'jpeg (mp3 with --audio)' },
    { name: 'repeats', type: 'integer', metavar: 'N', min: 1, max: 10000, help: 'Trainings per level, each with its own seed: the accuracy is their mean, with a 95% interval.', defaultText: defaults.repeats ?? '3' },
    { name: 'metric', type: 'string', metavar: 'NAME', choices: ['selected', 'paper', 'last'], help: '"selected": test accuracy at the epoch a held-out validation split picks. "paper": mean of the 10 best test accuracies (the paper\'s figure; biased upward). "last": test accuracy after the final epoch.', defaultText: 'selected' },
    { name: 'validation-fraction', type: 'number', metavar: 'F', min: 0, max: 0.5, help: 'Fraction of each training class held out to pick the epoch, in (0, 0.5]; 0: no split, every training item is fitted and the test set also picks the epoch (needs a fixed --epochs; pair it with --metric last).', defaultText: '0.1' },
    { name: 'patience', type: 'integer', metavar: 'N', min: 1, max: 100000, help: 'With --epochs auto: stop after N epochs without a better validation accuracy.', defaultText: '5' },
    { name: 'max-epochs', type: 'integer', metavar: 'N', min: 1, max: 100000, help: 'With --epochs auto: the most epochs per training.', defaultText: '100' },
    { name: 'strategy', type: 'string', metavar: 'NAME', choices: ['grid', 'adaptive'], help: '"grid" trains every level; "adaptive" trains a few coarse levels, then bisects where accuracy falls (fewer trainings, knee within one grid step).', defaultText: 'grid' },
    { name: 'model', type: 'string', metavar: 'ARCH', choices: ['A', 'B', 'C', 'D', 'E', 'F'], help: "The paper's classifier architecture (images: A = all-convolutional; with --audio the paper's audio models A-F, A = 3 conv loops, no dense layer).", defaultText: 'A' },
    { name: 'width', type: 'number', metavar: 'W', min: 0.01, max: 4, help: 'Width multiplier for the model: scales every layer\'s filters/units (0.25 = a quarter, ~16x fewer weights, much faster).', defaultText: defaults.width },
    { name: 'epochs', type: 'string', metavar: 'N|auto', help: 'Training epochs per cell, or "auto": until the validation accuracy stops improving (--patience, --max-epochs).', defaultText: defaults.epochs },
    { name: 'batch-size', type: 'integer', metavar: 'N', min: 1, max: 1 << 20, help: 'Mini-batch size.', defaultText: defaults.batchSize },
    { name: 'optimizer', type: 'string', metavar: 'NAME', choices: ['adam', 'paper'], help: '"adam": Adam, learning rate 1e-3 (good for short budgets). "paper": the original protocol, for reproductions with long budgets: SGD (lr 0.01, momentum 0.9, Nesterov, decay 1e-6) for images, Adadelta (lr 1, rho 0.95) with --audio.', defaultText: 'adam' },
    { name: 'augment', type: 'boolean', help: "Use the paper's augmentation (random 10% shifts, horizontal flips).", defaultText: 'off' },
    { name: 'seed', type: 'integer', metavar: 'N', min: 0, max: 2 ** 31 - 1, help: 'Seed for weights, shuffling, augmentation and data subsets: the same seed gives the same sweep.', defaultText: '0' },
    { name: 'tolerance', type: 'number', metavar: 'ACC', min: 0, max: 1, help: 'Most accuracy the recommendation may give up against the best level: it picks the strongest compression not significantly below the best (one-sided Welch test at 5%) and never more than this below it.', defaultText: '0.01' },
    { name: 'backend', type: 'string', metavar: 'NAME', choices: ['auto', 'tensorflow', 'wasm', 'cpu'], help: 'tfjs backend: "auto" picks the fastest available (tensorflow = tfjs-node if installed, else wasm, else cpu).', defaultText: 'auto' },
    { name: 'workers', type: 'string', metavar: 'N|auto', help: 'Cells (level, repeat) trained at once, each on its own worker thread with its own tfjs. "auto" = one per core (1 with the tensorflow backend). 1 = train in the main thread.', defaultText: 'auto' },
    { name: 'threads', type: 'string', metavar: 'N|auto', help: 'Threads of the wasm backend in each trainer. "auto" = the cores shared out among the workers (all of them when one trainer runs).', defaultText: 'auto' },
    { name: 'quiet', type: 'boolean', short: 'q', help: 'No progress output on stderr.' },
    { name: 'help', type: 'boolean', short: 'h', help: 'Show this help.' },
  ];
}

/** A `--name N|auto` flag's value: 'auto' when absent, else an integer in 1..max. */
function autoOrInteger(name: string, value: unknown, max: number): number | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be "auto" or an integer in 1..${max}, got ${JSON.stringify(value)}`);
  return n;
}

/** `--epochs`: an integer in 1..100000 or "auto". */
function epochsFlag(value: unknown, fallback: number): number | 'auto' {
  if (value === undefined) return fallback;
  if (value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100000) throw new UsageError(`--epochs must be "auto" or an integer in 1..100000, got ${JSON.stringify(value)}`);
  return n;
}

/** Sweep options from parsed flags (with the command's defaults). */
export function sweepOptionsFromFlags(
  flags: FlagValues,
  defaults: { levels: number[]; epochs: number; width: number; batchSize: number; repeats?: number },
  modality: 'image' | 'audio' = 'image',
): Omit<NodeEstimateNoiseOptions, 'data'> {
  const [lo, hi] = modality === 'audio' ? [8, 320] : [1, 100];
  const levels = typeof flags.levels === 'string' ? parseIntegerList('levels', flags.levels, lo, hi) : defaults.levels;
  if (modality === 'audio' && flags.augment === true) throw new UsageError('--augment is for images (shifts and flips); the audio sweep trains without augmentation');
  if (new Set(levels).size !== levels.length) throw new UsageError(`--levels must not repeat a level, got ${levels.join(',')}`);
  if (levels.length < 3) throw new UsageError(`--levels needs at least 3 levels to find a knee, got ${levels.length} (${levels.join(',')})`);
  const workers = autoOrInteger('workers', flags.workers, 1024);
  const epochs = epochsFlag(flags.epochs, defaults.epochs);
  if (epochs !== 'auto') {
    for (const name of ['patience', 'max-epochs']) if (flags[name] !== undefined) throw new UsageError(`--${name} needs --epochs auto`);
  }
  const fraction = flags['validation-fraction'] as number | undefined;
  if (fraction === 0 && epochs === 'auto') throw new UsageError('--validation-fraction 0 (no validation split) needs a fixed --epochs: --epochs auto stops on the validation accuracy');
  const threads = autoOrInteger('threads', flags.threads, 256);
  return {
    levels,
    strategy: (flags.strategy as 'grid' | 'adaptive' | undefined) ?? 'grid',
    model: (flags.model as 'A' | undefined) ?? 'A',
    modelOptions: { widthMultiplier: (flags.width as number | undefined) ?? defaults.width },
    ...(typeof flags.codec === 'string' ? { codec: flags.codec } : {}),
    repeats: (flags.repeats as number | undefined) ?? defaults.repeats ?? 3,
    ...(typeof flags.metric === 'string' ? { metric: flags.metric as Metric } : {}),
    ...(fraction !== undefined ? { validationFraction: fraction } : {}),
    epochs,
    ...(flags.patience !== undefined ? { patience: flags.patience as number } : {}),
    ...(flags['max-epochs'] !== undefined ? { maxEpochs: flags['max-epochs'] as number } : {}),
    batchSize: (flags['batch-size'] as number | undefined) ?? defaults.batchSize,
    optimizer: (flags.optimizer as 'adam' | 'paper' | undefined) ?? 'adam',
    augment: flags.augment === true,
    seed: (flags.seed as number | undefined) ?? 0,
    tolerance: (flags.tolerance as number | undefined) ?? 0.01,
    backend: (flags.backend as NodeEstimateNoiseOptions['backend']) ?? 'auto',
    workers,
    threads,
  };
}

/** Outputs of one sweep. */
export interface SweepOutputs {
  /** The results file the estimate writes itself (listed in the "Wrote" line). */
  results?: string;
  json?: string;
  csv?: string;
  plot?: string;
  /** Name of the data for the plot's subtitle. */
  dataName?: string;
}

/**
 * Writes the estimate's per-level CSV to `files.csv` and its plot (SVG, `plotOptions`) to
 * `files.plot`, each only when given, creating their folders. Returns the files written.
 */
export async function writeCsvAndPlot(
  estimate: NoiseEstimate,
  files: { csv?: string; plot?: string },
  plotOptions: { dataName?: string },
  io: CliIo,
): Promise<string[]> {
  const written: string[] = [];
  if (files.csv) {
    await mkdir(path.dirname(files.csv), { recursive: true });
    await writeFile(files.csv, estimateToCsv(estimate));
    written.push(files.csv);
  }
  if (files.plot) {
    await mkdir(path.dirname(files.plot), { recursive: true });
    await writeFile(files.plot, await io.renderPlot(estimate, plotOptions));
    written.push(files.plot);
  }
  return written;
}

/**
 * Runs the sweep with progress on stderr and Ctrl-C handling, prints the table and summary to
 * stdout, writes the outputs. Returns the exit code.
 */
export async function runSweep(
  io: CliIo,
  data: ImageDataset | AudioDataset,
  options: Omit<NodeEstimateNoiseOptions, 'data'> & { features?: AudioFeatureOptions },
  outputs: SweepOutputs,
  quiet: boolean,
): Promise<number> {
  const audio = 'signals' in data.train;
  const progress = quiet ? null : createProgressReporter(io.stderr, { modality: audio ? 'audio' : 'image' });
  let finished = 0;
  let estimate: NoiseEstimate;
  const started = performance.now();
  try {
    estimate = await io.estimateNoise({
      ...options,
      ...(audio ? { modality: 'audio' as const } : {}),
      data,
      signal: io.signal,
      onProgress: progress ? (e: ProgressEvent) => progress.onProgress(e) : undefined,
      onCellComplete: (r: RunResult) => {
        finished++;
        progress?.levelDone(r);
      },
    } as NodeEstimateNoiseOptions);
  } catch (err) {
    progress?.clear();
    if (io.signal?.aborted) {
      const file = typeof options.resultsFile === 'string' ? options.resultsFile : options.resultsFile?.path;
      io.stderr.write(
        `Interrupted after ${formatDuration((performance.now() - started) / 1000)}; ${finished} cell(s) finished in this run.` +
          (file ? ` They are saved in ${file}: run the same command with --resume to continue.\n` : '\n'),
      );
      return 130;
    }
    const file = typeof options.resultsFile === 'string' ? options.resultsFile : options.resultsFile?.path;
    const missing = (err as { missing?: unknown }).missing;
    if ((err as Error).name === 'MissingCellsError' && Array.isArray(missing) && file) {
      // cells that failed on every attempt: summarize the finished ones, name the missing ones
      const content = await readResultsFile(path.resolve(io.cwd, file)).catch(() => null);
      if (content && content.cells.length > 0) {
        io.stdout.write('\n' + reportResults(file, content, { unfinished: `${missing.length} cell(s) failed on every attempt and are missing` }).text);
      }
      io.stderr.write(`${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
  progress?.clear();
  io.stdout.write('\n' + formatLevelTable(estimate) + '\n' + formatSummary(estimate));
  const written: string[] = outputs.results ? [outputs.results] : [];
  if (outputs.json) {
    await writeFileAtomic(outputs.json, JSON.stringify(estimate, null, 2) + '\n');
    written.push(outputs.json);
  }
  written.push(...(await writeCsvAndPlot(estimate, outputs, { dataName: outputs.dataName }, io)));
  const show = (w: string): string => {
    const rel = path.relative(io.cwd, w);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : w;
  };
  if (written.length > 0) io.stdout.write(`Wrote ${written.map(show).join(', ')}\n`);
  return 0;
}
