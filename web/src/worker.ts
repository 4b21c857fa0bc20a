/**
 * The training worker: builds the data set, starts the backend, runs `estimateNoise` with live
 * progress and per-cell results, renders the strip of one test item at every level, and stops
 * (keeping finished cells) when the page asks.
 */
import '@tensorflow/tfjs-layers';
import {
  estimateNoise,
  getCodec,
  melSpectrogram,
  packImages,
  stratifiedSplit,
  syntheticGuitarEffects,
  syntheticSensorImages,
  SYNTHETIC_IMAGE_CLASSES,
  unpackImages,
  type EstimateNoiseOptions,
  type Image,
  type ImageDataset,
  type AudioDataset,
  type RunResult,
  type SignalBatch,
  type ImageBatch,
} from 'helmholtz-ml';
import { pickBackend } from './backend.js';
import type { DataSource, FromWorker, RunSettings, StripItem, ToWorker } from './protocol.js';

const post = (message: FromWorker, transfer: Transferable[] = []): void => (self as unknown as Worker).postMessage(message, transfer);

let controller: AbortController | null = null;
let finished: RunResult[] = [];

function pick<T>(items: readonly T[], indices: readonly number[]): T[] {
  return indices.map((i) => items[i]);
}

/** The data source as a train/test data set (folders: a stratified 75/25 split). */
function dataset(source: DataSource, seed: number): { modality: 'image'; data: ImageDataset; classNames: string[] } | { modality: 'audio'; data: AudioDataset; classNames: string[] } {
  if (source.kind === 'synthetic-images') {
    const make = (count: number, s: number) => syntheticSensorImages({ count, size: source.size, classes: source.classes, noise: source.noise, seed: s });
    const train = make(source.count, seed + 1);
    const test = make(Math.max(10, Math.round(source.count / 4)), seed + 2);
    return { modality: 'image', data: { train: { images: train.images, labels: [...train.labels] }, test: { images: test.images, labels: [...test.labels] } }, classNames: SYNTHETIC_IMAGE_CLASSES.slice(0, source.classes) };
  }
  if (source.kind === 'synthetic-audio') {
    const effects = ['NoFX', 'Distortion', 'Tremolo', 'FeedbackDelay'] as const;
    const make = (count: number, s: number) => syntheticGuitarEffects({ count, duration: source.duration, sampleRate: 16000, effects, seed: s });
    const train = make(source.count, seed + 1);
    const test = make(Math.max(8, Math.round(source.count / 4)), seed + 2);
    return { modality: 'audio', data: { train, test }, classNames: [...effects] };
  }
  const split = stratifiedSplit(source.labels, { testFraction: 0.25, seed });
  if (source.kind === 'images') {
    const part = (idx: number[]) => ({ images: pick(source.images, idx), labels: pick(source.labels, idx) });
    return { modality: 'image', data: { train: part(split.train), test: part(split.test) }, classNames: source.classNames };
  }
  const part = (idx: number[]) => ({ signals: pick(source.signals, idx), labels: pick(source.labels, idx), sampleRate: source.sampleRate });
  return { modality: 'audio', data: { train: part(split.train), test: part(split.test) }, classNames: source.classNames };
}

/** Gray-to-color map (dark blue, teal, yellow) for spectrograms. */
function colormap(t: number): [number, number, number] {
  const stops: [number, number, number][] = [[20, 18, 60], [33, 120, 140], [110, 200, 90], [250, 230, 40]];
  const x = Math.min(0.999, Math.max(0, t)) * (stops.length - 1);
  const i = Math.floor(x);
  const f = x - i;
  return [0, 1, 2].map((c) => Math.round(stops[i][c] + f * (stops[i + 1][c] - stops[i][c]))) as [number, number, number];
}

function imageToRgba(image: Image): StripItem {
  const rgba = new Uint8ClampedArray(image.width * image.height * 4);
  for (let p = 0; p < image.width * image.height; p++) {
    for (let c = 0; c < 3; c++) rgba[p * 4 + c] = image.data[p * image.channels + (image.channels === 3 ? c : 0)];
    rgba[p * 4 + 3] = 255;
  }
  return { level: 0, width: image.width, height: image.height, rgba, kind: 'image' };
}

