/**
 * A cell that fails on every attempt: the coordinator (`estimate --redis`) lets the other cells
 * finish and be saved, then prints the summary of the finished cells, names the missing cell
 * with its error, and exits 1, never hanging. The worker is a BullMQ worker in this process
 * that trains cells with the real processor but fails every attempt of level 50.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import processCell from '../../src/node/queue/processor.js';
import { WORKER_CONFIG_ENV, type CellJobData } from '../../src/node/queue/types.js';
import type { ResultsFileContent } from '../../src/node/results-file.js';
import type { RunResult } from '../../src/noise/types.js';
import { ROOT, TINY_SWEEP, startCli, type CliProcess } from './processes.js';
import { redisMissing, startRedis, type TestRedis } from './redis-server.js';

const missing = redisMissing();

describe.skipIf(missing !== null)('a cell that fails on every attempt', () => {
  let redis: TestRedis;
  let tmp: string;
  let worker: Worker<CellJobData, RunResult> | undefined;
  let coordinator: CliProcess | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    tmp = mkdtempSync(path.join(tmpdir(), 'hh-failed-cell-'));
  });
  afterAll(async () => {
    if (coordinator && coordinator.child.exitCode === null) coordinator.child.kill('SIGKILL');
    await worker?.close();
    await redis?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('is named with its error after the others finish, and the finished cells are summarized', async () => {
    const queue = 'failing-cell';
    const out = path.join(tmp, 'failing.json');
    process.env[WORKER_CONFIG_ENV] = JSON.stringify({
      name: 'T',
      backend: 'cpu',
      threads: 1,
      loader: pathToFileURL(path.join(ROOT, 'src', 'cli', 'worker-command.ts')).href,
    });
    const attempts: number[] = [];
    worker = new Worker<CellJobData, RunResult>(
      queue,
      async (job: Job<CellJobData, RunResult>) => {
        if (job.data.cell.level === 50) {
          attempts.push(job.attemptsMade + 1);
          throw new Error(`simulated failure of level 50 #${job.data.cell.repeat + 1}`);
        }
        return processCell(job as never);
      },
      { connection: { host: '127.0.0.1', port: redis.port }, concurrency: 1 },
    );
    coordinator = startCli(['estimate', ...TINY_SWEEP, '--redis', redis.url, '--queue', queue, '--out', out]);
    const code = await coordinator.exited;
    const output = coordinator.output();
    expect(code, output).toBe(1);
    if (process.env.SHOW) console.log(output);
    // the other four cells are saved and summarized; the two of level 50 are named with their error
    const saved = (JSON.parse(readFileSync(out, 'utf8')) as ResultsFileContent).cells.map((c) => `${c.level}/${c.repeat}`).sort();
    expect(saved).toEqual(['10/0', '10/1', '90/0', '90/1']);
    expect(output).toMatch(/partial: 4 finished cell\(s\); 2 cell\(s\) failed on every attempt and are missing/);
    expect(output).toMatch(/level 50 #1 \(simulated failure of level 50 #1\)/);
    expect(output).toMatch(/level 50 #2 \(simulated failure of level 50 #2\)/);
    expect(output).toMatch(/--resume/);
    // three attempts each (the default), with backoff
    expect(attempts.sort()).toEqual([1, 1, 2, 2, 3, 3]);
  }, 180_000);
});
