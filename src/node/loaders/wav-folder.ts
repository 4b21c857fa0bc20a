/**
 * Loads a folder of labeled WAV clips: one subfolder per class, as IDMT-SMT-Audio-Effects'
 * `Samples/` folder (`Samples/Chorus/*.wav`, `Samples/NoFX/*.wav`, ...).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { resample } from '../../audio/resample.js';
import { decodeWav, mixToMono } from '../../audio/wav.js';
import type { LabeledSignals } from '../../data/labeled.js';
import { stratifiedSplit } from '../../data/split.js';
import type { StratifiedSplitOptions } from '../../data/split.js';
import { checkInteger, checkNumber } from '../../util/checks.js';
import { listClassFiles, listClassFolders } from './class-folders.js';

export type { LabeledSignals };

export interface WavFolderOptions {
  /** Every clip is resampled (band-limited) to this rate. Default 44100 (the paper's). */
  sampleRate?: number;
  /**
   * Every clip is cut or zero-padded to this many seconds; default: keep each file's length
   * (the audio sweep pads or cuts to one length itself).
   */
  duration?: number;
}

export interface WavFolderSet extends LabeledSignals {
  classNames: string[];
  /** The file each clip came from. */
  files: string[];
}

const WAV_EXTENSIONS: ReadonlySet<string> = new Set(['.wav', '.wave']);

/**
 * Sample rates (Hz) a file may declare: 1 kHz (the lowest `sampleRate` option) to 768 kHz (the
 * highest rate audio interfaces record). Outside it a rate is a corrupt header, and resampling
 * from it would size a signal or a filter from that bogus number.
 */
export const WAV_FILE_RATE_RANGE: readonly [number, number] = [1000, 768000];

/**
 * Reads every `.wav` under `dir/<class>/`, mixes it to mono and resamples it to
 * `options.sampleRate`. 8/16/24/32-bit PCM and 32/64-bit float files are read; anything else,
 * a truncated file, a file without samples or one whose sample rate is outside
 * {@link WAV_FILE_RATE_RANGE} raises an `Error` naming the file and the reason.
 *
 * @example
 * const { signals, labels, classNames } = await loadWavFolder('IDMT-SMT-AUDIO-EFFECTS/Gitarre monophon/Samples');
 */
export async function loadWavFolder(dir: string, options: WavFolderOptions = {}): Promise<WavFolderSet> {
  const sampleRate = checkInteger('sampleRate', options.sampleRate ?? 44100, 1000, 384000);
  const length = options.duration === undefined ? undefined : Math.round(checkNumber('duration', options.duration, 1e-3, 3600) * sampleRate);
  const classNames = await listClassFolders(dir, 'NoFX/1.wav');
  const signals: Float32Array[] = [];
  const labels: number[] = [];
  const files: string[] = [];
  for (let label = 0; label < classNames.length; label++) {
    const classDir = path.join(dir, classNames[label]);
    for (const name of await listClassFiles(classDir, WAV_EXTENSIONS)) {
      const file = path.join(classDir, name);
      const wav = decodeWav(new Uint8Array(await readFile(file)), { name: file });
      if (wav.channelData[0].length === 0) throw new Error(`${file}: the WAV file holds no samples`);
      const [minRate, maxRate] = WAV_FILE_RATE_RANGE;
      if (wav.sampleRate < minRate || wav.sampleRate > maxRate) {
        throw new Error(`${file}: the fmt chunk declares a sample rate of ${wav.sampleRate} Hz, expected ${minRate} to ${maxRate} Hz (a corrupt header?)`);
      }
      let mono = mixToMono(wav.channelData);
      if (wav.sampleRate !== sampleRate) mono = resample(mono, wav.sampleRate, sampleRate);
      if (length !== undefined && mono.length !== length) {
        const fitted = new Float32Array(length);
        fitted.set(mono.subarray(0, length));
        mono = fitted;
      }
      signals.push(mono);
      labels.push(label);
      files.push(file);
    }
  }
  return { signals, sampleRate, labels, classNames, files };
}

/**
 * {@link loadWavFolder}, then a stratified, seeded train/test split (75% / 25% by default, as
 * the paper split IDMT-SMT-Audio-Effects), in the shape `estimateNoise({ modality: 'audio' })`
 * takes.
 *
 * @example
 * const data = await loadWavFolderDataset('Samples', { testFraction: 0.25, seed: 0 });
 */
export async function loadWavFolderDataset(
  dir: string,
  options: WavFolderOptions & StratifiedSplitOptions = {},
): Promise<{ train: LabeledSignals; test: LabeledSignals; classNames: string[] }> {
  const set = await loadWavFolder(dir, options);
  const split = stratifiedSplit(set.labels, { testFraction: options.testFraction ?? 0.25, seed: options.seed ?? 0 });
  const pick = (idx: number[]): LabeledSignals => ({
    signals: idx.map((i) => set.signals[i]),
    sampleRate: set.sampleRate,
    labels: idx.map((i) => set.labels[i]),
  });
  return { train: pick(split.train), test: pick(split.test), classNames: set.classNames };
}
