/**
 * The audio side of the CLI: `helmholtz-ml demo --audio` (synthetic guitar effects) and
 * `helmholtz-ml estimate --audio --data wav-folder:DIR` (a folder of labeled WAV clips, e.g.
 * IDMT-SMT-Audio-Effects). Same table, JSON and plot as images, with MP3 bitrates as levels.
 */
import path from 'node:path';
import { syntheticGuitarEffects } from '../data/synthetic-audio.js';
import { loadWavFolderDataset } from '../node/loaders/wav-folder.js';
import { DEFAULT_AUDIO_LEVELS } from '../noise/levels.js';
import type { AudioDataset } from '../noise/types.js';
import type { NodeEstimateNoiseOptions } from '../node/estimate.js';
import { createRandom } from '../util/random.js';
import { UsageError, type FlagValues } from './args.js';
import { runSweep, sweepOptionsFromFlags, type CliIo, type SweepOutputs } from './sweep.js';

/**
 * The audio demo's defaults, sized to finish in about 2-3 minutes on 2 cores (see docs/cli.md):
 * 1 s clips (the paper's are 2 s) and a 64-band, 1024-hop spectrogram (64 x 44 instead of the
 * paper's 96 x 173) keep training affordable; the MP3 levels are the paper's.
 */
export const AUDIO_DEMO_DEFAULTS = {
  levels: [8, 16, 32, 64, 96, 160],
  repeats: 2,
  epochs: 16,
  width: 0.5,
  batchSize: 8,
  train: 360,
  test: 240,
  duration: 1,
  features: { nMels: 64, hopLength: 1024 },
};

/**
 * Defaults of `estimate --audio` (the paper's protocol, Adam unless --optimizer paper).
 * `batchSize` is the cap (the paper's 50) of the default, which scales to the data
 * (`defaultBatchSize` in batch-size.ts: floor(fitted clips / 40), in 8..50).
 */
export const AUDIO_ESTIMATE_DEFAULTS = { levels: [...DEFAULT_AUDIO_LEVELS], epochs: 10, width: 1, batchSize: 50 };

/** Runs `helmholtz-ml demo --audio` with already parsed flags. Returns the exit code. */
export async function audioDemoCommand(flags: FlagValues, io: CliIo): Promise<number> {
  const sweep = sweepOptionsFromFlags(flags, AUDIO_DEMO_DEFAULTS, 'audio');
  const train = (flags.train as number | undefined) ?? AUDIO_DEMO_DEFAULTS.train;
  const test = (flags.test as number | undefined) ?? AUDIO_DEMO_DEFAULTS.test;
  const duration = (flags.duration as number | undefined) ?? AUDIO_DEMO_DEFAULTS.duration;
  const seed = (flags.seed as number | undefined) ?? 0;
  if (train < 12 || test < 12) throw new UsageError(`--train and --test must be at least 12 with --audio so every effect class appears, got ${train} and ${test}`);
  const outDir = path.resolve(io.cwd, typeof flags['out-dir'] === 'string' ? flags['out-dir'] : '.');
  const data: AudioDataset = {
    train: syntheticGuitarEffects({ count: train, duration, seed: 2 * seed + 1 }),
    test: syntheticGuitarEffects({ count: test, duration, seed: 2 * seed + 2 }),
  };
  const features = { ...AUDIO_DEMO_DEFAULTS.features, normalize: 'standardize' as const };
  io.stderr.write(
    `Audio demo: ${train} train / ${test} test synthetic guitar notes of ${duration} s at 44.1 kHz, 12 effect classes; ${features.nMels} mel bands, hop ${features.hopLength}; model ${sweep.model} at width ${sweep.modelOptions?.widthMultiplier}, ${sweep.epochs} epochs per bitrate, levels ${sweep.levels?.join(', ')} kbps\n`,
  );
  const results = path.join(outDir, 'helmholtz-demo-audio.json');
  return runSweep(
    io,
    data,
    { ...sweep, features, resultsFile: { path: results, existing: 'overwrite' } },
    { results, plot: path.join(outDir, 'helmholtz-demo-audio.svg'), dataName: 'synthetic guitar effects (12 classes)' },
    flags.quiet === true,
  );
}

