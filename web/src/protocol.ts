/**
 * Messages between the page (web/src/main.ts) and the training worker (web/src/worker.ts).
 * Everything is structured-cloneable plain data: images as the library's `Image`, clips as
 * `Float32Array`, results as the sweep's plain JSON (`RunResult`, `NoiseEstimate`).
 */
import type { Image, NoiseEstimate, ProgressEvent, RunResult } from 'helmholtz-ml';

/** Where the data comes from. */
export type DataSource =
  | { kind: 'synthetic-images'; count: number; size: number; classes: number; noise: number }
  | { kind: 'synthetic-audio'; count: number; duration: number }
  | { kind: 'images'; images: Image[]; labels: number[]; classNames: string[]; name: string }
  | { kind: 'audio'; signals: Float32Array[]; sampleRate: number; labels: number[]; classNames: string[]; name: string };

/** The backends the page offers, best first; `'auto'` takes the first that starts. */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** The sweep's settings as the page shows them (library defaults unless changed). */
export interface RunSettings {
  codec: string;
  levels: number[];
  model: string;
  widthMultiplier: number;
  epochs: number;
  repeats: number;
  backend: 'auto' | BackendName;
  seed: number;
}

/** Page to worker. */
export type ToWorker = { type: 'run'; source: DataSource; settings: RunSettings } | { type: 'stop' };

/** One level of the strip: an RGBA picture of a test image (or spectrogram) after the round trip. */
export interface StripItem {
  level: number;
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  /** 'spectrogram' for audio, 'image' for images. */
  kind: 'image' | 'spectrogram';
}

/** Worker to page. */
export type FromWorker =
  | { type: 'backend'; backend: string; reason: string; tried: string[] }
  | { type: 'data'; modality: 'image' | 'audio'; trainCount: number; testCount: number; classes: number; classNames: string[] }
  | { type: 'strip'; items: StripItem[] }
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'cell'; result: RunResult }
  | { type: 'done'; estimate: NoiseEstimate; seconds: number }
  | { type: 'stopped'; cells: RunResult[] }
  | { type: 'error'; message: string };
