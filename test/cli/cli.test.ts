import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliIo } from '../../src/cli/run.js';
import type { NodeEstimateNoiseOptions } from '../../src/node/estimate.js';
import type { ImageDataset, NoiseEstimate } from '../../src/noise/types.js';

/** The options the image commands pass (audio ones are tested in audio-cli.test.ts). */
type ImageCall = NodeEstimateNoiseOptions & { data: ImageDataset };
import { sampleEstimate } from '../node/sample-estimate.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIX = path.join(ROOT, 'test', 'fixtures', 'node');
const tmp = mkdtempSync(path.join(tmpdir(), 'hh-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  calls: ImageCall[];
}

/** Runs the CLI in-process with a fake estimateNoise that reports progress and returns a sample estimate. */
async function cli(argv: string[], overrides: Partial<CliIo> = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const calls: ImageCall[] = [];
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    cwd: tmp,
    estimateNoise: async (options): Promise<NoiseEstimate> => {
      calls.push(options as ImageCall);
      const est = sampleEstimate();
      options.onProgress?.({ phase: 'compress', level: 100, levelIndex: 0, levelCount: 2, elapsedSeconds: 0 });
      options.onProgress?.({ phase: 'train', level: 100, levelIndex: 0, levelCount: 2, epoch: 1, epochs: 2, accuracy: 0.5, elapsedSeconds: 1, etaSeconds: 3 });
      await options.onCellComplete?.(est.levels[0].runs[0]);
      return est;
    },
    renderPlot: async () => '<svg>fake</svg>',
    ...overrides,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr, calls };
}

