/**
 * The mel scale as librosa 0.10.0 defines it (`librosa.hz_to_mel`, `mel_to_hz`,
 * `mel_frequencies`): Slaney's scale (linear below 1 kHz, logarithmic above) by default, the HTK
 * formula on request.
 */
import { checkInteger } from '../util/checks.js';

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;

/**
 * Hz to mels, as `librosa.hz_to_mel`: Slaney's scale (linear below 1 kHz, logarithmic above)
 * by default, the HTK formula when `htk`.
 *
 * @example
 * hzToMel(1000); // 15
 * hzToMel(1000, true); // 999.98...
 */
export function hzToMel(hz: number, htk = false): number {
  if (htk) return 2595 * Math.log10(1 + hz / 700);
  if (hz >= MIN_LOG_HZ) return MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP;
  return hz / F_SP;
}

/**
 * Mels to Hz, the inverse of {@link hzToMel} (`librosa.mel_to_hz`).
 *
 * @example
 * melToHz(15); // 1000
 */
export function melToHz(mel: number, htk = false): number {
  if (htk) return 700 * (10 ** (mel / 2595) - 1);
  if (mel >= MIN_LOG_MEL) return MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL));
  return F_SP * mel;
}

/**
 * `n` frequencies (Hz) equally spaced on the mel scale from `fMin` to `fMax` inclusive, as
 * `librosa.mel_frequencies` (with numpy's `linspace` arithmetic).
 *
 * @example
 * melFrequencies(3, 0, 2000); // Float64Array [0, 1000.0..., 2000]
 */
export function melFrequencies(n: number, fMin: number, fMax: number, htk = false): Float64Array {
  checkInteger('n', n, 1, 1 << 24);
  const lo = hzToMel(fMin, htk), hi = hzToMel(fMax, htk);
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = melToHz(lo, htk);
    return out;
  }
  const step = (hi - lo) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = melToHz(i === n - 1 ? hi : lo + i * step, htk);
  return out;
}
