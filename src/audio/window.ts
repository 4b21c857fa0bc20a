/**
 * Analysis windows for the short-time Fourier transform, computed in double precision exactly as
 * `scipy.signal.get_window(name, length, fftbins=True)` (the periodic form librosa uses), and
 * centred in an FFT frame as `librosa.util.pad_center`.
 */
import { checkInteger, checkOneOf } from '../util/checks.js';

/** Window names accepted by {@link getWindow}. */
export type WindowName = 'hann' | 'hamming' | 'rectangular';

/** The window names accepted by {@link getWindow}, for messages and checks. */
export const WINDOW_NAMES: readonly WindowName[] = ['hann', 'hamming', 'rectangular'];

/**
 * A Hann window of `length` samples. Periodic by default (`0.5 - 0.5 cos(2 pi n / length)`, as
 * scipy's `get_window('hann', length, fftbins=True)`); `periodic = false` gives the symmetric form
 * (denominator `length - 1`, as `scipy.signal.windows.hann(length)`).
 *
 * @example
 * hannWindow(4); // Float64Array [0, 0.5, 1, 0.5]
 */
export function hannWindow(length: number, periodic = true): Float64Array {
  return cosineWindow(length, periodic, 0.5);
}

/**
 * A Hamming window of `length` samples (`0.54 - 0.46 cos(2 pi n / M)`), periodic by default as
 * scipy's `get_window('hamming', length, fftbins=True)`.
 *
 * @example
 * hammingWindow(4); // Float64Array [0.08, 0.54, 1, 0.54]
 */
export function hammingWindow(length: number, periodic = true): Float64Array {
  return cosineWindow(length, periodic, 0.54);
}

function cosineWindow(length: number, periodic: boolean, a0: number): Float64Array {
  checkInteger('length', length, 1, 2 ** 30);
  const w = new Float64Array(length);
  if (length === 1) {
    w[0] = 1;
    return w;
  }
  // scipy builds the symmetric window of length + 1 and drops the last sample when periodic.
  const m = periodic ? length + 1 : length;
  const a1 = 1 - a0;
  for (let n = 0; n < length; n++) w[n] = a0 - a1 * Math.cos((2 * Math.PI * n) / (m - 1));
  return w;
}

/**
 * The analysis window of an STFT frame: `window` (a name, or explicit coefficients of length
 * `winLength`) of `winLength` samples, zero-padded on both sides to `nFft` samples with
 * `floor((nFft - winLength) / 2)` zeros on the left, as librosa's `stft` does
 * (`get_window(window, win_length, fftbins=True)` then `util.pad_center(..., size=n_fft)`).
 *
 * @example
 * getWindow('hann', 4, 8); // Float64Array [0, 0, 0, 0.5, 1, 0.5, 0, 0]
 */
export function getWindow(window: WindowName | ArrayLike<number>, winLength: number, nFft = winLength): Float64Array {
  checkInteger('nFft', nFft, 1, 2 ** 30);
  checkInteger('winLength', winLength, 1, nFft);
  let core: Float64Array;
  if (typeof window === 'string') {
    const name = checkOneOf('window', window, WINDOW_NAMES);
    core = name === 'hann' ? hannWindow(winLength) : name === 'hamming' ? hammingWindow(winLength) : new Float64Array(winLength).fill(1);
  } else {
    if (window.length !== winLength) {
      throw new RangeError(`window must have winLength = ${winLength} coefficients, got ${window.length}`);
    }
    core = Float64Array.from(window);
    for (let i = 0; i < winLength; i++) {
      if (!Number.isFinite(core[i])) throw new RangeError(`window must contain only finite values, got ${core[i]} at index ${i}`);
    }
  }
  if (winLength === nFft) return core;
  const out = new Float64Array(nFft);
  out.set(core, Math.floor((nFft - winLength) / 2));
  return out;
}