/**
 * Loads `--data wav-folder:DIR` for `estimate --audio`: one subfolder of WAV files per class
 * (DIR/train and DIR/test if both exist, else a stratified split by --test-fraction, 0.25 as the
 * paper), resampled to --sample-rate.
 */
export async function loadWavSpec(spec: string, flags: FlagValues, cwd: string): Promise<AudioDataset & { name: string; description: string }> {
  const colon = spec.indexOf(':');
  const kind = colon > 0 ? spec.slice(0, colon) : spec;
  const rest = colon > 0 ? spec.slice(colon + 1) : '';
  if (kind !== 'wav-folder') throw new UsageError(`--data must be wav-folder:DIR with --audio (one subfolder of WAV clips per class), got ${JSON.stringify(spec)}`);
  if (!rest) throw new UsageError('--data wav-folder:DIR needs the folder with one subfolder of WAV clips per class');
  const dir = path.resolve(cwd, rest);
  const sampleRate = (flags['sample-rate'] as number | undefined) ?? 44100;
  const data = await loadWavFolderDataset(dir, {
    sampleRate,
    testFraction: (flags['test-fraction'] as number | undefined) ?? 0.25,
    seed: (flags.seed as number | undefined) ?? 0,
  });
  const subset = (set: AudioDataset['train'], n: number | undefined, seed: number): AudioDataset['train'] => {
    if (n === undefined || n >= set.signals.length) return set;
    const order = createRandom(seed).shuffle(set.signals.map((_, i) => i));
    const pick = order.slice(0, n).sort((a, b) => a - b);
    return { signals: pick.map((i) => set.signals[i]), sampleRate: set.sampleRate, labels: pick.map((i) => set.labels[i]) };
  };
  const seed = (flags.seed as number | undefined) ?? 0;
  const train = subset(data.train, flags.train as number | undefined, seed);
  const test = subset(data.test, flags.test as number | undefined, seed + 1);
  return {
    train,
    test,
    name: `${path.basename(dir)} (WAV folder)`,
    description: `WAV folder (${dir}): ${train.signals.length} train / ${test.signals.length} test clips at ${sampleRate} Hz, ${data.classNames.length} classes (${data.classNames.join(', ')})`,
  };
}

/** Runs `helmholtz-ml estimate --audio` with already parsed flags. Returns the exit code. */
export async function audioEstimateCommand(
  flags: FlagValues,
  io: CliIo,
  outputs: Omit<SweepOutputs, 'dataName'>,
  resultsFile: { path: string; existing: 'resume' | 'overwrite' | 'refuse' } | undefined,
  batchSizeFor: (trainCount: number) => number = () => AUDIO_ESTIMATE_DEFAULTS.batchSize,
  runner?: NodeEstimateNoiseOptions['runner'],
): Promise<number> {
  if (typeof flags.data !== 'string') throw new UsageError('--data is required, e.g. --data wav-folder:IDMT-SMT-AUDIO-EFFECTS/Gitarre\\ monophon/Samples (see helmholtz-ml estimate --help)');
  const sweep = sweepOptionsFromFlags(flags, AUDIO_ESTIMATE_DEFAULTS, 'audio');
  const data = await loadWavSpec(flags.data, flags, io.cwd);
  const batchSize = batchSizeFor(data.train.signals.length);
  if (flags.quiet !== true) io.stderr.write(`Data: ${data.description}; batch size ${batchSize}${flags['batch-size'] === undefined ? ' (scaled to the data)' : ''}\n`);
  const duration = flags.duration as number | undefined;
  return runSweep(
    io,
    { train: data.train, test: data.test },
    { ...sweep, batchSize, ...(duration !== undefined ? { features: { duration } } : {}), ...(resultsFile ? { resultsFile } : {}), ...(runner ? { runner, workers: undefined } : {}) },
    { ...outputs, dataName: data.name },
    flags.quiet === true,
  );
}
