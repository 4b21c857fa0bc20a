/**
 * The audio sweep, end to end: synthetic guitar-effect notes (the twelve IDMT-SMT-Audio-Effects
 * classes) compressed with MP3 at each bitrate, featurized as the paper did (mel spectrogram in
 * dB), a small audio classifier trained at each bitrate, and the curve, knee and recommendation.
 *
 *   npx tsx examples/audio-sweep.ts                  # ~2-3 minutes on 2 cores
 *   npx tsx examples/audio-sweep.ts --tiny           # a few seconds (the test's settings)
 *   npx tsx examples/audio-sweep.ts --levels 8,32,160 --epochs 12 --width 0.5
 *
 * Flags (or environment variables AUDIO_SWEEP_<NAME>, e.g. AUDIO_SWEEP_EPOCHS=4):
 * --train N, --test N, --duration S, --levels LIST, --width W, --epochs N, --batch-size N,
 * --workers N, --backend NAME, --tiny.
 */
import { pathToFileURL } from 'node:url';
import { bitrateToQ, syntheticGuitarEffects, type NoiseEstimate } from 'helmholtz-ml';
import { estimateNoise } from 'helmholtz-ml/node';

/** What the example runs. */
export interface AudioSweepExampleSettings {
  train: number;
  test: number;
  /** Seconds per clip. */
  duration: number;
  sampleRate: number;
  levels: number[];
  width: number;
  epochs: number;
  batchSize: number;
  workers: number | 'auto';
  backend: 'auto' | 'wasm' | 'cpu' | 'tensorflow';
  /** Featurizer overrides (the paper's 96 mels, n_fft 2048, hop 512 otherwise; the default run uses 64 mels, hop 1024 to train faster). */
  features: { nMels?: number; nFft?: number; hopLength?: number };
}

/** The default run (the demo's settings). */
export const DEFAULT_SETTINGS: AudioSweepExampleSettings = {
  train: 360,
  test: 240,
  duration: 1,
  sampleRate: 44100,
  levels: [8, 16, 32, 64, 96, 160],
  width: 0.5,
  epochs: 16,
  batchSize: 8,
  workers: 'auto',
  backend: 'auto',
  features: { nMels: 64, hopLength: 1024 },
};

/** Seconds, not minutes: 0.5 s clips at 16 kHz, 32 x 32 features, one epoch, three bitrates. */
export const TINY_SETTINGS: AudioSweepExampleSettings = {
  train: 24,
  test: 12,
  duration: 0.5,
  sampleRate: 16000,
  levels: [8, 32, 64],
  width: 0.125,
  epochs: 1,
  batchSize: 8,
  workers: 1,
  backend: 'cpu',
  features: { nMels: 32, nFft: 512, hopLength: 256 },
};

/**
 * Runs the sweep with `settings` and returns the estimate.
 *
 * @example
 * const estimate = await runAudioSweepExample(TINY_SETTINGS);
 * console.log(estimate.knee, estimate.recommendation.reason);
 */
export async function runAudioSweepExample(settings: AudioSweepExampleSettings, log: (line: string) => void = () => {}): Promise<NoiseEstimate> {
  const { train: nTrain, test: nTest, duration, sampleRate } = settings;
  const train = syntheticGuitarEffects({ count: nTrain, seed: 1, duration, sampleRate });
  const test = syntheticGuitarEffects({ count: nTest, seed: 2, duration, sampleRate });
  log(`${nTrain} train / ${nTest} test clips of ${duration} s at ${sampleRate} Hz, ${train.classNames.length} effects; levels ${settings.levels.join(', ')} kbps`);
  return estimateNoise({
    modality: 'audio',
    data: { train, test },
    levels: settings.levels,
    features: { ...settings.features, normalize: 'standardize' },
    model: 'A',
    modelOptions: { widthMultiplier: settings.width },
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    optimizer: 'adam',
    workers: settings.workers,
    backend: settings.backend,
    // One training per level keeps the example short; raise `repeats` for intervals over seeds.
    repeats: 1,
    onCellComplete: (r) => log(`${String(r.level).padStart(3)} kbps  Q ${bitrateToQ(r.level, settings.levels).toFixed(2)}  accuracy ${r.accuracy.toFixed(3)}  (${r.seconds.toFixed(0)} s)`),
  });
}

/** Settings from `--flag value` arguments and `AUDIO_SWEEP_*` variables. */
export function settingsFromArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): AudioSweepExampleSettings {
  const s: AudioSweepExampleSettings = argv.includes('--tiny') || env.AUDIO_SWEEP_TINY === '1' ? { ...TINY_SETTINGS } : { ...DEFAULT_SETTINGS };
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : env[`AUDIO_SWEEP_${name.toUpperCase().replace(/-/g, '_')}`];
  };
  const num = (name: string, fallback: number): number => {
    const v = value(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new RangeError(`--${name} must be a number, got ${JSON.stringify(v)}`);
    return n;
  };
  s.train = num('train', s.train);
  s.test = num('test', s.test);
  s.duration = num('duration', s.duration);
  s.width = num('width', s.width);
  s.epochs = num('epochs', s.epochs);
  s.batchSize = num('batch-size', s.batchSize);
  const levels = value('levels');
  if (levels !== undefined) s.levels = levels.split(',').map(Number);
  const workers = value('workers');
  if (workers !== undefined) s.workers = workers === 'auto' ? 'auto' : Number(workers);
  const backend = value('backend');
  if (backend !== undefined) s.backend = backend as AudioSweepExampleSettings['backend'];
  return s;
}

const isMain = typeof process !== 'undefined' && process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const started = performance.now();
  const estimate = await runAudioSweepExample(settingsFromArgs(process.argv.slice(2), process.env), (line) => console.log(line));
  console.log(estimate.knee ? `Knee (N_approx): ${estimate.knee.level} kbps (Q ${estimate.knee.Q.toFixed(2)})` : 'No knee: accuracy does not fall off over these bitrates');
  console.log(`Recommendation: ${estimate.recommendation.reason}`);
  console.log(`Done in ${((performance.now() - started) / 1000).toFixed(0)} s on backend ${estimate.backend}`);
}
