/** `helmholtz-ml estimate`: the noise estimate of a labeled image dataset from files. */
import path from 'node:path';
import { DEFAULT_CODECS, getCodec } from '../codecs/registry.js';
import { readResultsFile } from '../node/results-file.js';
import { DEFAULT_IMAGE_LEVELS, validateLevels } from '../noise/levels.js';
import { UsageError, formatHelp, parseFlags, type FlagSpec, type FlagValues } from './args.js';
import { DATA_SPEC_HELP, loadDataSpec } from './data.js';
import { AUDIO_ESTIMATE_DEFAULTS, audioEstimateCommand } from './audio-commands.js';
import { defaultBatchSize } from './batch-size.js';
import { checkOutputFiles, type OutputFile } from './outputs.js';
import { runSweep, sweepFlags, sweepOptionsFromFlags, type CliIo } from './sweep.js';
import { QUEUE_FLAGS, SYNTHETIC_SPEC_HELP, loadSyntheticSpec, queueRunnerFromFlags } from './worker-command.js';

/**
 * Defaults of `estimate` on images. `batchSize` is the cap of the default batch size, which
 * scales to the data ({@link defaultBatchSize}: floor(fitted training images / 40), in 8..128).
 */
const DEFAULTS = { levels: [...DEFAULT_IMAGE_LEVELS], epochs: 10, width: 1, batchSize: 128 };

/** Flags that only one modality reads (refused with the other, never silently ignored). */
const AUDIO_ONLY = ['duration', 'sample-rate'];
const IMAGE_ONLY = ['fit', 'size', 'channels'];

