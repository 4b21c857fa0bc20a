/**
 * The twelve guitar effect classes of the IDMT-SMT-Audio-Effects data set, as real DSP: each
 * function takes a mono signal and its parameters and returns a new signal of the same length.
 * Parameters are explicit (no randomness here); {@link randomEffectParameters} draws them from a
 * musical range for the synthetic data set.
 *
 * @example
 * const wet = applyGuitarEffect(dry, 44100, { effect: 'Tremolo', rateHz: 5, depth: 0.8 });
 */
import { checkFiniteSamples, checkInteger, checkOneOf } from '../util/checks.js';
import type { Random } from '../util/random.js';

/** The effect classes, in the order of IDMT-SMT-Audio-Effects' labels. */
export const GUITAR_EFFECTS = [
  'NoFX',
  'Chorus',
  'Distortion',
  'EQ',
  'FeedbackDelay',
  'Flanger',
  'Overdrive',
  'Phaser',
  'Reverb',
  'SlapbackDelay',
  'Tremolo',
  'Vibrato',
] as const;

export type GuitarEffect = (typeof GUITAR_EFFECTS)[number];

/** Parameters of each effect; times in seconds or milliseconds as named, gains in dB where named. */
export type EffectParameters =
  | { effect: 'NoFX' }
  | { effect: 'Chorus'; delayMs: number; depthMs: number; rateHz: number; mix: number }
  | { effect: 'Distortion'; gainDb: number; toneHz: number }
  | { effect: 'EQ'; centerHz: number; gainDb: number; q: number }
  | { effect: 'FeedbackDelay'; delayMs: number; feedback: number; mix: number }
  | { effect: 'Flanger'; delayMs: number; depthMs: number; rateHz: number; feedback: number; mix: number }
  | { effect: 'Overdrive'; gainDb: number; asymmetry: number }
  | { effect: 'Phaser'; minHz: number; maxHz: number; rateHz: number; feedback: number; stages: number }
  | { effect: 'Reverb'; roomSize: number; damping: number; mix: number }
  | { effect: 'SlapbackDelay'; delayMs: number; level: number }
  | { effect: 'Tremolo'; rateHz: number; depth: number }
  | { effect: 'Vibrato'; rateHz: number; depthMs: number };

/**
 * Draws parameters for `effect` uniformly from a musical range (documented per effect in
 * docs/audio-data.md), with the given random source.
 *
 * @example
 * randomEffectParameters('FeedbackDelay', createRandom(1)); // { effect: 'FeedbackDelay', delayMs: 231.5, ... }
 */
export function randomEffectParameters(effect: GuitarEffect, random: Random): EffectParameters {
  const u = (lo: number, hi: number): number => random.uniform(lo, hi);
  switch (effect) {
    case 'NoFX':
      return { effect };
    case 'Chorus':
      return { effect, delayMs: u(15, 30), depthMs: u(2, 5), rateHz: u(0.6, 2), mix: u(0.4, 0.6) };
    case 'Distortion':
      return { effect, gainDb: u(26, 40), toneHz: u(3000, 6000) };
    case 'EQ':
      return { effect, centerHz: Math.exp(u(Math.log(400), Math.log(3000))), gainDb: (random.next() < 0.5 ? -1 : 1) * u(9, 15), q: u(0.7, 2) };
    case 'FeedbackDelay':
      return { effect, delayMs: u(150, 350), feedback: u(0.35, 0.6), mix: u(0.4, 0.6) };
    case 'Flanger':
      return { effect, delayMs: u(1, 3), depthMs: u(1, 2.5), rateHz: u(0.2, 1), feedback: u(0.5, 0.8), mix: 0.5 };
    case 'Overdrive':
      return { effect, gainDb: u(8, 18), asymmetry: u(0.1, 0.3) };
    case 'Phaser':
      return { effect, minHz: u(200, 500), maxHz: u(1500, 3500), rateHz: u(0.3, 1.5), feedback: u(0.3, 0.6), stages: 4 };
    case 'Reverb':
      return { effect, roomSize: u(0.75, 0.92), damping: u(0.2, 0.5), mix: u(0.3, 0.5) };
    case 'SlapbackDelay':
      return { effect, delayMs: u(60, 130), level: u(0.5, 0.8) };
    case 'Tremolo':
      return { effect, rateHz: u(3, 9), depth: u(0.6, 1) };
    case 'Vibrato':
      return { effect, rateHz: u(4, 8), depthMs: u(0.5, 2) };
  }
}

/**
 * Applies one effect to a mono signal; returns a new `Float32Array` of the same length (tails
 * are cut at the signal's end, as in a fixed-length recording).
 *
 * @example
 * applyGuitarEffect(dry, 44100, { effect: 'SlapbackDelay', delayMs: 90, level: 0.6 });
 */
