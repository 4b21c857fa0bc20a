/**
 * The paper's theoretical accuracy-vs-quantization curve (its Figure 3, the "shadow" curves of
 * Figure 4): `accuracy = offset + c * ln(100 - Q%)`. Only the shape is predicted; the offset and
 * the scale `c` are fitted to the measured points by least squares.
 */
import { checkInteger, checkNumber, describe } from '../util/checks.js';
import type { TheoryFit } from './types.js';

/** One measured point: quantization `Q` in [0, 1] and accuracy. */
export interface TheoryPoint {
  Q: number;
  accuracy: number;
}

/**
 * `ln(100 - Q%)` with `100 - Q%` floored at 1 (Q% = 99, JPEG quality 1), so that the audio axis,
 * whose lowest bitrate has Q = 1 exactly, stays finite and lands where JPEG quality 1 does.
 */
function logRemaining(Q: number): number {
  return Math.log(Math.max(100 - 100 * Q, 1));
}

/**
 * Fits `accuracy = offset + scale * ln(100 - Q%)` to measured points by ordinary least squares
 * (`100 - Q%` floored at 1). With a single distinct Q the scale is 0 and the offset the mean.
 *
 * @param points - at least one `{ Q, accuracy }`, Q in [0, 1]
 * @returns offset, scale (the paper's `c`), RMS residual, R² (NaN when all accuracies are equal)
 *   and the point count
 * @example
 * const fit = fitTheoryCurve([{ Q: 0, accuracy: 0.8 }, { Q: 0.5, accuracy: 0.75 }, { Q: 0.99, accuracy: 0.2 }]);
 * theoryAccuracy(fit, 0.9); // the fitted curve at Q = 0.9
 */
export function fitTheoryCurve(points: readonly TheoryPoint[]): TheoryFit {
  if (!Array.isArray(points) || points.length === 0) {
    throw new RangeError(`points must be a non-empty array of { Q, accuracy }, got ${describe(points)}`);
  }
  const n = points.length;
  const u = new Float64Array(n);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = points[i];
    if (typeof p !== 'object' || p === null) throw new TypeError(`points[${i}] must be { Q, accuracy }, got ${describe(p)}`);
    u[i] = logRemaining(checkNumber(`points[${i}].Q`, p.Q, 0, 1));
    a[i] = checkNumber(`points[${i}].accuracy`, p.accuracy);
  }
  let meanU = 0;
  let meanA = 0;
  for (let i = 0; i < n; i++) {
    meanU += u[i];
    meanA += a[i];
  }
  meanU /= n;
  meanA /= n;
  let suu = 0;
  let sua = 0;
  let saa = 0;
  for (let i = 0; i < n; i++) {
    suu += (u[i] - meanU) ** 2;
    sua += (u[i] - meanU) * (a[i] - meanA);
    saa += (a[i] - meanA) ** 2;
  }
  const scale = suu > 1e-12 ? sua / suu : 0;
  const offset = meanA - scale * meanU;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (a[i] - offset - scale * u[i]) ** 2;
  return {
    offset,
    scale,
    rmse: Math.sqrt(sse / n),
    r2: saa > 0 ? 1 - sse / saa : NaN,
    count: n,
  };
}

/**
 * The fitted theoretical accuracy at quantization `Q` (in [0, 1]).
 *
 * @example
 * theoryAccuracy({ offset: 0.2, scale: 0.13, rmse: 0, r2: 1, count: 9 }, 0.5); // 0.2 + 0.13 * ln(50)
 */
export function theoryAccuracy(fit: TheoryFit, Q: number): number {
  checkNumber('Q', Q, 0, 1);
  return fit.offset + fit.scale * logRemaining(Q);
}

/**
 * Samples the fitted curve for plotting (the paper's shaded "shadow" curve): `count` points with
 * Q evenly spaced over `[from, to]`.
 *
 * @param options - `count` (default 100), `from` (default 0), `to` (default 0.99, JPEG quality 1)
 * @example
 * const line = sampleTheoryCurve(fit, { count: 50 }); // [{ Q: 0, accuracy }, ..., { Q: 0.99, accuracy }]
 */
export function sampleTheoryCurve(
  fit: TheoryFit,
  options: { count?: number; from?: number; to?: number } = {},
): TheoryPoint[] {
  const count = checkInteger('count', options.count ?? 100, 2, 1_000_000);
  const from = checkNumber('from', options.from ?? 0, 0, 1);
  const to = checkNumber('to', options.to ?? 0.99, 0, 1);
  const out: TheoryPoint[] = [];
  for (let i = 0; i < count; i++) {
    const Q = from + ((to - from) * i) / (count - 1);
    out.push({ Q, accuracy: theoryAccuracy(fit, Q) });
  }
  return out;
}
