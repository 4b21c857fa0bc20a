/**
 * An audio sweep over the queue: a folder of labeled WAV clips (`wav-folder:DIR`) trained by a
 * queue worker process gives the same cells as the local run of the same seeds (the features,
 * MP3 bitrates and the audio model travel by reference and settings, the clips by path).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../src/audio/wav.js';
import { syntheticGuitarEffects } from '../../src/data/synthetic-audio.js';
import { cellTrainings, doneCells, processGroup, readResults, workerArgs } from './processes.js';
import { redisMissing, startRedis, type TestRedis } from './redis-server.js';

const missing = redisMissing();

describe.skipIf(missing !== null)('an audio sweep over the queue', () => {
  let redis: TestRedis;
  let tmp: string;
  const { start, stopAll } = processGroup();
  const read = readResults;
  const cells = cellTrainings;

  beforeAll(async () => {
    redis = await startRedis();
    tmp = mkdtempSync(path.join(tmpdir(), 'hh-queue-audio-'));
    // 3 effects x 6 clips of 1 s at 16 kHz (32 mel frames), as WAV files in one subfolder per class
    const set = syntheticGuitarEffects({ count: 18, duration: 1, sampleRate: 16000, effects: ['NoFX', 'Distortion', 'Tremolo'], seed: 7 });
    set.signals.forEach((signal, i) => {
      const folder = path.join(tmp, 'clips', set.classNames[set.labels[i]]);
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, `${i}.wav`), encodeWav([signal], set.sampleRate));
    });
  });
  afterAll(async () => {
    await stopAll();
    await redis?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('trains every cell once on a worker, with the local run\'s results', async () => {
    const sweep = [
      'estimate', '--audio', '--data', `wav-folder:${path.join(tmp, 'clips')}`, '--sample-rate', '16000', '--levels', '8,32,64',
      '--repeats', '1', '--epochs', '1', '--width', '0.125', '--batch-size', '4', '--backend', 'wasm', '--threads', '1', '--quiet',
    ];
    const local = start([...sweep, '--workers', '1', '--out', path.join(tmp, 'local.json')]);
    expect(await local.exited, local.output()).toBe(0);
    const worker = start(workerArgs(redis.url, 'audio', 'W'));
    await worker.waitFor(/waiting for cells/);
    const coordinator = start([...sweep, '--redis', redis.url, '--queue', 'audio', '--out', path.join(tmp, 'queued.json')]);
    expect(await coordinator.exited, coordinator.output()).toBe(0);
    const queued = read(path.join(tmp, 'queued.json'));
    expect(queued.settings).toMatchObject({ modality: 'audio', codec: 'mp3' });
    expect(queued.cells.map((c) => `${c.level}/${c.repeat}`).sort()).toEqual(['32/0', '64/0', '8/0']);
    expect(cells(queued)).toEqual(cells(read(path.join(tmp, 'local.json'))));
    expect(doneCells([worker.output()]).sort()).toEqual(['32/0', '64/0', '8/0']);
    worker.child.kill('SIGTERM');
  }, 240_000);
});