const FLAGS: FlagSpec[] = [
  { name: 'audio', type: 'boolean', help: 'Audio: --data wav-folder:DIR (one subfolder of WAV clips per class, e.g. IDMT-SMT-Audio-Effects\' Samples folder), levels are MP3 bitrates in kbps (default 8,16,32,64,96,128,160), features the paper\'s mel spectrogram (96 mels, n_fft 2048, hop 512, dB), batch size 50.' },
  { name: 'duration', type: 'number', metavar: 'S', min: 0.01, max: 3600, help: 'With --audio: pad or cut every clip to S seconds.', defaultText: 'the longest clip' },
  { name: 'sample-rate', type: 'integer', metavar: 'HZ', min: 8000, max: 192000, help: 'With --audio: resample every clip to this rate.', defaultText: '44100' },
  { name: 'data', type: 'string', metavar: 'SPEC', help: 'The labeled images (required): cifar10:DIR, idx:DIR, idx:IMAGES,LABELS, idx:TRAIN_IMG,TRAIN_LBL,TEST_IMG,TEST_LBL or folder:DIR (see below).' },
  { name: 'train', type: 'integer', metavar: 'N', min: 1, help: 'Use a seeded random subset of N training images.', defaultText: 'all' },
  { name: 'test', type: 'integer', metavar: 'N', min: 1, help: 'Use a seeded random subset of N test images.', defaultText: 'all' },
  { name: 'test-fraction', type: 'number', metavar: 'F', min: 0.001, max: 0.999, help: 'Share of each class held out for testing when the data has no test split (idx:IMAGES,LABELS; folder:DIR or wav-folder:DIR without train/ and test/).', defaultText: '0.2 (0.25 with --audio, as the paper)' },
  { name: 'fit', type: 'string', metavar: 'MODE', choices: ['error', 'fill', 'cover'], help: 'folder: images of another size than --size (or the first image): "error" refuses them, "fill" stretches, "cover" scales and crops the center.', defaultText: 'error' },
  { name: 'size', type: 'string', metavar: 'WxH', help: 'folder: the image size to train at, e.g. 32x32 (with --fit fill or cover to resize).', defaultText: 'the first image\'s size' },
  { name: 'channels', type: 'string', metavar: 'C', choices: ['auto', '1', '3'], help: 'folder: 1 = grayscale, 3 = RGB, auto = grayscale when every image is gray.', defaultText: 'auto' },
  ...sweepFlags({
    levels: `${DEFAULTS.levels.join(',')} (with --audio ${AUDIO_ESTIMATE_DEFAULTS.levels.join(',')})`,
    epochs: String(DEFAULTS.epochs),
    width: String(DEFAULTS.width),
    batchSize: `scaled to the data so an epoch has at least 40 steps: floor(training items x (1 - validation fraction) / 40), at least 8, at most ${DEFAULTS.batchSize} (${AUDIO_ESTIMATE_DEFAULTS.batchSize} with --audio, the paper's)`,
  }).filter((f) => f.name !== 'quiet' && f.name !== 'help'),
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

/**
 * Checks `--codec` and `--levels` (or the defaults) against the data's modality and, for audio,
 * `--sample-rate`: the levels the codec can honour there. Throws {@link UsageError} naming the
 * flag, before any data is loaded.
 */
function checkCodecAndLevels(flags: FlagValues, levels: readonly number[], modality: 'image' | 'audio'): void {
  const codec = getCodec(typeof flags.codec === 'string' ? flags.codec : DEFAULT_CODECS[modality]);
  if (codec.modality !== modality) {
    throw new UsageError(`--codec ${codec.name} compresses ${codec.modality === 'audio' ? 'audio (add --audio)' : 'images (drop --audio)'}; with${modality === 'audio' ? ' --audio' : 'out --audio'} use ${DEFAULT_CODECS[modality]}`);
  }
  const context = modality === 'audio' ? { sampleRate: (flags['sample-rate'] as number | undefined) ?? 44100 } : {};
  const valid = codec.validLevels(context);
  const where = context.sampleRate !== undefined ? ` at --sample-rate ${context.sampleRate}` : '';
  const given = typeof flags.levels === 'string' ? `--levels ${flags.levels}` : `the default levels (${levels.join(',')})`;
  const bad = levels.filter((l) => !valid.includes(l));
  if (bad.length > 0) {
    const list = valid.length > 20 ? `${valid[0]}..${valid[valid.length - 1]}` : valid.join(', ');
    throw new UsageError(`${given}: ${bad.join(', ')} ${bad.length === 1 ? 'is not a level' : 'are not levels'} ${codec.name} can honour${where}; the ${codec.levelName} levels there are ${list}${typeof flags.levels === 'string' ? '' : ' (pass --levels)'}`);
  }
  try {
    validateLevels([...levels], codec, context);
  } catch (err) {
    throw new UsageError(`${given}: ${(err as Error).message}`);
  }
}

/** Runs `helmholtz-ml estimate`. Returns the exit code. */
export async function estimateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(argv, FLAGS, 'estimate');
  if (flags.help) {
    io.stdout.write(ESTIMATE_HELP);
    return 0;
  }
  if (typeof flags.data !== 'string') throw new UsageError('--data is required, e.g. --data idx:/usr/share/datasets/fashion-mnist (see helmholtz-ml estimate --help)');
  const modality = flags.audio ? 'audio' : 'image';
  for (const name of flags.audio ? IMAGE_ONLY : AUDIO_ONLY) {
    if (flags[name] !== undefined) throw new UsageError(flags.audio ? `--${name} is for images (folder:DIR); the audio sweep does not read it` : `--${name} needs --audio (it applies to WAV clips)`);
  }
  const sweep = sweepOptionsFromFlags(flags, modality === 'audio' ? AUDIO_ESTIMATE_DEFAULTS : DEFAULTS, modality);
  checkCodecAndLevels(flags, sweep.levels ?? [], modality);
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
  // Refuse before loading anything: no output replaces a file of another kind (a typo in --out
  // must never cost a file), and a long sweep's results are never replaced by accident.
  const outputs: OutputFile[] = [];
  for (const [flag, kind] of [['out', 'results'], ['csv', 'csv'], ['plot', 'svg']] as const) {
    const p = resolve(flags[flag]);
    if (p) outputs.push({ flag, given: flags[flag] as string, path: p, kind });
  }
  await checkOutputFiles(outputs, { overwrite: flags.overwrite === true });
  if (out && !flags.resume && !flags.overwrite) {
    const previous = await readResultsFile(out);
    if (previous && previous.cells.length > 0) {
      throw new UsageError(
        `--out ${flags.out} already holds ${previous.cells.length} finished cell(s) (levels ${[...new Set(previous.cells.map((c) => c.level))].join(', ')}): pass --resume to continue that sweep, --overwrite to start afresh, or another --out`,
      );
    }
  }
  const quiet = flags.quiet === true;
  const batchSize = (trainCount: number, cap: number): number =>
    (flags['batch-size'] as number | undefined) ?? defaultBatchSize(trainCount, sweep.validationFraction ?? 0.1, cap);
  const runner = await queueRunnerFromFlags(flags, io);
  if (flags.audio) {
    const resultsFile = out ? { path: out, existing: flags.resume ? ('resume' as const) : flags.overwrite ? ('overwrite' as const) : ('refuse' as const) } : undefined;
    return audioEstimateCommand(flags, io, { results: out, csv: resolve(flags.csv), plot: resolve(flags.plot) }, resultsFile, (n) => batchSize(n, AUDIO_ESTIMATE_DEFAULTS.batchSize), runner);
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
  const batch = batchSize(data.train.images.length, DEFAULTS.batchSize);
  if (!quiet) io.stderr.write(`Data: ${data.description}; batch size ${batch}${flags['batch-size'] === undefined ? ' (scaled to the data)' : ''}\n`);
  return runSweep(
    io,
    { train: data.train, test: data.test },
    { ...sweep, batchSize: batch, ...(runner ? { runner, workers: undefined } : {}), ...(out ? { resultsFile: { path: out, existing: flags.resume ? 'resume' : flags.overwrite ? 'overwrite' : 'refuse' } } : {}) },
    { results: out, csv: resolve(flags.csv), plot: resolve(flags.plot), dataName: data.name },
    quiet,
  );
}
