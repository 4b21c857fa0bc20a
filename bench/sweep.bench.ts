/**
 * Parallel sweeps: the same 4-level noise estimate trained by one trainer on one core (levels one
 * after another in the main thread, wasm on 1 thread) and by 2 worker threads (one tfjs instance
 * and one core each), wall time from the call to the result, worker start-up included. Bar: at
 * least 1.7x on 2 cores. Also timed: one trainer whose wasm backend runs on every core (what
 * `workers: 1` gives by default), the alternative to level-parallel workers.
 *
 * Runs alternate and the fastest of each configuration counts, to damp other load on a shared
 * machine; the load average is printed with each run. Results must be identical (same seeds,
 * same levels).
 *
 * `npm run bench -- sweep`; `SWEEP_BENCH_REPEATS=1` for one round, `SWEEP_BENCH_EPOCHS=n` for
 * lighter or heavier levels (default 20: about 10 s per level on one core, still short next to a real
 * sweep's, where the workers' fixed start-up cost weighs even less).
 */
import { loadavg, availableParallelism } from 'node:os';
import { syntheticSensorImages } from '../src/data/synthetic-images.js';
import { estimateNoise, type NodeEstimateNoiseOptions } from '../src/node/estimate.js';

interface Config {
  name: string;
  workers: number;
  threads: number | 'auto';
}

export default async function sweepBench(): Promise<void> {
  const data = {
    train: syntheticSensorImages({ count: 600, size: 16, classes: 6, noise: 12, seed: 11 }),
    test: syntheticSensorImages({ count: 200, size: 16, classes: 6, noise: 12, seed: 12 }),
  };
  const options: NodeEstimateNoiseOptions = {
    data,
    levels: [5, 20, 50, 100],
    modelOptions: { widthMultiplier: 0.25 },
    epochs: Number(process.env.SWEEP_BENCH_EPOCHS ?? 20),
    batchSize: 32,
    seed: 3,
    backend: 'auto',
  };
  const cores = availableParallelism();
  const configs: Config[] = [
    { name: '1 worker, 1 thread', workers: 1, threads: 1 },
    { name: `2 workers`, workers: 2, threads: 'auto' },
    { name: `1 worker, ${cores} threads`, workers: 1, threads: 'auto' },
  ];
  const repeats = Number(process.env.SWEEP_BENCH_REPEATS ?? 2);
  const times = configs.map(() => [] as number[]);
  const cpu = configs.map(() => [] as number[]);
  const accuracies = configs.map(() => '');
  let backend = '';
  console.log(`4 levels (q 5, 20, 50, 100), 600 train / 200 test 16x16 RGB, model A width 0.25, ${options.epochs} epochs, batch 32; ${cores} cores`);
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
  console.log(`  against one trainer on ${cores} wasm threads (${best[2].toFixed(1)} s): ${(best[2] / best[1]).toFixed(2)}x`);
  // CPU time depends less on other load: with 2 levels per worker, an idle 2-core machine would
  // take about cpu(2 workers) / 2, against cpu(1 worker, 1 thread).
  const cpu1 = Math.min(...cpu[0]);
  const cpu2 = Math.min(...cpu[1]);
  console.log(`CPU time: 1 worker ${cpu1.toFixed(1)} s, 2 workers ${cpu2.toFixed(1)} s (parallel overhead ${(((cpu2 - cpu1) / cpu1) * 100).toFixed(0)}%); projected idle 2-core speedup ${(cpu1 / (cpu2 / 2)).toFixed(2)}x`);
}
