import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeWav } from '../../src/audio/wav.js';
import { runCli, type CliIo } from '../../src/cli/run.js';
import type { NodeEstimateNoiseOptions } from '../../src/node/estimate.js';
import { summarizeCells } from '../../src/noise/summarize-cells.js';
import type { AudioEstimateNoiseOptions, NoiseEstimate, RunResult } from '../../src/noise/types.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'hh-audio-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type AudioCall = NodeEstimateNoiseOptions & AudioEstimateNoiseOptions;

/** An audio estimate shaped like a sweep that falls at 8 kbps. */
function audioEstimate(): NoiseEstimate {
  const levels = [160, 128, 96, 64, 32, 16, 8];
  const acc = [0.62, 0.62, 0.61, 0.6, 0.58, 0.5, 0.3];
  const cells: RunResult[] = levels.map((level, i) => ({
    level,
    repeat: 0,
    seed: 0,
    accuracy: acc[i],
    testAccuracy: acc[i],
    paperAccuracy: acc[i],
    lastAccuracy: acc[i],
    bestAccuracy: acc[i] + 0.02,
    selectedEpoch: 1,
    epochsRun: 2,
    epochsToConverge: null,
    stillImproving: false,
    history: [],
    bits: { unit: 'bits/s', nominal: level * 1000, measured: level * 1000 + 900 },
    testCount: 96,
    seconds: 20,
    compressSeconds: 5,
    trainSeconds: 15,
  }));
  const estimate = summarizeCells(cells, { modality: 'audio', grid: levels, trainCount: 240, classes: 12, backend: 'wasm' });
  return {
    ...estimate,
    knee: { level: 32, Q: 128 / 152, range: [32, 32], support: 1 },
    kneeReason: null,
    content: { paper: 32000, measured: 32000, unit: 'bits/s', paperSaturated: false },
    sourceBits: 160000,
    recommendation: { level: 32, Q: 128 / 152, reason: '32 kbps is the strongest compression within 0.05 of the best' },
    timings: { totalSeconds: 140, compressSeconds: 35, trainSeconds: 105 },
  };
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string; calls: AudioCall[]; plots: NoiseEstimate[] }> {
  let stdout = '';
  let stderr = '';
  const calls: AudioCall[] = [];
  const plots: NoiseEstimate[] = [];
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    cwd: tmp,
    estimateNoise: async (options) => {
      calls.push(options as AudioCall);
      const est = audioEstimate();
      options.onProgress?.({ phase: 'train', level: 160, levelIndex: 0, levelCount: 7, epoch: 1, epochs: 2, accuracy: 0.5, elapsedSeconds: 1 });
      await options.onCellComplete?.(est.levels[0].runs[0]);
      return est;
    },
    renderPlot: async (estimate) => {
      plots.push(estimate);
      return '<svg>fake</svg>';
    },
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr, calls, plots };
}

describe('helmholtz-ml demo --audio', () => {
  it('sweeps synthetic guitar effects at the paper bitrates and prints the audio table', async () => {
    const r = await cli(['demo', '--audio', '--train', '12', '--test', '12', '--duration', '0.5', '--epochs', '1', '--out-dir', 'audio-demo']);
    expect(r.code).toBe(0);
    const o = r.calls[0];
    expect(o.modality).toBe('audio');
    expect(o.levels).toEqual([8, 16, 32, 64, 96, 160]);
    expect(o.data.train.signals).toHaveLength(12);
    expect(o.data.train.signals[0]).toHaveLength(22050);
    expect(o.data.train.sampleRate).toBe(44100);
    expect(new Set(o.data.train.labels).size).toBe(12);
    expect(o.features).toMatchObject({ nMels: 64, hopLength: 1024, normalize: 'standardize' });
    expect(o.resultsFile).toEqual({ path: path.join(tmp, 'audio-demo', 'helmholtz-demo-audio.json'), existing: 'overwrite' });
    expect(r.stderr).toContain('[1/7] 160 kbps epoch 1/2');
    expect(r.stdout).toMatch(/kbps\s+Q\s+accuracy/);
    expect(r.stdout).toContain('Knee (N_approx): 32 kbps');
    expect(r.stdout).toContain('kbit/s');
    expect(r.plots[0].modality).toBe('audio');
  });

  it('refuses image-only flags and out-of-range bitrates', async () => {
    expect((await cli(['demo', '--audio', '--augment'])).stderr).toMatch(/--augment is for images/);
    expect((await cli(['demo', '--audio', '--levels', '8,16,400'])).code).toBe(2);
    expect((await cli(['demo', '--audio', '--levels', '8,160'])).stderr).toMatch(/at least 3 levels/);
  });
});

describe('helmholtz-ml estimate --audio', () => {
  const dir = path.join(tmp, 'Samples');
  const tone = (f: number, rate: number, seconds: number): Float32Array =>
    Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * f * i) / rate));
  for (const [cls, f] of [['NoFX', 220], ['Tremolo', 330]] as const) {
    mkdirSync(path.join(dir, cls), { recursive: true });
    for (let k = 1; k <= 4; k++) writeFileSync(path.join(dir, cls, `${k}.wav`), encodeWav([tone(f * k, 22050, 0.25 + 0.05 * k)], 22050));
  }

  it('loads a WAV folder, resamples, splits 75/25 per class and passes the audio options', async () => {
    const r = await cli(['estimate', '--audio', '--data', 'wav-folder:Samples', '--levels', '8,32,160', '--duration', '0.5', '--epochs', '2', '--csv', 'a.csv', '--plot', 'a.svg']);
    expect(r.code).toBe(0);
    const o = r.calls[0];
    expect(o.modality).toBe('audio');
    expect(o.levels).toEqual([8, 32, 160]);
    expect(o.data.train.sampleRate).toBe(44100);
    expect(o.data.train.signals).toHaveLength(6);
    expect(o.data.test.signals).toHaveLength(2);
    expect(o.features).toEqual({ duration: 0.5 });
    expect(o.batchSize).toBe(8); // scaled to the data: 6 clips (at most the paper's 50)
    expect(r.stderr).toMatch(/WAV folder .*: 6 train \/ 2 test clips at 44100 Hz, 2 classes \(NoFX, Tremolo\)/);
    expect(r.stdout).toContain('Wrote');
  });

  it('says how to ask for audio data', async () => {
    const r = await cli(['estimate', '--data', 'wav-folder:Samples']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/add --audio/);
    const bad = await cli(['estimate', '--audio', '--data', 'idx:foo']);
    expect(bad.stderr).toMatch(/wav-folder:DIR with --audio/);
  });
});
