/**
 * A synthetic stand-in for IDMT-SMT-Audio-Effects: plucked-string notes at random pitches and
 * dynamics, each rendered through one of the twelve effect classes with randomized parameters.
 * The embedded default data set of the audio sweep.
 *
 * @example
 * const { signals, labels, classNames } = syntheticGuitarEffects({ count: 120, seed: 1 });
 * classNames[labels[0]]; // e.g. 'Chorus'
 */
import { applyGuitarEffect, GUITAR_EFFECTS, randomEffectParameters } from '../audio/effects.js';
import type { EffectParameters, GuitarEffect } from '../audio/effects.js';
import { pluckedString } from '../audio/pluck.js';
import { checkInteger, checkNumber, describe } from '../util/checks.js';
import { createRandom } from '../util/random.js';

export interface SyntheticGuitarOptions {
  /** Number of clips; classes are balanced (count / classes each, the rest spread over the first). */
  count: number;
  /** Seed of every random choice. Default 0. */
  seed?: number;
  /** Clip length in seconds. Default 2 (as IDMT-SMT-Audio-Effects). */
  duration?: number;
  /** Sample rate in Hz. Default 44100. */
  sampleRate?: number;
  /** The classes to render, a subset of {@link GUITAR_EFFECTS}. Default all twelve. */
  effects?: readonly GuitarEffect[];
}

export interface SyntheticGuitarDataset {
  signals: Float32Array[];
  /** Index into `classNames` for each clip. */
  labels: number[];
  sampleRate: number;
  classNames: GuitarEffect[];
  /** What was drawn for each clip: the note and the effect's parameters. */
  notes: { midi: number; frequency: number; velocity: number; effect: EffectParameters }[];
}

/**
 * Renders a labeled, shuffled, reproducible set of effected guitar notes. Pitches are MIDI
 * 40..76 (E2..E5, the guitar's range), velocities 0.4..1, decay 0.8..2.5 s; each clip is peak
 * normalized to a random level in 0.5..0.9 so loudness does not give the class away.
 *
 * @example
 * syntheticGuitarEffects({ count: 24, duration: 1, seed: 7 }).signals[0].length; // 44100
 */
export function syntheticGuitarEffects(options: SyntheticGuitarOptions): SyntheticGuitarDataset {
  const count = checkInteger('count', options.count, 1, 10_000_000);
  const duration = checkNumber('duration', options.duration ?? 2, 0.05, 60);
  const sampleRate = checkInteger('sampleRate', options.sampleRate ?? 44100, 8000, 192000);
  const classNames = [...(options.effects ?? GUITAR_EFFECTS)];
  if (classNames.length === 0 || classNames.some((e) => !GUITAR_EFFECTS.includes(e))) {
    throw new RangeError(`effects must be a non-empty subset of ${GUITAR_EFFECTS.join(', ')}, got ${describe(options.effects)}`);
  }
  const random = createRandom(options.seed ?? 0);
  const labels = random.shuffle(Array.from({ length: count }, (_, i) => i % classNames.length));
  const signals: Float32Array[] = [];
  const notes: SyntheticGuitarDataset['notes'] = [];
  for (const label of labels) {
    const midi = 40 + random.int(37);
    const frequency = 440 * 2 ** ((midi - 69) / 12);
    const velocity = random.uniform(0.4, 1);
    const dry = pluckedString({
      frequency,
      duration,
      sampleRate,
      velocity,
      decaySeconds: random.uniform(0.8, 2.5),
      pickPosition: random.uniform(0.1, 0.3),
      seed: random.int(2 ** 31),
    });
    // a short silence before the attack, as in recorded notes
    const onset = random.int(Math.round(0.05 * sampleRate));
    const shifted = new Float32Array(dry.length);
    shifted.set(dry.subarray(0, dry.length - onset), onset);
    const effect = randomEffectParameters(classNames[label], random);
    const wet = applyGuitarEffect(shifted, sampleRate, effect);
    let peak = 0;
    for (let i = 0; i < wet.length; i++) peak = Math.max(peak, Math.abs(wet[i]));
    const gain = peak > 0 ? random.uniform(0.5, 0.9) / peak : 0;
    for (let i = 0; i < wet.length; i++) wet[i] *= gain;
    signals.push(wet);
    notes.push({ midi, frequency, velocity, effect });
  }
  return { signals, labels, sampleRate, classNames, notes };
}
