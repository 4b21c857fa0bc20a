/** `helmholtz-ml estimate`: the noise estimate of a labeled image dataset from files. */
import path from 'node:path';
import { readResultsFile } from '../node/results-file.js';
import { DEFAULT_IMAGE_LEVELS } from '../noise/levels.js';
import { UsageError, formatHelp, parseFlags, type FlagSpec } from './args.js';
import { DATA_SPEC_HELP, loadDataSpec } from './data.js';
import { audioEstimateCommand } from './audio-commands.js';
import { runSweep, sweepFlags, sweepOptionsFromFlags, type CliIo } from './sweep.js';
import { QUEUE_FLAGS, SYNTHETIC_SPEC_HELP, loadSyntheticSpec, queueRunnerFromFlags } from './worker-command.js';

const DEFAULTS = { levels: [...DEFAULT_IMAGE_LEVELS], epochs: 10, width: 1, batchSize: 128 };

const FLAGS: FlagSpec[] = [
  { name: 'audio', type: 'boolean', help: 'Audio: --data wav-folder:DIR (one subfolder of WAV clips per class, e.g. IDMT-SMT-Audio-Effects\' Samples folder), levels are MP3 bitrates in kbps (default 8,16,32,64,96,128,160), features the paper\'s mel spectrogram (96 mels, n_fft 2048, hop 512, dB), batch size 50.' },
  { name: 'duration', type: 'number', metavar: 'S', min: 0.01, max: 3600, help: 'With --audio: pad or cut every clip to S seconds.', defaultText: 'the longest clip' },
  { name: 'sample-rate', type: 'integer', metavar: 'HZ', min: 8000, max: 192000, help: 'With --audio: resample every clip to this rate.', defaultText: '44100' },
  { name: 'data', type: 'string', metavar: 'SPEC', help: 'The labeled images (required): cifar10:DIR, idx:DIR, idx:IMAGES,LABELS, idx:TRAIN_IMG,TRAIN_LBL,TEST_IMG,TEST_LBL or folder:DIR (see below).' },
  { name: 'train', type: 'integer', metavar: 'N', min: 1, help: 'Use a seeded random subset of N training images.', defaultText: 'all' },
  { name: 'test', type: 'integer', metavar: 'N', min: 1, help: 'Use a seeded random subset of N test images.', defaultText: 'all' },
  { name: 'test-fraction', type: 'number', metavar: 'F', min: 0.001, max: 0.999, help: 'Share of each class held out for testing when the data has no test split (idx:IMAGES,LABELS; folder:DIR without train/ and test/).', defaultText: '0.2' },
  { name: 'fit', type: 'string', metavar: 'MODE', choices: ['error', 'fill', 'cover'], help: 'folder: images of another size than --size (or the first image): "error" refuses them, "fill" stretches, "cover" scales and crops the center.', defaultText: 'error' },
  { name: 'size', type: 'string', metavar: 'WxH', help: 'folder: the image size to train at, e.g. 32x32 (with --fit fill or cover to resize).', defaultText: 'the first image\'s size' },
  { name: 'channels', type: 'string', metavar: 'C', choices: ['auto', '1', '3'], help: 'folder: 1 = grayscale, 3 = RGB, auto = grayscale when every image is gray.', defaultText: 'auto' },
  ...sweepFlags({ levels: DEFAULTS.levels.join(','), epochs: String(DEFAULTS.epochs), width: String(DEFAULTS.width), batchSize: String(DEFAULTS.batchSize) }).filter((f) => f.name !== 'quiet' && f.name !== 'help'),
  ...QUEUE_FLAGS,
  { name: 'out', type: 'string', metavar: 'FILE', help: 'Results file (JSON): each level is saved the moment it finishes, then the estimate. Makes the sweep resumable.' },
  { name: 'resume', type: 'boolean', help: 'Continue the sweep saved in --out: finished levels are not trained again (the settings and data must match; the error names what differs).' },
  { name: 'overwrite', type: 'boolean', help: 'Replace an --out file that already holds finished levels (without this or --resume, such a file is refused).' },
  { name: 'csv', type: 'string', metavar: 'FILE', help: 'Write the per-level table as CSV.' },
  { name: 'plot', type: 'string', metavar: 'FILE', help: 'Write the accuracy-vs-Q plot (SVG, like the paper\'s Figure 4).' },
  { name: 'quiet', type: 'boolean', short: 'q', help: 'No progress output on stderr.' },
  { name: 'help', type: 'boolean', short: 'h', help: 'Show this help.' },
];

