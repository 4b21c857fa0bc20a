/**
 * Framing of a signal exactly as librosa 0.10.0's `stft` does it: with `center`, only the head and
 * tail pieces of the signal are padded (with `numpy.pad` semantics, including its iterative
 * reflection), the middle frames are read from the signal itself.
 */
/** Padding of centred frames at the signal's ends (as `np.pad` modes). */
export type PadMode = 'constant' | 'reflect';

/**
 * `numpy.pad(x, (left, right), mode)` for 'constant' (zeros) and 'reflect', including numpy's
 * iterative reflection when the pad is longer than the signal and its edge mode for one sample.
 *
 * @example
 * npPad(Float32Array.of(1, 2, 3), 2, 1, 'reflect'); // [3, 2, 1, 2, 3, 2]
 */
export function npPad<T extends Float32Array | Float64Array>(x: T, left: number, right: number, mode: PadMode): T {
  const n = x.length;
  const out = (x instanceof Float32Array ? new Float32Array(left + n + right) : new Float64Array(left + n + right)) as T;
  out.set(x, left);
  if (mode === 'constant' || (left === 0 && right === 0)) return out;
  if (n === 1) {
    out.fill(x[0], 0, left);
    out.fill(x[0], left + 1);
    return out;
  }
  let l = left, r = right;
  const total = out.length;
  while (l > 0 || r > 0) {
    const oldLength = total - l - r - 1;
    if (l > 0) {
      const chunk = Math.min(oldLength, l);
      // out[l - chunk .. l) = out[l + chunk .. l + 1] (reversed)
      for (let j = 0; j < chunk; j++) out[l - 1 - j] = out[l + 1 + j];
      l -= chunk;
    }
    if (r > 0) {
      const chunk = Math.min(oldLength, r);
      const edge = total - r - 1;
      for (let j = 0; j < chunk; j++) out[edge + 1 + j] = out[edge - 1 - j];
      r -= chunk;
    }
  }
  return out;
}

/** A piece of the (virtually padded) signal from which consecutive frames are read. */
export interface FrameRun {
  source: Float32Array | Float64Array;
  start: number;
  count: number;
}

/**
 * Number of frames librosa 0.10's `stft` makes of `length` samples (centred: padded by
 * `nFft / 2` at both ends).
 *
 * @example
 * framesOf(88200, 2048, 512, true); // 173
 */
export function framesOf(length: number, nFft: number, hop: number, center: boolean): number {
  if (center) return 1 + Math.floor((length + 2 * (nFft >> 1) - nFft) / hop);
  return 1 + Math.floor((length - nFft) / hop);
}

/**
 * Splits a signal into runs of frames exactly as librosa 0.10's `stft` does: the head and tail
 * frames come from `np.pad`ded copies of the signal's ends, the middle frames from the signal.
 *
 * @example
 * frameRuns(signal, 2048, 512, true, 'constant'); // head, middle and tail runs
 */
export function frameRuns(y: Float32Array | Float64Array, nFft: number, hop: number, center: boolean, padMode: PadMode): FrameRun[] {
  const len = y.length;
  if (!center) {
    if (nFft > len) {
      throw new RangeError(`signal length must be >= nFft = ${nFft} when center is false, got ${len}`);
    }
    return [{ source: y, start: 0, count: framesOf(len, nFft, hop, false) }];
  }
  const n2 = nFft >> 1;
  const startK = Math.ceil(n2 / hop);
  const tailK = Math.floor((len + n2 - nFft) / hop) + 1;
  if (tailK <= startK) {
    const padded = npPad(y, n2, n2, padMode);
    return [{ source: padded, start: 0, count: 1 + Math.floor((padded.length - nFft) / hop) }];
  }
  const runs: FrameRun[] = [];
  const pre = npPad(y.subarray(0, Math.min(len, (startK - 1) * hop - n2 + nFft + 1)), n2, 0, padMode);
  runs.push({ source: pre, start: 0, count: Math.min(startK, 1 + Math.floor((pre.length - nFft) / hop)) });
  const start = startK * hop - n2;
  runs.push({ source: y, start, count: 1 + Math.floor((len - start - nFft) / hop) });
  if (tailK * hop - n2 + nFft <= len + n2) {
    const post = npPad(y.subarray(tailK * hop - n2), 0, n2, padMode);
    runs.push({ source: post, start: 0, count: 1 + Math.floor((post.length - nFft) / hop) });
  }
  return runs;
}