export function applyGuitarEffect(signal: Float32Array, sampleRate: number, params: EffectParameters): Float32Array {
  checkInteger('sampleRate', sampleRate, 1, 1_000_000);
  checkFiniteSamples('signal', signal);
  checkOneOf('params.effect', params.effect, GUITAR_EFFECTS);
  const fs = sampleRate;
  switch (params.effect) {
    case 'NoFX':
      return Float32Array.from(signal);
    case 'Chorus':
      return modulatedDelay(signal, fs, params.delayMs, params.depthMs, params.rateHz, 0, params.mix);
    case 'Flanger':
      return modulatedDelay(signal, fs, params.delayMs, params.depthMs, params.rateHz, params.feedback, params.mix);
    case 'Vibrato':
      return modulatedDelay(signal, fs, params.depthMs + 0.5, params.depthMs, params.rateHz, 0, 1);
    case 'Tremolo':
      return tremolo(signal, fs, params.rateHz, params.depth);
    case 'Distortion':
      return distortion(signal, fs, params.gainDb, params.toneHz);
    case 'Overdrive':
      return overdrive(signal, params.gainDb, params.asymmetry);
    case 'EQ':
      return peakingEq(signal, fs, params.centerHz, params.gainDb, params.q);
    case 'FeedbackDelay':
      return feedbackDelay(signal, fs, params.delayMs, params.feedback, params.mix);
    case 'SlapbackDelay':
      return feedbackDelay(signal, fs, params.delayMs, 0, params.level, true);
    case 'Phaser':
      return phaser(signal, fs, params);
    case 'Reverb':
      return reverb(signal, fs, params.roomSize, params.damping, params.mix);
  }
}

/** Reads `buf` at fractional index `pos` (linear interpolation), 0 outside. */
function readFractional(buf: Float32Array, pos: number): number {
  if (pos < 0) return 0;
  const i = Math.floor(pos);
  const f = pos - i;
  const a = i < buf.length ? buf[i] : 0;
  const b = i + 1 < buf.length ? buf[i + 1] : 0;
  return a + (b - a) * f;
}

/**
 * A delay line whose delay swings sinusoidally around `delayMs` by `depthMs` at `rateHz`, with
 * feedback: chorus (long delay, no feedback), flanger (short delay, feedback), vibrato (wet only).
 */
function modulatedDelay(x: Float32Array, fs: number, delayMs: number, depthMs: number, rateHz: number, feedback: number, mix: number): Float32Array {
  const n = x.length;
  const wet = new Float32Array(n);
  const out = new Float32Array(n);
  const base = (delayMs * fs) / 1000;
  const depth = (depthMs * fs) / 1000;
  const w = (2 * Math.PI * rateHz) / fs;
  for (let i = 0; i < n; i++) {
    const d = base + depth * Math.sin(w * i);
    const pos = i - d;
    // the delay line holds input plus fed-back output
    const delayed = readFractional(x, pos) + feedback * readFractional(wet, pos);
    wet[i] = delayed;
    out[i] = (1 - mix) * x[i] + mix * delayed;
  }
  return out;
}

/** Amplitude modulation: gain = 1 - depth * (1 - cos(2 pi f t)) / 2, between 1 and 1 - depth. */
function tremolo(x: Float32Array, fs: number, rateHz: number, depth: number): Float32Array {
  const out = new Float32Array(x.length);
  const w = (2 * Math.PI * rateHz) / fs;
  for (let i = 0; i < x.length; i++) out[i] = x[i] * (1 - (depth * (1 - Math.cos(w * i))) / 2);
  return out;
}

/** Peak level of a signal. */
function peak(x: Float32Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

/** Hard clipping after a large gain, then a one-pole low-pass "tone" filter (a fuzz box). */
function distortion(x: Float32Array, fs: number, gainDb: number, toneHz: number): Float32Array {
  const g = 10 ** (gainDb / 20) / Math.max(peak(x), 1e-9);
  const out = new Float32Array(x.length);
  const a = Math.exp((-2 * Math.PI * toneHz) / fs);
  let y = 0;
  for (let i = 0; i < x.length; i++) {
    const v = Math.max(-1, Math.min(1, x[i] * g));
    y = (1 - a) * v + a * y;
    out[i] = y;
  }
  return out;
}

/** Asymmetric soft clipping (tanh) after a moderate gain: a tube-like overdrive. */
function overdrive(x: Float32Array, gainDb: number, asymmetry: number): Float32Array {
  const g = 10 ** (gainDb / 20) / Math.max(peak(x), 1e-9);
  const out = new Float32Array(x.length);
  const offset = Math.tanh(asymmetry);
  for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i] * g + asymmetry) - offset;
  // remove the DC the asymmetry leaves
  let mean = 0;
  for (let i = 0; i < out.length; i++) mean += out[i];
  mean /= out.length || 1;
  for (let i = 0; i < out.length; i++) out[i] -= mean;
  return out;
}

