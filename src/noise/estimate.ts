/**
 * The noise estimate: compress a labeled data set at many levels with a codec, train the same
 * classifier `repeats` times at each (the cells), find the knee of accuracy against quantization
 * (N_approx) with its uncertainty, the bits that remain there, the theoretical curve and a
 * recommendation.
 *
 * One pipeline for every codec and modality: {@link prepareSweep} checks everything before any
 * work, {@link runCell} trains one cell (level, repeat), {@link summarizeCells} turns finished
 * cells into a {@link NoiseEstimate}, and {@link estimateNoise} orchestrates (strategy,
 * concurrency, `cellRunner`, `completedCells`, `onCellComplete`, progress, abort).
 */
import { abortError } from '../util/abort.js';
import { adaptiveNextLevels } from './adaptive.js';
import { now, runCell } from './cell.js';
import { prepareSweep, type PreparedSweep } from './prepare.js';
import { summarizeCells } from './summarize-cells.js';
import type { Cell, CellRunner, EstimateNoiseOptions, NoiseEstimate, ProgressEvent, RunResult } from './types.js';

/**
 * Validates the options of {@link estimateNoise} without running anything (throws on bad
 * input); the same checks `estimateNoise` makes before its first training.
 *
 * @example
 * validateEstimateOptions({ data, levels: [1, 50] }); // RangeError: levels must hold at least 3 levels ...
 */
export function validateEstimateOptions(options: EstimateNoiseOptions): void {
  prepareSweep(options);
}

const cellKey = (c: Cell): string => `${c.level}/${c.repeat}`;

/**
 * Runs the cells of a prepared sweep (the orchestration of {@link estimateNoise}, for runners
 * that prepared the sweep themselves, e.g. `helmholtz-ml/node`).
 *
 * @example
 * const prepared = prepareSweep(options);
 * const estimate = await runSweep(prepared, options);
 */
export async function runSweep(prepared: PreparedSweep, options: EstimateNoiseOptions): Promise<NoiseEstimate> {
  const { signal } = options;
  if (signal?.aborted) throw abortError(signal, 'estimateNoise');
  const start = now();
  const { grid, repeats } = prepared;
  const results = new Map<string, RunResult>();
  for (const r of options.completedCells ?? []) if (r.repeat < repeats) results.set(cellKey(r), r);
  const runner: CellRunner = options.cellRunner ?? ((cell, context) => runCell(prepared, cell, context));
  let trainingsRun = 0;
  let started = 0;
  const resumedSeconds = [...results.values()].reduce((s, r) => s + r.seconds, 0);
  const cellsOf = (levels: readonly number[]): Cell[] =>
    levels.flatMap((level) => Array.from({ length: repeats }, (_, repeat) => ({ level, repeat }))).filter((c) => !results.has(cellKey(c)));
  // Progress: epochs done (compression counted as one epoch) over epochs planned; the adaptive
  // strategy plans (an upper bound) every grid cell not finished yet.
  const levelCount = Math.max(cellsOf(grid).length, 1);
  const unitsPerCell = prepared.epochs + 1;
  const progressUnits = new Map<number, number>();
  let lastLevel = grid[0];
  const emit = (event: Omit<ProgressEvent, 'elapsedSeconds'>): void => {
    if (!options.onProgress) return;
    const done = [...progressUnits.values()].reduce((s, v) => s + v, 0);
    const elapsed = now() - start;
    const total = levelCount * unitsPerCell;
    const eta = done > 0 ? (elapsed / done) * Math.max(total - done, 0) : undefined;
    options.onProgress({ ...event, elapsedSeconds: elapsed, ...(eta === undefined ? {} : { etaSeconds: eta }) });
  };

  const runOne = async (cell: Cell): Promise<void> => {
    if (signal?.aborted) throw abortError(signal, 'estimateNoise');
    const levelIndex = started++;
    lastLevel = cell.level;
    const result = await runner(cell, {
      levelIndex,
      levelCount,
      signal,
      onProgress: (event) => {
        progressUnits.set(levelIndex, event.phase === 'compress' ? 0 : event.phase === 'train' ? 1 + (event.epoch ?? 0) : unitsPerCell);
        emit({ ...event, level: cell.level, repeat: cell.repeat, levelIndex, levelCount });
      },
    });
    if (result.level !== cell.level || result.repeat !== cell.repeat) {
      throw new Error(`cellRunner returned level ${result.level} repeat ${result.repeat} for level ${cell.level} repeat ${cell.repeat}`);
    }
    progressUnits.set(levelIndex, unitsPerCell);
    trainingsRun++;
    results.set(cellKey(cell), result);
    await options.onCellComplete?.(result);
  };

  const runAll = async (levels: readonly number[]): Promise<void> => {
    const todo = cellsOf(levels);
    let next = 0;
    const workers = Array.from({ length: Math.min(prepared.concurrency, todo.length) }, async () => {
      while (next < todo.length) await runOne(todo[next++]);
    });
    await Promise.all(workers);
  };

  const summarize = (): NoiseEstimate =>
    summarizeCells([...results.values()], {
      modality: prepared.modality,
      codec: prepared.codec.name,
      grid,
      sourceBits: prepared.sourceBits,
      tolerance: prepared.tolerance,
      sensitivity: prepared.sensitivity,
      kneeMethod: prepared.kneeMethod,
      strategy: prepared.strategy,
      trainingsRun,
      totalSeconds: now() - start + resumedSeconds,
      trainCount: prepared.featurizer.count(prepared.data.train),
      classes: prepared.classes,
      repeats,
      metric: prepared.metric,
    });

  if (prepared.strategy === 'grid') {
    await runAll(grid);
  } else {
    // The planner sees a level once all its repeats are done (the mean over them).
    const levelMeans = (): Map<number, number> => {
      const out = new Map<number, number>();
      for (const level of grid) {
        const runs = Array.from({ length: repeats }, (_, repeat) => results.get(cellKey({ level, repeat })));
        if (runs.every((r) => r !== undefined)) out.set(level, runs.reduce((s, r) => s + r!.accuracy, 0) / repeats);
      }
      return out;
    };
    const kneeLevel = (): number | null => (results.size > 0 ? (summarize().knee?.level ?? null) : null);
    for (let round = 0; round <= grid.length; round++) {
      const next = adaptiveNextLevels(grid, levelMeans(), kneeLevel, prepared.adaptive);
      if (next.length === 0) break;
      await runAll(next);
    }
  }
  const estimate = summarize();
  emit({ phase: 'done', level: lastLevel, levelIndex: Math.max(started - 1, 0), levelCount });
  return estimate;
}