/** The `estimate` help text. */
export const ESTIMATE_HELP = formatHelp(
  'estimate',
  'helmholtz-ml estimate --data SPEC [flags]',
  'Compresses a labeled image dataset with JPEG at each level (train and test sets), trains the same classifier at each, and reports the accuracy-vs-quantization curve, its knee (N_approx), the bits per pixel that remain there (the content), the fitted theoretical curve and the strongest compression that costs no accuracy. Progress goes to stderr; the table and summary to stdout.',
  FLAGS,
  `Data specs:\n${(DATA_SPEC_HELP + '\n' + SYNTHETIC_SPEC_HELP).split('\n').map((l) => `  ${l}`).join('\n')}\n\nExample (Fashion-MNIST, about a minute on 2 cores):\n  helmholtz-ml estimate --data idx:/usr/share/datasets/fashion-mnist --train 3000 --test 1000 \\\n    --levels 1,5,20,100 --width 0.25 --epochs 5 --batch-size 64 \\\n    --out fashion.json --plot fashion.svg\n\nExit codes: 0 done, 1 error (e.g. a malformed data file), 2 bad flags, 130 interrupted (Ctrl-C; finished levels stay in --out).`,
);

/** Runs `helmholtz-ml estimate`. Returns the exit code. */
export async function estimateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(argv, FLAGS, 'estimate');
  if (flags.help) {
    io.stdout.write(ESTIMATE_HELP);
    return 0;
  }
  if (typeof flags.data !== 'string') throw new UsageError('--data is required, e.g. --data idx:/usr/share/datasets/fashion-mnist (see helmholtz-ml estimate --help)');
  const sweep = sweepOptionsFromFlags(flags, DEFAULTS, flags.audio ? 'audio' : 'image');
  if ((flags.resume || flags.overwrite) && typeof flags.out !== 'string') {
    throw new UsageError(`--${flags.resume ? 'resume' : 'overwrite'} needs --out FILE (the results file to ${flags.resume ? 'continue' : 'replace'})`);
  }
  if (flags.resume && flags.overwrite) throw new UsageError('--resume and --overwrite exclude each other');
  let size: { width: number; height: number } | undefined;
  if (typeof flags.size === 'string') {
    const m = /^(\d+)x(\d+)$/.exec(flags.size);
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new UsageError(`--size must be WIDTHxHEIGHT, e.g. 32x32, got ${JSON.stringify(flags.size)}`);
    size = { width: Number(m[1]), height: Number(m[2]) };
  }
  const resolve = (p: unknown): string | undefined => (typeof p === 'string' ? path.resolve(io.cwd, p) : undefined);
  const out = resolve(flags.out);
  if (out && !flags.resume && !flags.overwrite) {
    // Refuse before loading anything: a long sweep's results are never replaced by accident.
    const previous = await readResultsFile(out);
    if (previous && previous.cells.length > 0) {
      throw new UsageError(
        `--out ${flags.out} already holds ${previous.cells.length} finished cell(s) (levels ${[...new Set(previous.cells.map((c) => c.level))].join(', ')}): pass --resume to continue that sweep, --overwrite to start afresh, or another --out`,
      );
    }
  }
  const runner = await queueRunnerFromFlags(flags, io);
  if (flags.audio) {
    const resultsFile = out ? { path: out, existing: flags.resume ? ('resume' as const) : flags.overwrite ? ('overwrite' as const) : ('refuse' as const) } : undefined;
    return audioEstimateCommand(flags, io, { results: out, csv: resolve(flags.csv), plot: resolve(flags.plot) }, resultsFile, runner);
  }
  const data = flags.data.startsWith('synthetic:') ? loadSyntheticSpec(flags.data, (flags.seed as number | undefined) ?? 0) : await loadDataSpec(flags.data, {
    cwd: io.cwd,
    trainCount: flags.train as number | undefined,
    testCount: flags.test as number | undefined,
    testFraction: flags['test-fraction'] as number | undefined,
    seed: (flags.seed as number | undefined) ?? 0,
    fit: flags.fit as 'error' | 'fill' | 'cover' | undefined,
    size,
    channels: flags.channels === undefined || flags.channels === 'auto' ? 'auto' : (Number(flags.channels) as 1 | 3),
  });
  io.stderr.write(`Data: ${data.description}\n`);
  return runSweep(
    io,
    { train: data.train, test: data.test },
    { ...sweep, ...(runner ? { runner, workers: undefined } : {}), ...(out ? { resultsFile: { path: out, existing: flags.resume ? 'resume' : flags.overwrite ? 'overwrite' : 'refuse' } } : {}) },
    { results: out, csv: resolve(flags.csv), plot: resolve(flags.plot), dataName: data.name },
    flags.quiet === true,
  );
}
