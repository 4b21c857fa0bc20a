/**
 * The paper's two figures of merit, as pure functions of a training history.
 */
import { checkInteger, checkNumber } from '../util/checks.js';

/** The part of an epoch log the figures need. */
export interface ValidationPoint {
  valAccuracy: number;
}

/**
 * Mean of the `k` best validation accuracies (the paper's "final accuracy"); with fewer than
 * `k` epochs, the mean of all of them.
 *
 * @throws RangeError for an empty history or `k` < 1.
 * @example
 * topKMeanAccuracy([{ valAccuracy: 0.5 }, { valAccuracy: 0.7 }, { valAccuracy: 0.6 }], 2); // 0.65
 */
export function topKMeanAccuracy(history: readonly ValidationPoint[], k = 10): number {
  checkInteger('k', k, 1, Number.MAX_SAFE_INTEGER);
  if (!Array.isArray(history) || history.length === 0) {
    throw new RangeError('history must contain at least one epoch, got an empty history');
  }
  const best = history.map((h) => h.valAccuracy).sort((a, b) => b - a).slice(0, k);
  return best.reduce((s, v) => s + v, 0) / best.length;
}

/** Options of {@link epochsToConverge}. */
export interface ConvergenceOptions {
  /** Moving-average window in epochs (default 10). */
  window?: number;
  /** Fraction of the best validation accuracy the average must exceed (default 0.99). */
  fraction?: number;
}

/**
 * The paper's "epochs to converge": the first (1-based) epoch e >= `window` whose moving average
 * of validation accuracy over epochs e-window+1..e exceeds `fraction` x the best validation
 * accuracy of the whole history; `null` when no epoch qualifies (including histories shorter
 * than the window).
 *
 * @example
 * const history = Array.from({ length: 30 }, (_, i) => ({ valAccuracy: Math.min(0.9, 0.05 * (i + 1)) }));
 * epochsToConverge(history); // 26: the mean of epochs 17..26 (0.895) first exceeds 0.99 x 0.9
 */
export function epochsToConverge(
  history: readonly ValidationPoint[],
  { window = 10, fraction = 0.99 }: ConvergenceOptions = {},
): number | null {
  checkInteger('window', window, 1, Number.MAX_SAFE_INTEGER);
  checkNumber('fraction', fraction, 0, 1);
  if (!Array.isArray(history) || history.length < window) return null;
  const acc = history.map((h) => h.valAccuracy);
  const threshold = fraction * Math.max(...acc);
  let sum = 0;
  for (let i = 0; i < acc.length; i++) {
    sum += acc[i];
    if (i >= window) sum -= acc[i - window];
    if (i >= window - 1 && sum / window > threshold) return i + 1;
  }
  return null;
}
