/**
 * `helmholtz-ml demo` (what `npm run demo` runs): a complete noise estimate on embedded synthetic
 * sensor images (shapes and textures plus shot and read noise of known strength), sized to finish
 * in a few minutes on two cores.
 */
import path from 'node:path';
import { syntheticSensorImages } from '../data/synthetic-images.js';
import { UsageError, formatHelp, parseFlags, type FlagSpec } from './args.js';
import { AUDIO_DEMO_DEFAULTS, audioDemoCommand } from './audio-commands.js';
import { runSweep, sweepFlags, sweepOptionsFromFlags, type CliIo } from './sweep.js';

/** The demo's defaults (chosen to finish in at most 3 minutes on 2 cores; see docs/cli.md). */
export const DEMO_DEFAULTS = {
  levels: [1, 5, 20, 100],
  epochs: 8,
  repeats: 2,
  width: 0.25,
  batchSize: 16,
  train: 800,
  test: 300,
  size: 32,
  classes: 6,
  noise: 12,
};

const FLAGS: FlagSpec[] = [
  { name: 'audio', type: 'boolean', help: `The audio demo: synthetic guitar notes through the 12 IDMT effect classes, MP3 at each bitrate, mel spectrograms, the audio model A; writes helmholtz-demo-audio.json/.svg. Its defaults: --train ${AUDIO_DEMO_DEFAULTS.train} --test ${AUDIO_DEMO_DEFAULTS.test} --duration ${AUDIO_DEMO_DEFAULTS.duration} --width ${AUDIO_DEMO_DEFAULTS.width} --epochs ${AUDIO_DEMO_DEFAULTS.epochs} --batch-size ${AUDIO_DEMO_DEFAULTS.batchSize} --levels ${AUDIO_DEMO_DEFAULTS.levels.join(',')} (kbps), ${AUDIO_DEMO_DEFAULTS.features.nMels} mel bands, hop ${AUDIO_DEMO_DEFAULTS.features.hopLength}.` },
  { name: 'duration', type: 'number', metavar: 'S', min: 0.3, max: 10, help: 'With --audio: seconds per synthetic clip.', defaultText: String(AUDIO_DEMO_DEFAULTS.duration) },
  { name: 'out-dir', type: 'string', metavar: 'DIR', help: 'Where to write helmholtz-demo.json (the results file: levels, settings, estimate) and helmholtz-demo.svg (the plot).', defaultText: 'the current directory' },
  { name: 'train', type: 'integer', metavar: 'N', min: 10, max: 1_000_000, help: 'Synthetic training images.', defaultText: String(DEMO_DEFAULTS.train) },
  { name: 'test', type: 'integer', metavar: 'N', min: 10, max: 1_000_000, help: 'Synthetic test images.', defaultText: String(DEMO_DEFAULTS.test) },
  { name: 'size', type: 'integer', metavar: 'PX', min: 8, max: 512, help: 'Image width and height in pixels.', defaultText: String(DEMO_DEFAULTS.size) },
  { name: 'classes', type: 'integer', metavar: 'N', min: 2, max: 12, help: 'Classes (disk, square, triangle, ring, cross, stripes, ...).', defaultText: String(DEMO_DEFAULTS.classes) },
  { name: 'noise', type: 'number', metavar: 'DN', min: 0, max: 255, help: 'Simulated sensor noise: total standard deviation at mid-gray in 8-bit steps (half shot, half read noise). More noise moves the knee toward stronger compression.', defaultText: String(DEMO_DEFAULTS.noise) },
  ...sweepFlags({
    levels: DEMO_DEFAULTS.levels.join(','),
    epochs: String(DEMO_DEFAULTS.epochs),
    width: String(DEMO_DEFAULTS.width),
    batchSize: String(DEMO_DEFAULTS.batchSize),
    repeats: String(DEMO_DEFAULTS.repeats),
  }),
];

/** The `demo` help text. */
export const DEMO_HELP = formatHelp(
  'demo',
  'helmholtz-ml demo [flags]',
  'Runs a complete noise estimate on embedded synthetic sensor images (no download): compresses them with JPEG at each level, trains a small classifier at each, and prints the table (level, Q, accuracy, epochs to converge, bits per pixel), the knee (N_approx), the content bits and the recommendation. Writes helmholtz-demo.json and helmholtz-demo.svg. Takes about 2-3 minutes on 2 cores with the defaults.',
  FLAGS,
  'Example: helmholtz-ml demo --noise 24 --out-dir /tmp   (more sensor noise: the knee moves to stronger compression)',
);

/** Runs `helmholtz-ml demo`. Returns the exit code. */
export async function demoCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(argv, FLAGS, 'demo');
  if (flags.help) {
    io.stdout.write(DEMO_HELP);
    return 0;
  }
  if (flags.audio) return audioDemoCommand(flags, io);
  const sweep = sweepOptionsFromFlags(flags, DEMO_DEFAULTS);
  const train = (flags.train as number | undefined) ?? DEMO_DEFAULTS.train;
  const test = (flags.test as number | undefined) ?? DEMO_DEFAULTS.test;
  const size = (flags.size as number | undefined) ?? DEMO_DEFAULTS.size;
  const classes = (flags.classes as number | undefined) ?? DEMO_DEFAULTS.classes;
  const noise = (flags.noise as number | undefined) ?? DEMO_DEFAULTS.noise;
  const seed = (flags.seed as number | undefined) ?? 0;
  if (train < classes || test < classes) throw new UsageError(`--train and --test must be at least --classes (${classes}) so every class appears, got ${train} and ${test}`);
  const outDir = path.resolve(io.cwd, typeof flags['out-dir'] === 'string' ? flags['out-dir'] : '.');
  const data = {
    train: syntheticSensorImages({ count: train, size, channels: 3, classes, noise, seed: 2 * seed + 1 }),
    test: syntheticSensorImages({ count: test, size, channels: 3, classes, noise, seed: 2 * seed + 2 }),
  };
  io.stderr.write(
    `Demo: ${train} train / ${test} test synthetic ${size}x${size} RGB images, ${classes} classes, sensor noise ${noise} DN; model ${sweep.model} at width ${sweep.modelOptions?.widthMultiplier}, ${sweep.epochs} epochs per training, ${sweep.repeats} repeats per level, levels ${sweep.levels?.join(', ')}\n`,
  );
  return runSweep(
    io,
    data,
    { ...sweep, resultsFile: { path: path.join(outDir, 'helmholtz-demo.json'), existing: 'overwrite' } },
    { results: path.join(outDir, 'helmholtz-demo.json'), plot: path.join(outDir, 'helmholtz-demo.svg'), dataName: `synthetic sensor images, noise ${noise} DN` },
    flags.quiet === true,
  );
}
