import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/run.js';
import { estimateNoise } from '../../src/node/estimate.js';
import { renderNoisePlotSvg } from '../../src/node/plot.js';
import { readResultsFile } from '../../src/node/results-file.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'hh-demo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const TINY = ['--train', '24', '--test', '12', '--size', '8', '--classes', '3', '--epochs', '1', '--levels', '10,50,100', '--width', '0.125', '--batch-size', '8', '--repeats', '2'];

describe('helmholtz-ml demo, end to end with tiny settings', () => {
  it('runs in-process: trains, prints the table and summary, writes the results file and the plot', async () => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['demo', ...TINY, '--workers', '1', '--out-dir', 'in-process'], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s), isTTY: false },
      cwd: tmp,
      estimateNoise,
      renderPlot: renderNoisePlotSvg,
    });
    expect(stderr).toContain('Demo: 24 train / 12 test synthetic 8x8 RGB images');
    expect(code).toBe(0);
    expect(stdout).toMatch(/quality\s+Q\s+accuracy/);
    expect(stdout).toMatch(/Knee \(N_approx\)/);
    expect(stdout).toMatch(/Recommendation: .*JPEG quality \d+/);
    const saved = await readResultsFile(path.join(tmp, 'in-process', 'helmholtz-demo.json'));
    expect(saved?.cells).toHaveLength(6);
    // t over the 2 repeats; runs that agree exactly fall back to the bootstrap over test items.
    expect(saved?.estimate?.levels.every((l) => l.runs.length === 2 && l.ciMethod === (l.runs[0].accuracy === l.runs[1].accuracy ? 'bootstrap-test-items' : 't'))).toBe(true);
    expect(saved?.estimate?.levels.map((l) => l.level)).toEqual([100, 50, 10]);
    expect(readFileSync(path.join(tmp, 'in-process', 'helmholtz-demo.svg'), 'utf8')).toContain('Accuracy vs JPEG quantization');
  });

  it('runs as the bin (tsx src/cli/main.ts) with 2 worker threads', () => {
    const out = path.join(tmp, 'bin');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'src', 'cli', 'main.ts'), 'demo', ...TINY, '--workers', '2', '--out-dir', out], {
      cwd: tmp,
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect(r.stderr).toMatch(/done q 100/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Wrote .*helmholtz-demo\.json, .*helmholtz-demo\.svg/);
    expect(existsSync(path.join(out, 'helmholtz-demo.svg'))).toBe(true);
  });
});
