/**
 * Parallel sweeps: the same 4-level noise estimate trained by one trainer on one core (levels one
 * after another in the main thread, wasm on 1 thread) and by 2 worker threads (one tfjs instance
 * and one core each), wall time from the call to the result, worker start-up included. Bar: at
 * least 1.7x on 2 cores.
 *
 * The sweep is the demo's (`npm run demo`: 800 train / 300 test synthetic 32x32 RGB images,
 * model A at width 0.25, batch 16, 10 epochs, about 30 s per level on one core) at 4 of its
 * levels. `SWEEP_BENCH_SIZE=16 SWEEP_BENCH_EPOCHS=20 SWEEP_BENCH_BATCH=32` gives the lighter
 * sweep of earlier runs, whose levels are dominated by tfjs's per-operation JavaScript (and
 * garbage collection, which a lone trainer runs on the idle core for free).
 *
 * `SWEEP_BENCH_THREADS=1` also times one trainer whose wasm backend runs on every core (what
 * `workers: 1` gives by default), the alternative to level-parallel workers.
 * Runs alternate (`SWEEP_BENCH_REPEATS` rounds, default 1) and the fastest of each configuration
 * counts; the load average is printed with each run. Results must be identical (same seeds, same
 * levels). `npx tsx bench/train-sweep-parallel.ts` (it was `npm run bench -- sweep` before that
 * name went to the time-to-answer sweep, `bench/sweep.bench.ts`).
 */
import { loadavg, availableParallelism } from 'node:os';
import { syntheticSensorImages } from '../src/data/synthetic-images.js';
import { estimateNoise, type NodeEstimateNoiseOptions } from '../src/node/estimate.js';
import { DEMO_DEFAULTS } from '../src/cli/demo-command.js';

interface Config {
  name: string;
  workers: number;
  threads: number | 'auto';
}

export default async function parallelSweepBench(): Promise<void> {
  const size = Number(process.env.SWEEP_BENCH_SIZE ?? DEMO_DEFAULTS.size);
  const data = {
    train: syntheticSensorImages({ count: DEMO_DEFAULTS.train, size, classes: DEMO_DEFAULTS.classes, noise: DEMO_DEFAULTS.noise, seed: 11 }),
    test: syntheticSensorImages({ count: DEMO_DEFAULTS.test, size, classes: DEMO_DEFAULTS.classes, noise: DEMO_DEFAULTS.noise, seed: 12 }),
  };
  const options: NodeEstimateNoiseOptions = {
    data,
    levels: [5, 20, 50, 100],
    modelOptions: { widthMultiplier: DEMO_DEFAULTS.width },
    epochs: Number(process.env.SWEEP_BENCH_EPOCHS ?? DEMO_DEFAULTS.epochs),
    batchSize: Number(process.env.SWEEP_BENCH_BATCH ?? DEMO_DEFAULTS.batchSize),
    seed: 3,
    backend: 'auto',
  };
  const cores = availableParallelism();
  const configs: Config[] = [
    { name: '1 worker, 1 thread', workers: 1, threads: 1 },
    { name: `2 workers`, workers: 2, threads: 'auto' },
  ];
  if (process.env.SWEEP_BENCH_THREADS) configs.push({ name: `1 worker, ${cores} threads`, workers: 1, threads: 'auto' });
  const repeats = Number(process.env.SWEEP_BENCH_REPEATS ?? 1);
  const times = configs.map(() => [] as number[]);
  const cpu = configs.map(() => [] as number[]);
  const accuracies = configs.map(() => '');
  let backend = '';
  console.log(
    `4 levels (q 5, 20, 50, 100), ${DEMO_DEFAULTS.train} train / ${DEMO_DEFAULTS.test} test ${size}x${size} RGB, model A width ${DEMO_DEFAULTS.width}, ${options.epochs} epochs, batch ${options.batchSize}; ${cores} cores`,
  );
  for (let r = 0; r < repeats; r++) {
    for (const [i, config] of configs.entries()) {
      const load = loadavg()[0];
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const estimate = await estimateNoise({ ...options, workers: config.workers, threads: config.threads });
      const seconds = (performance.now() - t0) / 1000;
      const c1 = process.cpuUsage(c0); // all threads of the process, workers included
      const cpuSeconds = (c1.user + c1.system) / 1e6;
      times[i].push(seconds);
      cpu[i].push(cpuSeconds);
      backend = estimate.backend;
      accuracies[i] = estimate.levels.map((l) => l.accuracy.toFixed(4)).join(',');
      console.log(`  ${config.name}: ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU (load average before: ${load.toFixed(2)}), accuracies ${accuracies[i]}`);
    }
  }
  const best = times.map((t) => Math.min(...t));
  const speedup = best[0] / best[1];
  const identical = accuracies.every((a) => a === accuracies[0]);
  console.log(`backend ${backend}; identical results: ${identical ? 'yes' : 'NO'}`);
  console.log(`sweep 4 levels, 2 workers vs 1 (one core each): ${best[0].toFixed(1)} s -> ${best[1].toFixed(1)} s; speedup ${speedup.toFixed(2)}x  [bar 1.7x: ${speedup >= 1.7 ? 'PASS' : 'FAIL'}]`);
  if (best.length > 2) console.log(`  against one trainer on ${cores} wasm threads (${best[2].toFixed(1)} s): ${(best[2] / best[1]).toFixed(2)}x`);
  // CPU time depends less on other load: with 2 levels per worker, an idle 2-core machine would
  // take about cpu(2 workers) / 2, against cpu(1 worker, 1 thread).
  const cpu1 = Math.min(...cpu[0]);
  const cpu2 = Math.min(...cpu[1]);
  console.log(`CPU time: 1 worker ${cpu1.toFixed(1)} s, 2 workers ${cpu2.toFixed(1)} s (parallel overhead ${(((cpu2 - cpu1) / cpu1) * 100).toFixed(0)}%); projected idle 2-core speedup ${(cpu1 / (cpu2 / 2)).toFixed(2)}x`);
}

if (import.meta.url === `file://${process.argv[1]}`) await parallelSweepBench();