/**
 * Estimates how much of a labeled data set is noise: compresses train and test sets with the
 * codec (`'jpeg'` for images, `'mp3'` for audio by default) at each level, trains the same
 * classifier `repeats` times at each (seeds derived from `seed`; a seeded, stratified
 * `validationFraction` of the training set picks the epoch, the test set scores it), and
 * summarizes the accuracy-vs-Q curve: per level the mean accuracy and its 95% interval, the
 * knee N_approx with its range (or why there is none), the bits that remain there, whether
 * the classifier learned, the paper's theoretical curve, convergence, and the strongest
 * compression that costs no accuracy. All options are checked before the first training.
 *
 * Strategies: `'grid'` trains every level; `'adaptive'` trains `adaptive.coarseCount` levels
 * spread over the grid, then bisects (by grid index) each interval whose end accuracies differ
 * by more than `adaptive.threshold` until neighbours are adjacent, then makes sure the knee
 * found on the (interpolated) grid is a trained level. `trainingsSaved` counts the grid
 * levels it never trained.
 *
 * Hooks: `cellRunner` replaces {@link runCell} (e.g. worker threads; `concurrency` cells run at
 * once), `completedCells` are reused without training (resume: raising `repeats` trains only
 * the new cells), `onCellComplete` is awaited after each cell (persist it), `onProgress` gets
 * compress/train/done events with elapsed time and an ETA, `signal` aborts between epochs
 * (rejects with its reason or an `AbortError`).
 *
 * @example
 * import { estimateNoise, syntheticSensorImages } from 'helmholtz-ml';
 * const train = syntheticSensorImages({ count: 2000, noise: 8, seed: 1 });
 * const test = syntheticSensorImages({ count: 500, noise: 8, seed: 2 });
 * const estimate = await estimateNoise({ data: { train, test }, modelOptions: { widthMultiplier: 0.25 }, epochs: 5, repeats: 3 });
 * console.log(estimate.knee, estimate.content, estimate.recommendation.reason);
 */
export async function estimateNoise(options: EstimateNoiseOptions): Promise<NoiseEstimate> {
  return runSweep(prepareSweep(options), options);
}
