/**
 * A plucked string by the Karplus-Strong algorithm with Jaffe-Smith extensions (fractional
 * delay tuning by an all-pass, a pick-position comb, a dynamics low-pass): the dry guitar notes
 * of the synthetic audio-effects data set.
 *
 * @example
 * const note = pluckedString({ frequency: 110, duration: 2, sampleRate: 44100, velocity: 0.8, seed: 3 });
 */
import { checkNumber, checkInteger } from '../util/checks.js';
import { createRandom } from '../util/random.js';

export interface PluckOptions {
  /** Fundamental in Hz, 20 .. sampleRate / 4. */
  frequency: number;
  /** Length of the returned signal in seconds. */
  duration: number;
  /** Sample rate in Hz. Default 44100. */
  sampleRate?: number;
  /** Pluck strength in (0, 1]: scales the level and brightens the attack. Default 0.8. */
  velocity?: number;
  /** Seconds for the note to decay by 60 dB (T60). Default 1.5. */
  decaySeconds?: number;
  /** Pick position along the string, in (0, 0.5]. Default 0.2. */
  pickPosition?: number;
  /** Seed of the noise burst that excites the string. Default 0. */
  seed?: number;
}

/**
 * Synthesizes one plucked-string note; returns `round(duration * sampleRate)` samples.
 *
 * @example
 * pluckedString({ frequency: 196, duration: 1 }).length; // 44100
 */
export function pluckedString(options: PluckOptions): Float32Array {
  const sampleRate = checkInteger('sampleRate', options.sampleRate ?? 44100, 1000, 384000);
  const frequency = checkNumber('frequency', options.frequency, 20, sampleRate / 4);
  const duration = checkNumber('duration', options.duration, 1e-3, 3600);
  const velocity = checkNumber('velocity', options.velocity ?? 0.8, 1e-3, 1);
  const decay = checkNumber('decaySeconds', options.decaySeconds ?? 1.5, 0.01, 60);
  const pick = checkNumber('pickPosition', options.pickPosition ?? 0.2, 0.01, 0.5);
  const random = createRandom(options.seed ?? 0);
  const n = Math.round(duration * sampleRate);
  const out = new Float32Array(n);

  // Loop delay: N samples of buffer, 0.5 of averaging filter, and a fractional all-pass.
  const period = sampleRate / frequency;
  const N = Math.floor(period - 0.5);
  const frac = period - 0.5 - N;
  const apC = (1 - frac) / (1 + frac);
  // Per-period loss so that the amplitude falls 60 dB in `decay` seconds.
  const loss = 10 ** (-3 / (decay * frequency));

  // Excitation: noise burst, low-passed by (1 - velocity) for soft plucks, combed at the pick position.
  const burst = new Float64Array(N);
  const lp = 0.7 * (1 - velocity);
  let prev = 0;
  for (let i = 0; i < N; i++) {
    prev = (1 - lp) * (random.next() * 2 - 1) + lp * prev;
    burst[i] = prev;
  }
  const pickDelay = Math.max(1, Math.round(pick * N));
  const line = new Float64Array(N);
  let mean = 0;
  for (let i = 0; i < N; i++) {
    line[i] = burst[i] - (i >= pickDelay ? burst[i - pickDelay] : 0);
    mean += line[i];
  }
  mean /= N;
  for (let i = 0; i < N; i++) line[i] -= mean;

  let idx = 0;
  let last = 0;
  let apX = 0;
  let apY = 0;
  for (let i = 0; i < n; i++) {
    const current = line[idx];
    out[i] = current;
    const avg = loss * 0.5 * (current + last);
    last = current;
    const y = apC * avg + apX - apC * apY;
    apX = avg;
    apY = y;
    line[idx] = y;
    idx = idx + 1 === N ? 0 : idx + 1;
  }
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(out[i]));
  const gain = peak > 0 ? velocity / peak : 0;
  for (let i = 0; i < n; i++) out[i] *= gain;
  return out;
}
