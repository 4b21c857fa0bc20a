/**
 * Distributed sweeps on loopback: the same 8-cell sweep (4 levels x 2 repeats) trained by one
 * queue worker process (1 processor thread, wasm on 1 thread) and by two, through a private
 * redis-server; wall time from the coordinator's call to the result (workers already waiting).
 * Bar: 2 workers at least 1.8x faster than 1. The results must be identical (same seeds).
 *
 * The sweep: synthetic 16x16 RGB images (`QUEUE_BENCH_TRAIN`, default 400 train / 100 test),
 * model A at width 0.25, batch 16, `QUEUE_BENCH_EPOCHS` epochs (default 3). `npm run bench -- queue`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSyntheticSpec } from '../src/cli/worker-command.js';
import { estimateNoise } from '../src/node/estimate.js';
import { createQueueRunner } from '../src/node/queue/runner.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function startWorker(url: string, queue: string, name: string): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), 'worker', '--redis', url, '--queue', queue, '--name', name, '--backend', 'wasm', '--threads', '1', '--quiet'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (c: Buffer) => {
      text += c.toString();
      if (text.includes('waiting for cells')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker ${name} exited (${code}): ${text}`)));
  });
  return { child, ready };
}

export default async function queueBench(): Promise<void> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    console.log('skipped: redis-server is not on PATH');
    return;
  }
  const port = 20000 + (process.pid % 20000);
  const dir = mkdtempSync(path.join(tmpdir(), 'hh-queue-bench-'));
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() !== 'PONG'; i++) await new Promise((r) => setTimeout(r, 50));
  const train = Number(process.env.QUEUE_BENCH_TRAIN ?? 400);
  const epochs = Number(process.env.QUEUE_BENCH_EPOCHS ?? 3);
  const spec = `synthetic:train=${train},test=${Math.round(train / 4)},size=16,classes=4`;
  const data = loadSyntheticSpec(spec, 0);
  const times: Record<number, number> = {};
  const accuracies: Record<number, number[]> = {};
  try {
    for (const count of [1, 2]) {
      const queue = `bench-${count}-${Date.now()}`;
      const workers = Array.from({ length: count }, (_, i) => startWorker(url, queue, `w${i + 1}`));
      await Promise.all(workers.map((w) => w.ready));
      const start = performance.now();
      const estimate = await estimateNoise({
        data: { train: data.train, test: data.test },
        levels: [5, 20, 50, 100],
        repeats: 2,
        modelOptions: { widthMultiplier: 0.25 },
        epochs,
        batchSize: 16,
        backend: 'wasm',
        threads: 1,
        runner: createQueueRunner({ connection: url, queue, data: { spec, cwd: ROOT, settings: { seed: 0 } } }),
      });
      times[count] = (performance.now() - start) / 1000;
      accuracies[count] = estimate.levels.flatMap((l) => l.runs.map((r) => r.accuracy));
      const load = loadavg().map((l) => l.toFixed(2)).join(' ');
      console.log(`${count} worker process(es) x 1 thread: 8 cells in ${times[count].toFixed(1)} s (load average ${load})`);
      for (const w of workers) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => new Promise((r) => (w.child.exitCode !== null ? r(null) : w.child.once('exit', r)))));
    }
  } finally {
    redis.kill('SIGTERM');
    await new Promise((r) => redis.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  const same = JSON.stringify(accuracies[1]) === JSON.stringify(accuracies[2]);
  const ratio = times[1] / times[2];
  console.log(`speed-up 2 vs 1 worker: ${ratio.toFixed(2)}x (bar 1.8x: ${ratio >= 1.8 ? 'met' : 'NOT met'}); identical results: ${same ? 'yes' : 'NO'}`);
}
