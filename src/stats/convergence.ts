/**
 * Epochs and training seconds to converge: per level (mean and interval over repeats) and the
 * summary of the paper's second claim (compressed data converges in fewer epochs).
 */
import { describe } from '../util/checks.js';
import { meanInterval } from './mean-interval.js';
import { shortLevelName, type LevelNaming } from './naming.js';
import type { Convergence, LevelConvergence, MeanWithCi } from './types.js';

/** A run as the convergence summary sees it: a `RunResult` fits. */
export interface ConvergenceRunLike {
  epochsToConverge: number | null;
  epochsRun: number;
  trainSeconds: number;
}

/** A level as the convergence summary sees it: a `LevelResult` fits. */
export interface ConvergenceLevelLike {
  level: number;
  runs: readonly ConvergenceRunLike[];
}

/**
 * Mean and 95% t interval of `values`; one value gives a zero-width interval [v, v] (a single
 * run: callers say so).
 *
 * @example
 * meanWithCi([6, 7, 5]); // { mean: 6, ci: [3.52, 8.48] }
 */
export function meanWithCi(values: readonly number[], confidence = 0.95): MeanWithCi | null {
  if (values.length === 0) return null;
  if (values.length === 1) return { mean: values[0], ci: [values[0], values[0]] };
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const i = meanInterval(values, confidence);
  return { mean, ci: [i.low, i.high] };
}

/**
 * A level's epochs to converge over the runs that converged (`epochsToConverge` not null): mean
 * and 95% interval (`LevelResult.epochsToConverge`); null when no run converged.
 *
 * @example
 * epochsToConvergeOf({ level: 20, runs: [{ epochsToConverge: 6, epochsRun: 20, trainSeconds: 40 }, { epochsToConverge: 7, epochsRun: 20, trainSeconds: 41 }] });
 * // { mean: 6.5, ci: [0.15, 12.85] }
 */
export function epochsToConvergeOf(level: ConvergenceLevelLike): MeanWithCi | null {
  if (!Array.isArray(level?.runs)) throw new TypeError(`level.runs must be an array of runs, got ${describe(level?.runs)}`);
  return meanWithCi(level.runs.flatMap((r) => (r.epochsToConverge === null || !Number.isFinite(r.epochsToConverge) ? [] : [r.epochsToConverge])));
}

/**
 * A level's convergence: epochs to converge, and training seconds to converge estimated pro rata
 * as `trainSeconds * epochsToConverge / epochsRun` (each epoch costs the same), each as mean and
 * 95% interval over the runs that converged. Null when none did.
 *
 * @example
 * levelConvergence({ level: 20, runs: [{ epochsToConverge: 6, epochsRun: 12, trainSeconds: 24 }] });
 * // { level: 20, epochs: { mean: 6, ci: [6, 6] }, seconds: { mean: 12, ci: [12, 12] } }
 */
export function levelConvergence(level: ConvergenceLevelLike): LevelConvergence | null {
  const runs = level.runs.filter((r) => r.epochsToConverge !== null && Number.isFinite(r.epochsToConverge) && r.epochsRun > 0);
  const epochs = meanWithCi(runs.map((r) => r.epochsToConverge as number));
  const seconds = meanWithCi(runs.map((r) => (r.trainSeconds * (r.epochsToConverge as number)) / r.epochsRun));
  return epochs && seconds ? { level: level.level, epochs, seconds } : null;
}

function halfWidth(m: MeanWithCi): number {
  return (m.ci[1] - m.ci[0]) / 2;
}

/** Epochs as "6 +- 1" (whole epochs once the interval is at least one epoch wide), "6.3 +- 0.6", or "6" for a single run. */
function epochsText(m: MeanWithCi, single: boolean): string {
  if (single) return Number.isInteger(m.mean) ? String(m.mean) : m.mean.toFixed(1);
  const digits = halfWidth(m) >= 1 ? 0 : 1;
  return `${m.mean.toFixed(digits)} +- ${halfWidth(m).toFixed(digits)}`;
}

/**
 * The paper's second claim in numbers: epochs and training seconds to converge at the
 * recommended level against the reference (best-quality) level, and the share of training saved
 * (`1 - recommended epochs / reference epochs`), with a sentence such as
 * "q 20 converges in 6 +- 1 epochs, q 100 in 9 +- 1: 33% less training". Null when either level
 * has no converged run, or they are the same level.
 *
 * @example
 * convergenceSummary(levels[3], levels[0]); // { recommended, reference, savedFraction: 0.33, text: 'q 20 converges in ...' }
 */
export function convergenceSummary(recommended: ConvergenceLevelLike, reference: ConvergenceLevelLike, naming: LevelNaming = {}): Convergence | null {
  if (recommended.level === reference.level) return null;
  const rec = levelConvergence(recommended);
  const ref = levelConvergence(reference);
  if (!rec || !ref || ref.epochs.mean <= 0) return null;
  const savedFraction = 1 - rec.epochs.mean / ref.epochs.mean;
  const singleRec = rec.epochs.ci[0] === rec.epochs.ci[1] && recommended.runs.length === 1;
  const singleRef = ref.epochs.ci[0] === ref.epochs.ci[1] && reference.runs.length === 1;
  const pct = Math.round(Math.abs(savedFraction) * 100);
  const verdict = pct === 0 ? 'the same training' : savedFraction > 0 ? `${pct}% less training` : `${pct}% more training`;
  const s = (m: MeanWithCi, single: boolean): string => (single ? `${m.mean.toFixed(1)}s` : `${m.mean.toFixed(1)} +- ${halfWidth(m).toFixed(1)}s`);
  const text =
    `${shortLevelName(rec.level, naming)} converges in ${epochsText(rec.epochs, singleRec)} epochs, ${shortLevelName(ref.level, naming)} in ${epochsText(ref.epochs, singleRef)}: ${verdict}` +
    ` (training time to converge ${s(rec.seconds, singleRec)} vs ${s(ref.seconds, singleRef)})` +
    (singleRec || singleRef ? '; single runs, no interval.' : '.');
  return { recommended: rec, reference: ref, savedFraction, text };
}
