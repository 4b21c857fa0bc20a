/**
 * The method's own check: the same sweep on synthetic sensor images whose noise is known, at
 * three noise strengths (0, 12 and 40 DN), each level trained `repeats` times (intervals printed). More sensor noise means more of each pixel's bits are noise, so the
 * compression that removes only noise goes further: the knee should move toward stronger
 * compression (lower JPEG quality) and the content bits at the knee should not grow.
 *
 *   npx tsx examples/noise-vs-knee.ts                 # three sweeps x 3 repeats (tens of minutes on 2 cores)
 *   npx tsx examples/noise-vs-knee.ts --tiny          # seconds (the test's settings)
 *   npx tsx examples/noise-vs-knee.ts --noise 0,40 --epochs 10
 *
 * Flags: --noise LIST (DN), --train N, --test N, --size PX, --levels LIST, --width W,
 * --epochs N|auto, --repeats N, --batch-size N, --seed N, --backend NAME, --tiny.
 */
import { pathToFileURL } from 'node:url';
import { formatBitsValue, formatMeanCi, syntheticSensorImages, type NoiseEstimate } from 'helmholtz-ml';
import { estimateNoise } from 'helmholtz-ml/node';

/** What the example runs. */
export interface NoiseVsKneeSettings {
  /** Sensor noise strengths to compare, in DN at mid-gray (see `syntheticSensorImages`). */
  noise: number[];
  train: number;
  test: number;
  size: number;
  classes: number;
  levels: number[];
  width: number;
  /** Epochs per training, or 'auto' (until the validation accuracy stops improving: patience 5, at most 100). */
  epochs: number | 'auto';
  /** Trainings per level (the intervals are t over these). */
  repeats: number;
  batchSize: number;
  backend: 'auto' | 'wasm' | 'cpu' | 'tensorflow';
  /** The sweeps' seed (weights, shuffles; each repeat derives its own). Default 0. */
  seed?: number;
}

/** The demo's settings (`helmholtz-ml demo`), at a clean and a noisy sensor. */
export const DEFAULT_SETTINGS: NoiseVsKneeSettings = {
  noise: [0, 12, 40],
  train: 800,
  test: 300,
  size: 32,
  classes: 6,
  levels: [1, 3, 5, 10, 20, 50, 100],
  width: 0.25,
  epochs: 10,
  repeats: 3,
  batchSize: 16,
  backend: 'auto',
};

/** Seconds, not minutes: tiny images, one epoch, three levels. */
export const TINY_SETTINGS: NoiseVsKneeSettings = {
  noise: [0, 12, 40],
  train: 60,
  test: 30,
  size: 16,
  classes: 3,
  levels: [5, 50, 100],
  width: 0.125,
  epochs: 1,
  repeats: 2,
  batchSize: 16,
  backend: 'auto',
};

/** One sweep's outcome at one noise strength. */
export interface NoiseVsKneeRow {
  noise: number;
  estimate: NoiseEstimate;
}

/**
 * Runs one sweep per noise strength (same seeds, same model, same levels) and returns them.
 *
 * @example
 * const rows = await runNoiseVsKnee(TINY_SETTINGS);
 * rows.map((r) => [r.noise, r.estimate.knee?.level]);
 */
export async function runNoiseVsKnee(settings: NoiseVsKneeSettings, log: (line: string) => void = () => {}): Promise<NoiseVsKneeRow[]> {
  const rows: NoiseVsKneeRow[] = [];
  for (const noise of settings.noise) {
    const make = (count: number, seed: number) =>
      syntheticSensorImages({ count, size: settings.size, channels: 3, classes: settings.classes, noise, seed });
    const estimate = await estimateNoise({
      data: { train: make(settings.train, 1), test: make(settings.test, 2) },
      levels: settings.levels,
      model: 'A',
      modelOptions: { widthMultiplier: settings.width },
      epochs: settings.epochs,
      repeats: settings.repeats,
      batchSize: settings.batchSize,
      backend: settings.backend,
      seed: settings.seed ?? 0,
    });
    const curve = estimate.levels.map((l) => `q${l.level} ${formatMeanCi(l.accuracy, l.accuracyCi)}`).join(', ');
    const k = estimate.knee;
    const knee = k ? `q ${k.level} (range q ${k.range[0]}..${k.range[1]}, support ${Math.round(100 * k.support)}%)` : `none (${estimate.kneeReason})`;
    const bits = estimate.content ? `${formatBitsValue(estimate.content.measured)} bpp measured` : '- bpp';
    log(`noise ${noise} DN: knee ${knee}, ${bits}; accuracy (95% CI, ${settings.repeats} runs) ${curve}`);
    rows.push({ noise, estimate });
  }
  return rows;
}

/** Settings from `--flag value` arguments. */
export function settingsFromArgs(argv: readonly string[]): NoiseVsKneeSettings {
  const s: NoiseVsKneeSettings = argv.includes('--tiny') ? { ...TINY_SETTINGS } : { ...DEFAULT_SETTINGS };
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, fallback: number): number => {
    const v = value(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new RangeError(`--${name} must be a number, got ${JSON.stringify(v)}`);
    return n;
  };
  const list = (name: string, fallback: number[]): number[] => {
    const v = value(name);
    if (v === undefined) return fallback;
    const xs = v.split(',').map(Number);
    if (xs.some((x) => !Number.isFinite(x))) throw new RangeError(`--${name} must be a comma-separated list of numbers, got ${JSON.stringify(v)}`);
    return xs;
  };
  s.noise = list('noise', s.noise);
  s.levels = list('levels', s.levels);
  s.train = num('train', s.train);
  s.test = num('test', s.test);
  s.size = num('size', s.size);
  s.width = num('width', s.width);
  if (value('epochs') === 'auto') s.epochs = 'auto';
  else if (value('epochs') !== undefined) s.epochs = num('epochs', 0);
  s.repeats = num('repeats', s.repeats);
  s.batchSize = num('batch-size', s.batchSize);
  if (value('seed') !== undefined) s.seed = num('seed', 0);
  const backend = value('backend');
  if (backend !== undefined) s.backend = backend as NoiseVsKneeSettings['backend'];
  return s;
}

const isMain = typeof process !== 'undefined' && process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const rows = await runNoiseVsKnee(settingsFromArgs(process.argv.slice(2)), (line) => console.log(line));
  const knees = rows.map((r) => r.estimate.knee?.level ?? null);
  console.log(`Knees (JPEG quality) by noise ${rows.map((r) => r.noise).join(' -> ')} DN: ${knees.map((k) => k ?? 'none').join(' -> ')}`);
}