function spectrogramToRgba(signal: Float32Array, sampleRate: number): StripItem {
  const mel = melSpectrogram(signal, { sampleRate, nFft: 1024, hopLength: 256, nMels: 64 });
  const db = Float32Array.from(mel.data, (v) => 10 * Math.log10(Math.max(v, 1e-10)));
  const top = db.reduce((a, b) => Math.max(a, b), -Infinity);
  const width = mel.nFrames;
  const height = mel.nMels;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let m = 0; m < height; m++) {
    for (let f = 0; f < width; f++) {
      // data is [nMels, nFrames]; low frequencies at the bottom.
      const [r, g, b] = colormap((db[m * width + f] - (top - 80)) / 80);
      const o = ((height - 1 - m) * width + f) * 4;
      rgba[o] = r;
      rgba[o + 1] = g;
      rgba[o + 2] = b;
      rgba[o + 3] = 255;
    }
  }
  return { level: 0, width, height, rgba, kind: 'spectrogram' };
}

/** One test item after the round trip at every level (what the model sees). */
async function strip(set: ReturnType<typeof dataset>, settings: RunSettings): Promise<StripItem[]> {
  const codec = getCodec(settings.codec);
  const items: StripItem[] = [];
  for (const level of settings.levels) {
    if (set.modality === 'image') {
      const batch = packImages([set.data.test.images[0]]);
      const out = (await codec.roundTrip(batch as ImageBatch & SignalBatch, level)) as ImageBatch;
      items.push({ ...imageToRgba(unpackImages(out)[0]), level });
    } else {
      const sampleRate = set.data.test.sampleRate;
      const out = (await codec.roundTrip({ signals: [set.data.test.signals[0]], sampleRate } as ImageBatch & SignalBatch, level)) as SignalBatch;
      items.push({ ...spectrogramToRgba(out.signals[0], out.sampleRate), level });
    }
  }
  return items;
}

async function run(source: DataSource, settings: RunSettings): Promise<void> {
  controller = new AbortController();
  finished = [];
  const picked = await pickBackend(settings.backend);
  post({ type: 'backend', ...picked });
  const set = dataset(source, settings.seed);
  const train = set.data.train.labels;
  post({ type: 'data', modality: set.modality, trainCount: train.length, testCount: set.data.test.labels.length, classes: new Set(train).size, classNames: set.classNames });
  try {
    const items = await strip(set, settings);
    post({ type: 'strip', items }, items.map((i) => i.rgba.buffer as ArrayBuffer));
  } catch (err) {
    console.warn('strip not drawn:', err);
  }
  const common = {
    codec: settings.codec,
    levels: settings.levels,
    model: settings.model as EstimateNoiseOptions['model'],
    modelOptions: { widthMultiplier: settings.widthMultiplier },
    epochs: settings.epochs,
    repeats: settings.repeats,
    seed: settings.seed,
    signal: controller.signal,
    onProgress: (event: Parameters<NonNullable<EstimateNoiseOptions['onProgress']>>[0]) => post({ type: 'progress', event }),
    onCellComplete: (result: RunResult) => {
      finished.push(result);
      post({ type: 'cell', result });
    },
  };
  const options: EstimateNoiseOptions = set.modality === 'image' ? { ...common, data: set.data } : { ...common, modality: 'audio', data: set.data };
  const t0 = performance.now();
  try {
    const estimate = await estimateNoise(options);
    post({ type: 'done', estimate: JSON.parse(JSON.stringify(estimate)), seconds: (performance.now() - t0) / 1000 });
  } catch (err) {
    if (controller.signal.aborted) post({ type: 'stopped', cells: finished });
    else throw err;
  }
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const message = e.data;
  if (message.type === 'stop') {
    controller?.abort(new Error('stopped by the user'));
    return;
  }
  run(message.source, message.settings).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
};