describe('helmholtz-ml --help', () => {
  it('documents every flag of every subcommand', async () => {
    const main = await cli(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/demo[\s\S]*estimate[\s\S]*report/);
    const estimate = await cli(['estimate', '--help']);
    expect(estimate.code).toBe(0);
    for (const flag of ['--data', '--levels', '--model', '--width', '--epochs', '--batch-size', '--optimizer', '--seed', '--backend', '--out', '--csv', '--plot', '--resume', '--workers', '--threads', '--train', '--test', '--fit', '--strategy']) {
      expect(estimate.stdout).toContain(flag);
    }
    expect(estimate.stdout).toContain('cifar10:DIR');
    const demo = await cli(['demo', '-h']);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('--out-dir');
    expect(demo.stdout).toContain('--noise');
    expect((await cli(['help', 'report'])).stdout).toContain('helmholtz-ml report FILE');
    expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('bad usage: a clear message, exit code 2, no stack trace', () => {
  const cases: [string[], RegExp][] = [
    [[], /Usage: helmholtz-ml <command>/],
    [['estimat'], /unknown command "estimat"/],
    [['estimate', '--data', 'idx:x', '--epoch', '3'], /unknown flag --epoch .*did you mean --epochs/],
    [['estimate', '--data', 'idx:x', '--epochs', 'three'], /--epochs must be "auto" or an integer in 1\.\.100000, got "three"/],
    [['estimate', '--data', 'idx:x', '--levels', '5,100'], /--levels needs at least 3 levels/],
    [['estimate', '--data', 'idx:x', '--levels', '0,5,100'], /--levels must be a comma-separated list of integers in 1\.\.100, got "0"/],
    [['estimate', '--data', 'idx:x', '--levels', '5,5,100'], /--levels must not repeat a level/],
    [['estimate', '--data', 'idx:x', '--backend', 'gpu'], /--backend must be one of auto, tensorflow, wasm, cpu, got "gpu"/],
    [['estimate', '--data', 'idx:x', '--workers', 'many'], /--workers must be "auto" or an integer/],
    [['estimate', '--data', 'idx:x', '--threads', '0'], /--threads must be "auto" or an integer in 1\.\.256, got "0"/],
    [['estimate', '--levels', '1,5,10'], /--data is required/],
    [['estimate', '--data', 'mnist:/x'], /--data must start with cifar10:, idx:, folder: or \(with --audio\) wav-folder:/],
    [['estimate', '--data', 'idx:a,b,c'], /--data idx: takes DIR, IMAGES,LABELS or/],
    [['estimate', '--data', 'idx:x', '--resume'], /--resume needs --out FILE/],
    [['estimate', '--data', 'idx:x', '--out'], /--out needs a value/],
    [['demo', 'now'], /unexpected argument "now"/],
    [['demo', '--train', '3'], /--train must be an integer in 10\.\.1000000, got "3"/],
    [['demo', '--width', '0'], /--width must be a number in 0\.01\.\.4/],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(' ') || '(no arguments)', async () => {
      const r = await cli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.calls).toHaveLength(0);
    });
  }
});

describe('helmholtz-ml estimate', () => {
  it('loads the data, passes the flags to estimateNoise, prints the table and writes CSV and plot', async () => {
    const r = await cli([
      'estimate', '--data', `folder:${path.join(FIX, 'folder')}`, '--test-fraction', '0.34', '--levels', '10,50,100',
      '--model', 'B', '--width', '0.5', '--epochs', '3', '--batch-size', '4', '--optimizer', 'paper', '--augment', '--seed', '7',
      '--backend', 'cpu', '--workers', '2', '--threads', '1', '--strategy', 'adaptive', '--csv', 'out/levels.csv', '--plot', 'out/plot.svg', '--out', 'out/results.json',
    ]);
    expect(r.stderr).toContain('Data: image folder');
    expect(r.code).toBe(0);
    expect(r.calls).toHaveLength(1);
    const o = r.calls[0];
    expect(o).toMatchObject({
      levels: [10, 50, 100], model: 'B', modelOptions: { widthMultiplier: 0.5 }, epochs: 3, batchSize: 4, optimizer: 'paper',
      augment: true, seed: 7, backend: 'cpu', workers: 2, threads: 1, strategy: 'adaptive',
      resultsFile: { path: path.join(tmp, 'out', 'results.json'), existing: 'refuse' },
    });
    expect(o.data.train.images.length + o.data.test.images.length).toBe(9);
    // Progress on stderr as plain lines (not a terminal).
    expect(r.stderr).toContain('[1/2] q 100 epoch 1/2 acc 0.500');
    expect(r.stderr).toMatch(/done q 100 #1: accuracy 0\.766/);
    // Table, knee, content, recommendation on stdout.
    expect(r.stdout).toMatch(/quality\s+Q\s+accuracy \(95% CI\)\s+runs\s+epochs to converge\s+bpp \(paper\)/);
    expect(r.stdout).toMatch(/20\s+0\.80\s+0\.730.*<- knee/);
    expect(r.stdout).toContain('Knee (N_approx): JPEG quality 20 (Q 0.80)');
    expect(r.stdout).toContain("Content at the knee: 1.20 bits per pixel measured in the real JPEG files; the paper's formula gives 1.00");
    expect(r.stdout).toContain('Recommendation: JPEG quality 25 (Q 0.75)');
    const csv = readFileSync(path.join(tmp, 'out', 'levels.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^level,Q,accuracy,accuracy_ci_low,accuracy_ci_high,ci_method,runs,still_improving_runs,epochs_to_converge,/);
    expect(csv).toHaveLength(10);
    expect(readFileSync(path.join(tmp, 'out', 'plot.svg'), 'utf8')).toBe('<svg>fake</svg>');
  });

  it('uses subsets, IDX files and --resume', async () => {
    const r = await cli([
      'estimate', '--data', `idx:${path.join(FIX, 'idx')}`, '--train', '4', '--test', '2', '--levels', '1,50,100', '--out', 'r2.json', '--resume',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Data: IDX .*: 4 of 6 train \/ 2 of 3 test images, 3x4 gray/);
    expect(r.calls[0].data.train.images).toHaveLength(4);
    expect(r.calls[0].resultsFile).toEqual({ path: path.join(tmp, 'r2.json'), existing: 'resume' });
  });

  it('refuses to replace a results file holding finished levels unless told', async () => {
    const file = path.join(tmp, 'held.json');
    writeFileSync(file, JSON.stringify({ format: 'helmholtz-ml/results', version: 2, settings: {}, cells: [sampleEstimate().levels[0].runs[0]], estimate: null }));
    const r = await cli(['estimate', '--data', `idx:${path.join(FIX, 'idx')}`, '--levels', '1,50,100', '--out', 'held.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out held\.json already holds 1 finished cell\(s\) \(levels 100\): pass --resume/);
    const ok = await cli(['estimate', '--data', `idx:${path.join(FIX, 'idx')}`, '--levels', '1,50,100', '--out', 'held.json', '--overwrite', '-q']);
    expect(ok.code).toBe(0);
    expect(ok.calls[0].resultsFile).toMatchObject({ existing: 'overwrite' });
  });

  it('reports malformed data files with exit code 1, naming the file, without a stack trace', async () => {
    const r = await cli(['estimate', '--data', `cifar10:${path.join(FIX, 'cifar10-truncated')}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/helmholtz-ml estimate: error: .*data_batch_2\.bin: truncated record 1 at byte offset 3073/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const mixed = await cli(['estimate', '--data', `folder:${path.join(FIX, 'folder-mixed')}`]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/1\.png: image is 20x12, expected 8x6/);
  });

  it('turns estimateNoise errors into messages and Ctrl-C into exit code 130', async () => {
    const failing = await cli(['estimate', '--data', `idx:${path.join(FIX, 'idx')}`, '--levels', '1,50,100'], {
      estimateNoise: async () => {
        throw new RangeError('data.train.labels must hold at least 2 classes, got only class 0');
      },
    });
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('error: data.train.labels must hold at least 2 classes');
    const controller = new AbortController();
    const interrupted = await cli(['estimate', '--data', `idx:${path.join(FIX, 'idx')}`, '--levels', '1,50,100', '--out', 'int.json'], {
      signal: controller.signal,
      estimateNoise: async (options) => {
        await options.onCellComplete?.(sampleEstimate().levels[0].runs[0]);
        controller.abort(new Error('interrupted'));
        throw new Error('interrupted');
      },
    });
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/Interrupted after .*; 1 cell\(s\) finished in this run\. They are saved in .*int\.json: run the same command with --resume/);
  });
});

describe('helmholtz-ml demo (fake sweep)', () => {
  it('writes helmholtz-demo.json through the results file and helmholtz-demo.svg into --out-dir', async () => {
    const r = await cli(['demo', '--out-dir', 'demo-out', '--train', '20', '--test', '12', '--size', '8', '--epochs', '1', '-q']);
    expect(r.code).toBe(0);
    const o = r.calls[0];
    expect(o.data.train.images).toHaveLength(20);
    expect(o.data.test.images[0]).toMatchObject({ width: 8, height: 8, channels: 3 });
    expect(o.resultsFile).toEqual({ path: path.join(tmp, 'demo-out', 'helmholtz-demo.json'), existing: 'overwrite' });
    expect(existsSync(path.join(tmp, 'demo-out', 'helmholtz-demo.svg'))).toBe(true);
    expect(r.stdout).toContain('Knee (N_approx)');
  });
});

describe('helmholtz-ml report', () => {
  it('prints a saved results file, also a partial one', async () => {
    const file = path.join(tmp, 'saved.json');
    const est = sampleEstimate();
    writeFileSync(file, JSON.stringify({ format: 'helmholtz-ml/results', version: 2, settings: {}, cells: est.levels.flatMap((l) => l.runs), estimate: est }));
    const r = await cli(['report', 'saved.json', '--csv', 'saved.csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Knee (N_approx): JPEG quality 20');
    expect(readFileSync(path.join(tmp, 'saved.csv'), 'utf8')).toMatch(/^level,Q/);
    writeFileSync(file, JSON.stringify({ format: 'helmholtz-ml/results', version: 2, settings: {}, cells: est.levels.slice(0, 4).map((l) => l.runs[0]), estimate: null }));
    const partial = await cli(['report', 'saved.json']);
    expect(partial.code).toBe(0);
    expect(partial.stdout).toContain('(partial: 4 finished cell(s)');
    writeFileSync(file, JSON.stringify({ format: 'helmholtz-ml/results', version: 1, settings: {}, levels: [], estimate: null }));
    expect((await cli(['report', 'saved.json'])).stderr).toMatch(/results file version 1 .*reads version 2/);
    expect((await cli(['report'])).code).toBe(2);
    expect((await cli(['report', 'missing.json'])).stderr).toMatch(/missing\.json: no such results file/);
  });
});