/** Biquad filter, direct form I, coefficients normalized by a0. */
function biquad(x: Float32Array, b0: number, b1: number, b2: number, a1: number, a2: number): Float32Array {
  const out = new Float32Array(x.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const y = b0 * x[i] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x[i];
    y2 = y1;
    y1 = y;
    out[i] = y;
  }
  return out;
}

/** RBJ Audio-EQ-Cookbook peaking filter: `gainDb` at `centerHz`, unity far from it. */
function peakingEq(x: Float32Array, fs: number, centerHz: number, gainDb: number, q: number): Float32Array {
  const A = 10 ** (gainDb / 40);
  const w0 = (2 * Math.PI * centerHz) / fs;
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha / A;
  return biquad(
    x,
    (1 + alpha * A) / a0,
    (-2 * Math.cos(w0)) / a0,
    (1 - alpha * A) / a0,
    (-2 * Math.cos(w0)) / a0,
    (1 - alpha / A) / a0,
  );
}

/**
 * Echo: y = (1 - mix) x + mix * d, where the delay line d[n] = x[n - D] + feedback * d[n - D].
 * `single` keeps one repeat only, added to the full dry signal (slapback: y = x + mix * x[n - D]).
 */
function feedbackDelay(x: Float32Array, fs: number, delayMs: number, feedback: number, mix: number, single = false): Float32Array {
  const D = Math.max(1, Math.round((delayMs * fs) / 1000));
  const line = new Float32Array(x.length);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const d = i >= D ? x[i - D] + (single ? 0 : feedback * line[i - D]) : 0;
    line[i] = d;
    out[i] = (single ? 1 : 1 - mix) * x[i] + mix * d;
  }
  return out;
}

/** A cascade of first-order all-pass filters whose break frequency an LFO sweeps, mixed with the dry signal. */
function phaser(x: Float32Array, fs: number, p: Extract<EffectParameters, { effect: 'Phaser' }>): Float32Array {
  const out = new Float32Array(x.length);
  const xs = new Float64Array(p.stages);
  const ys = new Float64Array(p.stages);
  const w = (2 * Math.PI * p.rateHz) / fs;
  const logMin = Math.log(p.minHz);
  const logSpan = Math.log(p.maxHz) - logMin;
  let fb = 0;
  for (let i = 0; i < x.length; i++) {
    const f = Math.exp(logMin + logSpan * (0.5 - 0.5 * Math.cos(w * i)));
    const t = Math.tan((Math.PI * f) / fs);
    const a = (t - 1) / (t + 1);
    let v = x[i] + p.feedback * fb;
    for (let s = 0; s < p.stages; s++) {
      const y = a * v + xs[s] - a * ys[s];
      xs[s] = v;
      ys[s] = y;
      v = y;
    }
    fb = v;
    out[i] = 0.5 * (x[i] + v);
  }
  return out;
}

/** Freeverb-style reverb: eight damped feedback combs in parallel, then four all-passes in series. */
function reverb(x: Float32Array, fs: number, roomSize: number, damping: number, mix: number): Float32Array {
  const scale = fs / 44100;
  const combLengths = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617].map((l) => Math.round(l * scale));
  const allpassLengths = [556, 441, 341, 225].map((l) => Math.round(l * scale));
  const wet = new Float32Array(x.length);
  for (const len of combLengths) {
    const buf = new Float32Array(len);
    let idx = 0;
    let store = 0;
    for (let i = 0; i < x.length; i++) {
      const y = buf[idx];
      store = y * (1 - damping) + store * damping;
      buf[idx] = x[i] * 0.015 + store * roomSize;
      wet[i] += y;
      idx = idx + 1 === len ? 0 : idx + 1;
    }
  }
  for (const len of allpassLengths) {
    const buf = new Float32Array(len);
    let idx = 0;
    for (let i = 0; i < x.length; i++) {
      const b = buf[idx];
      const y = -wet[i] + b;
      buf[idx] = wet[i] + b * 0.5;
      wet[i] = y;
      idx = idx + 1 === len ? 0 : idx + 1;
    }
  }
  const out = new Float32Array(x.length);
  const wetGain = 3;
  for (let i = 0; i < x.length; i++) out[i] = (1 - mix) * x[i] + mix * wetGain * wet[i];
  return out;
}
