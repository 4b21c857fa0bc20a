/**
 * The figures of one training run, as pure functions of its history: the epoch the validation
 * set selects, the test accuracy there, the paper's top-10 mean, and the epochs to converge.
 */
import { checkInteger, checkNumber } from '../util/checks.js';

/**
 * The part of an epoch log the figures need. `testAccuracy` is absent when training had no
 * separate test set; the validation accuracy is then also the test accuracy (see {@link testAccuracyOf}).
 */
export interface ValidationPoint {
  valAccuracy: number;
  testAccuracy?: number;
}

/**
 * The test accuracy of an epoch: `testAccuracy` when a test set was evaluated, else the
 * validation accuracy (the validation set doubled as the test set).
 *
 * @example
 * testAccuracyOf({ valAccuracy: 0.7, testAccuracy: 0.65 }); // 0.65
 * testAccuracyOf({ valAccuracy: 0.7 }); // 0.7
 */
export function testAccuracyOf(point: ValidationPoint): number {
  return point.testAccuracy ?? point.valAccuracy;
}

function checkHistory(history: readonly ValidationPoint[]): void {
  if (!Array.isArray(history) || history.length === 0) {
    throw new RangeError('history must contain at least one epoch, got an empty history');
  }
}

/**
 * The paper's "final accuracy": the mean of the `k` best *test* accuracies ({@link testAccuracyOf});
 * with fewer than `k` epochs, the mean of all of them. It is biased upward (it picks the best
 * epochs by their test score) and budget-dependent (with 10 epochs or fewer it is the mean of
 * every epoch, the first ones included, so it measures how fast the model learned rather than
 * how accurate it became). The paper trained 200 epochs, where it is close to the converged accuracy.
 *
 * @throws RangeError for an empty history or `k` < 1.
 * @example
 * topKMeanAccuracy([{ valAccuracy: 0.5 }, { valAccuracy: 0.7 }, { valAccuracy: 0.6 }], 2); // 0.65
 */
export function topKMeanAccuracy(history: readonly ValidationPoint[], k = 10): number {
  checkInteger('k', k, 1, Number.MAX_SAFE_INTEGER);
  checkHistory(history);
  const best = history.map(testAccuracyOf).sort((a, b) => b - a).slice(0, k);
  return best.reduce((s, v) => s + v, 0) / best.length;
}

/**
 * The moving-average window of {@link epochsToConverge} for a run of `epochs` epochs:
 * `min(10, max(1, round(epochs / 5)))`. It is the paper's 10 from 50 epochs on (the paper trained
 * 200) and shrinks with shorter runs, so that a 5-epoch run (window 1) or a 20-epoch run
 * (window 4) still has an answer.
 *
 * @example
 * convergenceWindow(5); // 1
 * convergenceWindow(20); // 4
 * convergenceWindow(200); // 10
 */
export function convergenceWindow(epochs: number): number {
  checkInteger('epochs', epochs, 1, Number.MAX_SAFE_INTEGER);
  return Math.min(10, Math.max(1, Math.round(epochs / 5)));
}

/** Options of {@link epochsToConverge}. */
export interface ConvergenceOptions {
  /** Moving-average window in epochs (default {@link convergenceWindow} of the history's length). */
  window?: number;
  /** Fraction of the best moving average that the moving average must reach (default 0.99). */
  fraction?: number;
}

/**
 * "Epochs to converge", at any budget: the first (1-based) epoch e >= `window` whose moving
 * average of test accuracy ({@link testAccuracyOf}) over epochs e-window+1..e reaches `fraction`
 * x the best such moving average of the whole history. The window defaults to
 * {@link convergenceWindow} of the history's length, so every history of at least one epoch
 * with some positive accuracy has an answer; `null` when the history is shorter than an explicit
 * window or no accuracy is positive.
 *
 * The paper compared the average with the best single epoch and used a fixed 10-epoch window,
 * which needs far more than 10 epochs and goes `null` on any curve whose best epoch is a spike;
 * comparing with the best moving average keeps the figure defined and no less smooth.
 *
 * @example
 * const history = Array.from({ length: 30 }, (_, i) => ({ valAccuracy: Math.min(0.9, 0.05 * (i + 1)) }));
 * epochsToConverge(history); // 22: window 6; the mean of epochs 17..22 (0.8917) first reaches 0.99 x 0.9
 */
