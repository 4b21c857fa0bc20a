/** Reads the librosa reference fixtures in test/fixtures/librosa (see its README.md). */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { MelSpectrogramOptions } from '../../src/audio/mel.js';

export const LIBROSA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'librosa');

/** A float32 little-endian file as a Float32Array. */
export function readF32(file: string): Float32Array {
  const b = readFileSync(file);
  const out = new Float32Array(b.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = b.readFloatLE(4 * i);
  return out;
}

export interface LibrosaCase {
  name: string;
  input: Float32Array;
  options: MelSpectrogramOptions;
  shape: [number, number];
  mel: Float32Array;
  ampDb: Float32Array;
  powDb: Float32Array;
}

interface SharedCase {
  name: string; sampleRate: number; nFft: number; hopLength: number; nMels: number; padMode: 'constant' | 'reflect';
  samples: number; shape: [number, number];
}

/** The cases copied from the shared librosa 0.10.0 fixtures (silence's input is all zeros). */
export function sharedCases(): LibrosaCase[] {
  const spec = JSON.parse(readFileSync(path.join(LIBROSA_DIR, 'cases.json'), 'utf8')) as { cases: SharedCase[] };
  return spec.cases
    .filter((c) => existsSync(path.join(LIBROSA_DIR, `${c.name}.mel.f32`)))
    .map((c) => {
      const inputFile = path.join(LIBROSA_DIR, `${c.name}.input.f32`);
      return {
        name: c.name,
        input: existsSync(inputFile) ? readF32(inputFile) : new Float32Array(c.samples),
        options: { sampleRate: c.sampleRate, nFft: c.nFft, hopLength: c.hopLength, nMels: c.nMels, padMode: c.padMode },
        shape: c.shape,
        mel: readF32(path.join(LIBROSA_DIR, `${c.name}.mel.f32`)),
        ampDb: readF32(path.join(LIBROSA_DIR, `${c.name}.amp_db.f32`)),
        powDb: readF32(path.join(LIBROSA_DIR, `${c.name}.pow_db.f32`)),
      };
    });
}

/** The cases made by scripts/make-mel-fixtures.py with librosa 0.10.0's source. */
export function generatedCases(): LibrosaCase[] {
  const dir = path.join(LIBROSA_DIR, 'generated');
  const spec = JSON.parse(readFileSync(path.join(dir, 'cases.json'), 'utf8')) as {
    cases: { name: string; shape: [number, number]; options: MelSpectrogramOptions }[];
  };
  return spec.cases.map((c) => ({
    name: c.name,
    input: readF32(path.join(dir, `${c.name}.input.f32`)),
    options: c.options,
    shape: c.shape,
    mel: readF32(path.join(dir, `${c.name}.mel.f32`)),
    ampDb: readF32(path.join(dir, `${c.name}.amp_db.f32`)),
    powDb: readF32(path.join(dir, `${c.name}.pow_db.f32`)),
  }));
}

/** The filterbanks: the shared 44.1 kHz one and the generated ones. */
export function melBases(): { options: MelSpectrogramOptions; shape: [number, number]; weights: Float32Array }[] {
  const dir = path.join(LIBROSA_DIR, 'generated');
  const spec = JSON.parse(readFileSync(path.join(dir, 'cases.json'), 'utf8')) as {
    melBases: { file: string; shape: [number, number]; options: MelSpectrogramOptions }[];
  };
  return [
    { options: { sampleRate: 44100, nFft: 2048, nMels: 96 }, shape: [96, 1025], weights: readF32(path.join(LIBROSA_DIR, 'melbasis_44100_2048_96.f32')) },
    ...spec.melBases.map((b) => ({ options: b.options, shape: b.shape, weights: readF32(path.join(dir, b.file)) })),
  ];
}

/** Largest relative error over the reference bins above `floor` times the reference maximum. */
export function maxRelativeError(ours: ArrayLike<number>, ref: ArrayLike<number>, floor = 1e-6): number {
  let max = 0;
  for (let i = 0; i < ref.length; i++) max = Math.max(max, ref[i]);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    if (ref[i] > floor * max) worst = Math.max(worst, Math.abs(ours[i] - ref[i]) / ref[i]);
  }
  return worst;
}

/**
 * The floor of {@link maxRelativeError} for values that are `power`-th powers of magnitudes when
 * the floor is meant in power (squared magnitude): `db` below the maximum power.
 */
export function powerFloor(db: number, power = 2): number {
  return 10 ** ((-db / 10) * (power / 2));
}

/** Largest absolute difference where `keep(i)` holds. */
export function maxAbsoluteErrorWhere(ours: ArrayLike<number>, ref: ArrayLike<number>, keep: (i: number) => boolean): number {
  let worst = 0;
  for (let i = 0; i < ref.length; i++) if (keep(i)) worst = Math.max(worst, Math.abs(ours[i] - ref[i]));
  return worst;
}

/** Largest absolute difference. */
export function maxAbsoluteError(ours: ArrayLike<number>, ref: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ours[i] - ref[i]));
  return worst;
}
