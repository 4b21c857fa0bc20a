/**
 * Distributed sweeps on BullMQ: two worker processes and a coordinator on a private
 * redis-server. A worker SIGKILLed mid-cell loses nothing and duplicates nothing, and the
 * summary equals a local run of the same seeds; a coordinator killed (and Redis restarted with
 * its append-only file) resumes with --resume and collects every cell once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFileContent } from '../../src/node/results-file.js';
import { TINY_SWEEP, cellTrainings, doneCells, processGroup, readResults, workerArgs } from './processes.js';
import { redisMissing, startRedis, type TestRedis } from './redis-server.js';

const missing = redisMissing();
if (missing) console.log(missing);

const CELLS = ['10/0', '10/1', '50/0', '50/1', '90/0', '90/1'];

describe.skipIf(missing !== null)('distributed sweeps (BullMQ on a private redis-server)', () => {
  let redis: TestRedis;
  let tmp: string;
  let local: ResultsFileContent;
  const { start, stopAll } = processGroup();
  const read = readResults;
  const accuracies = cellTrainings;

  beforeAll(async () => {
    redis = await startRedis();
    tmp = mkdtempSync(path.join(tmpdir(), 'hh-queue-'));
    // The local run of the same seeds, in this process' neighbour (one trainer, the same backend).
    const run = start(['estimate', ...TINY_SWEEP, '--workers', '1', '--quiet', '--out', path.join(tmp, 'local.json')]);
    expect(await run.exited, run.output()).toBe(0);
    local = read(path.join(tmp, 'local.json'));
  });
  afterAll(async () => {
    await stopAll();
    await redis?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('a worker SIGKILLed mid-cell: another retrains it, every cell once, the same accuracies as a local run', async () => {
    const queue = 'kill-worker';
    const a = start(workerArgs(redis.url, queue, 'A'));
    const b = start(workerArgs(redis.url, queue, 'B'));
    await Promise.all([a.waitFor(/waiting for cells/), b.waitFor(/waiting for cells/)]);
    const out = path.join(tmp, 'kill-worker.json');
    const coordinator = start(['estimate', ...TINY_SWEEP, '--redis', redis.url, '--queue', queue, '--out', out]);
    await a.waitFor(/A: training level/);
    a.child.kill('SIGKILL');
    await a.exited;
    const code = await coordinator.exited;
    expect(code, coordinator.output()).toBe(0);
    const killed = /A: training level (\d+) #(\d+)/.exec(a.output())!;
    const killedCell = `${killed[1]}/${Number(killed[2]) - 1}`;
    const done = doneCells([a.output(), b.output()]);
    // Every cell finished exactly once (the killed one by B), and was collected once.
    expect([...done].sort()).toEqual(CELLS);
    expect(doneCells([b.output()])).toContain(killedCell);
    expect((coordinator.output().match(/^done q /gm) ?? []).length).toBe(6);
    const result = read(out);
    expect(result.cells.map((c) => `${c.level}/${c.repeat}`).sort()).toEqual(CELLS);
    expect(accuracies(result)).toEqual(accuracies(local));
    expect(result.estimate?.levels.map((l) => l.accuracy)).toEqual(local.estimate?.levels.map((l) => l.accuracy));
    b.child.kill('SIGTERM');
    await b.exited;
  });

  it('the coordinator killed, Redis restarted: --resume collects the cells finished meanwhile and waits for the rest', async () => {
    const queue = 'kill-coordinator';
    const out = path.join(tmp, 'kill-coordinator.json');
    const w = start(workerArgs(redis.url, queue, 'W'));
    await w.waitFor(/waiting for cells/);
    const first = start(['estimate', ...TINY_SWEEP, '--redis', redis.url, '--queue', queue, '--out', out]);
    await first.waitFor(/^done q /m);
    first.child.kill('SIGKILL');
    await first.exited;
    const savedBefore = read(out).cells.length;
    expect(savedBefore).toBeGreaterThanOrEqual(1);
    // Redis goes down and comes back with its append-only file: the pending cells are still queued.
    await redis.restart();
    // A worker that starts late joins.
    const late = start(workerArgs(redis.url, queue, 'L'));
    const second = start(['estimate', ...TINY_SWEEP, '--redis', redis.url, '--queue', queue, '--out', out, '--resume']);
    expect(await second.exited, second.output()).toBe(0);
    const result = read(out);
    expect(result.cells.map((c) => `${c.level}/${c.repeat}`).sort()).toEqual(CELLS);
    expect(accuracies(result)).toEqual(accuracies(local));
    // Trained once each, across both workers and both coordinator runs.
    expect(doneCells([w.output(), late.output()]).sort()).toEqual(CELLS);
    w.child.kill('SIGTERM');
    late.child.kill('SIGTERM');
    await Promise.all([w.exited, late.exited]);
  });
});
