/**
 * The sweep pipeline's building blocks, behind one namespace object (`sweep` in `helmholtz-ml`):
 * prepare -> run a cell -> summarize, the featurizers, the trainer adapter and the adaptive
 * planner. Most users call `estimateNoise`; runners of their own (workers, remote machines, a web
 * page) compose these.
 *
 * @example
 * import { sweep } from 'helmholtz-ml';
 * const prepared = sweep.prepareSweep({ data, repeats: 2 });
 * const run = await sweep.runCell(prepared, { level: 50, repeat: 0 }, { levelIndex: 0, levelCount: 1 });
 * const estimate = sweep.summarizeCells([run], { grid: prepared.grid });
 */
import { adaptiveBisectLevels, adaptiveCoarseLevels, adaptiveNextLevels, interpolateGrid } from './adaptive.js';
import { audioFeaturizer } from './audio-featurizer.js';
import { runCell, runSeed } from './cell.js';
import { runSweep } from './estimate.js';
import { imageFeaturizer } from './image-featurizer.js';
import { cellSettings, prepareSweep, workerOptions } from './prepare.js';
import { summarizeCells, summarizeLevel } from './summarize-cells.js';
import { checkEpochBudget, checkModelOptions, checkSweepSettings, countClasses } from './sweep-options.js';
import { runOptimizer, trainRun } from './train-run.js';

/** The pipeline's building blocks (see the module comment). */
export const sweep = Object.freeze({
  prepareSweep,
  runCell,
  runSweep,
  summarizeCells,
  summarizeLevel,
  runSeed,
  workerOptions,
  cellSettings,
  trainRun,
  runOptimizer,
  imageFeaturizer,
  audioFeaturizer,
  adaptiveCoarseLevels,
  adaptiveBisectLevels,
  adaptiveNextLevels,
  interpolateGrid,
  countClasses,
  checkModelOptions,
  checkSweepSettings,
  checkEpochBudget,
});
