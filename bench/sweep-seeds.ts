/**
 * The accuracy half of the time-to-answer bar (issue 14) over several seeds on each side: one
 * training's final-epoch accuracy spreads by a few hundredths from seed to seed, as large as the
 * bar's 0.03, so a single run of each side cannot say whether the two pipelines reach the same
 * accuracy. `SWEEP_BENCH_SEEDS=n npm run bench -- sweep` then trains, after the timed round,
 * `n` repeats per level through `estimateNoise` (`repeats: n`, seeds derived from seed 1) and runs
 * the PyTorch peer `n` times with `torch.manual_seed(1..n)` in place of its fixed seed 1, and prints
 * per level both means with their 95% t intervals and the difference of the means with its 95%
 * Welch interval. What it estimates: the expected final-epoch test accuracy of each pipeline at
 * each level (over weight initialization, shuffling and dropout), and their difference.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { estimateNoise, type NodeEstimateNoiseOptions } from '../src/node/estimate.js';
import { meanAndVariance, meanInterval } from '../src/stats/mean-interval.js';
import { welchOneSided, type MeanEstimate } from '../src/stats/welch.js';

/** Per level, the final-epoch test accuracy of every run. */
export type FinalAccuracies = Map<number, number[]>;

function estimateOf(values: readonly number[]): MeanEstimate {
  const { mean, variance, n } = meanAndVariance(values);
  return { mean, varianceOfMean: variance / n, df: n - 1 };
}

const fmt = (values: readonly number[]): string => {
  const { mean } = meanAndVariance(values);
  const i = meanInterval(values);
  return `${mean.toFixed(3)} (${i.low.toFixed(3)} to ${i.high.toFixed(3)})`;
};

/** Our sweep with `repeats: seeds`: every run's final-epoch test accuracy per level. */
export async function oursOverSeeds(options: NodeEstimateNoiseOptions, seeds: number): Promise<FinalAccuracies> {
  const estimate = await estimateNoise({ ...options, repeats: seeds });
  return new Map(estimate.levels.map((l) => [l.level, l.runs.map((r) => r.lastAccuracy)]));
}

/**
 * The peer script run once per seed 1..`seeds` (its `torch.manual_seed(1)` replaced by the seed;
 * nothing else changes), its per-level final-epoch accuracies collected; a string says why not.
 */
export function peerOverSeeds(script: string, seeds: number): FinalAccuracies | string {
  const source = readFileSync(script, 'utf8');
  if (!source.includes('torch.manual_seed(1)')) return `${script} has no torch.manual_seed(1) to vary`;
  const out: FinalAccuracies = new Map();
  for (let s = 1; s <= seeds; s++) {
    const program = `import sys\nsrc = open(sys.argv[1]).read().replace('torch.manual_seed(1)', 'torch.manual_seed(${s})')\nexec(compile(src, sys.argv[1], 'exec'))\n`;
    const r = spawnSync('/usr/bin/python3', ['-c', program, script], { encoding: 'utf8', timeout: 1_800_000, maxBuffer: 1 << 24 });
    if (r.error || r.status !== 0) return `seed ${s}: ${r.error?.message ?? (r.stderr || '').trim().split('\n').slice(-1)[0]}`;
    for (const line of r.stdout.split('\n')) {
      const m = /^q(\d+): final ([\d.]+)/.exec(line);
      if (m) out.set(Number(m[1]), [...(out.get(Number(m[1])) ?? []), Number(m[2])]);
    }
  }
  return out;
}

/** Prints the per-level comparison; returns whether every level's difference of means is within `bar`. */
export function reportOverSeeds(levels: readonly number[], ours: FinalAccuracies, peer: FinalAccuracies, bar = 0.03): boolean {
  console.log('| level | ours: mean final-epoch accuracy (95% interval) | PyTorch | difference of means (95% Welch interval) |');
  console.log('|---|---|---|---|');
  let pass = true;
  for (const level of levels) {
    const a = ours.get(level) ?? [];
    const b = peer.get(level) ?? [];
    if (a.length < 2 || b.length < 2) {
      console.log(`| q ${level} | ${a.join(', ')} | ${b.join(', ')} | fewer than 2 runs |`);
      pass = false;
      continue;
    }
    const w = welchOneSided(estimateOf(a), estimateOf(b), 0.025);
    if (!(Math.abs(w.difference) <= bar)) pass = false;
    const d = `${w.difference >= 0 ? '+' : ''}${w.difference.toFixed(3)} (${w.ci[0].toFixed(3)} to ${w.ci[1].toFixed(3)})`;
    console.log(`| q ${level} | ${fmt(a)} | ${fmt(b)} | ${d} |`);
  }
  return pass;
}