export function epochsToConverge(history: readonly ValidationPoint[], options: ConvergenceOptions = {}): number | null {
  if (!Array.isArray(history) || history.length === 0) return null;
  const window = checkInteger('window', options.window ?? convergenceWindow(history.length), 1, Number.MAX_SAFE_INTEGER);
  const fraction = checkNumber('fraction', options.fraction ?? 0.99, 0, 1);
  if (history.length < window) return null;
  const acc = history.map(testAccuracyOf);
  const averages: number[] = [];
  let sum = 0;
  for (let i = 0; i < acc.length; i++) {
    sum += acc[i];
    if (i >= window) sum -= acc[i - window];
    if (i >= window - 1) averages.push(sum / window);
  }
  const best = Math.max(...averages);
  if (!(best > 0)) return null;
  // A tiny slack so that the best average itself always qualifies despite rounding in the running sum.
  const threshold = fraction * best - 1e-12;
  const index = averages.findIndex((a) => a >= threshold);
  return index + window;
}

/**
 * The epoch the validation set selects: the 1-based epoch of the best validation accuracy,
 * the earliest on ties.
 *
 * @throws RangeError for an empty history.
 * @example
 * selectEpoch([{ valAccuracy: 0.5 }, { valAccuracy: 0.7 }, { valAccuracy: 0.7 }]); // 2
 */
export function selectEpoch(history: readonly ValidationPoint[]): number {
  checkHistory(history);
  let best = 0;
  for (let i = 1; i < history.length; i++) {
    if (history[i].valAccuracy > history[best].valAccuracy) best = i;
  }
  return best + 1;
}

/** The figures {@link summarizeHistory} reads off a history (the fields of `TrainResult` besides history and time). */
export interface HistorySummary {
  /** Test accuracy at `selectedEpoch`: the run's accuracy. */
  accuracy: number;
  /** 1-based epoch with the best validation accuracy (earliest on ties). */
  selectedEpoch: number;
  /** The paper's figure: mean of the 10 best test accuracies ({@link topKMeanAccuracy}); biased upward, budget-dependent. */
  paperAccuracy: number;
  /** Test accuracy after the last epoch. */
  lastAccuracy: number;
  /** Best test accuracy of any epoch (biased upward: chosen by its test score). */
  bestAccuracy: number;
  /** {@link epochsToConverge} with its default window. */
  epochsToConverge: number | null;
  /**
   * True when the selected epoch lies within the last {@link convergenceWindow} epochs of the run
   * (with early stopping, within the last `min(window, patience)`): validation accuracy was still
   * at its best at (or next to) the end, so more epochs may help. A run that early stopping
   * ended (its best `patience` epochs before the end) is not still improving.
   */
  stillImproving: boolean;
  /** Number of epochs in the history. */
  epochsRun: number;
}

/** Options of {@link summarizeHistory}. */
export interface SummarizeHistoryOptions {
  /**
   * The early-stopping patience the run was trained with (`epochs: 'auto'`), or null without
   * early stopping. Default null.
   */
  patience?: number | null;
}

/**
 * All the figures of one run from its history (see {@link HistorySummary}).
 *
 * @param options - `patience` of a run trained with early stopping
 * @throws RangeError for an empty history.
 * @example
 * summarizeHistory([{ valAccuracy: 0.5, testAccuracy: 0.4 }, { valAccuracy: 0.7, testAccuracy: 0.6 }, { valAccuracy: 0.6, testAccuracy: 0.65 }]);
 * // { accuracy: 0.6, selectedEpoch: 2, paperAccuracy: 0.55, lastAccuracy: 0.65, bestAccuracy: 0.65,
 * //   epochsToConverge: 3, stillImproving: false, epochsRun: 3 }
 */
export function summarizeHistory(history: readonly ValidationPoint[], options: SummarizeHistoryOptions = {}): HistorySummary {
  checkHistory(history);
  const patience = options.patience ?? null;
  if (patience !== null) checkInteger('patience', patience, 1, Number.MAX_SAFE_INTEGER);
  const window = patience === null ? convergenceWindow(history.length) : Math.min(convergenceWindow(history.length), patience);
  const selectedEpoch = selectEpoch(history);
  const test = history.map(testAccuracyOf);
  return {
    accuracy: test[selectedEpoch - 1],
    selectedEpoch,
    paperAccuracy: topKMeanAccuracy(history),
    lastAccuracy: test[test.length - 1],
    bestAccuracy: Math.max(...test),
    epochsToConverge: epochsToConverge(history),
    stillImproving: selectedEpoch > history.length - window,
    epochsRun: history.length,
  };
}
