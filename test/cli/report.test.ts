import { describe, expect, it } from 'vitest';
import { estimateToCsv, formatLevelTable, formatPartialReport, formatSettings, formatSummary, formatTheory } from '../../src/cli/report.js';
import { sampleSweepEstimate } from '../stats/sample-summary.js';
import { sampleEstimate } from '../node/sample-estimate.js';

describe('formatLevelTable', () => {
  it('shows the mean with its interval, runs, epochs to converge with theirs, and the markers', () => {
    const e = sampleSweepEstimate();
    const table = formatLevelTable(e);
    expect(table).toMatch(/quality\s+Q\s+accuracy \(95% CI\)\s+runs\s+epochs to converge\s+bpp \(paper\)\s+bpp \(tables\)\s+bpp \(measured\)\s+time/);
    expect(table).toMatch(/\n\s+100\s+0\.00\s+0\.\d{3} \+- 0\.\d{3}\s+3\s+9 \+- \d\s+/);
    expect(table).toMatch(/\n\s+20\s+0\.80\s+.*<- knee/);
    expect(table).toContain('<- recommended');
    expect(table).toContain('t interval over repeats');
    expect(table).not.toContain('still improving');
  });
  it('marks levels still improving at their last epoch', () => {
    const e = sampleSweepEstimate({ stillImproving: true });
    const table = formatLevelTable(e);
    expect(table).toMatch(/\n\s+100\s+.*still improving \(3\/3\)/);
    expect(table).toContain("epochs: 'auto'");
  });
  it('labels single-run intervals as a bootstrap over test items, and shows the interval, runs and epochs to converge', () => {
    expect(formatLevelTable(sampleSweepEstimate({ repeats: 1 }))).toContain('95% bootstrap over the test items');
    expect(formatLevelTable(sampleEstimate())).toMatch(/\n\s+20\s+0\.80\s+0\.730 \+- 0\.010\s+3\s+8\s+/);
  });
});

describe('formatSummary', () => {
  it('names the knee with its range, leads content with the measured bits, gives the Welch reason and convergence', () => {
    const text = formatSummary(sampleSweepEstimate());
    expect(text).toMatch(/Knee \(N_approx\): JPEG quality 20 \(Q 0\.80\), range q 20 to q \d+ \(\d+% of the resampled sweeps agree\)/);
    expect(text).toMatch(/Content at the knee: 0\.55 bits per pixel measured in the real JPEG files; the paper's formula gives/);
    expect(text).toMatch(/Recommendation: JPEG quality \d+ \(Q 0\.\d\d\) is the strongest compression .*one-sided Welch test at 5%, difference/);
    expect(text).toMatch(/Convergence: q \d+ converges in .* epochs, q 100 in /);
    expect(text).toMatch(/Trained 9 level\(s\) x 3 runs \(27 trainings\) on 3000 train \/ 1000 test images, 10 classes, backend wasm/);
    expect(text).not.toMatch(/0\.00 bits/);
  });
  it('says plainly when the classifier did not learn, and why there is no knee', () => {
    const e = sampleSweepEstimate({ curve: Array(9).fill(0.13), classes: 8 });
    const text = formatSummary(e);
    expect(text).toMatch(/^The classifier did not learn/);
    expect(text).toContain('Knee (N_approx): not read: the classifier did not learn');
    expect(text).toMatch(/Recommendation: No compression is recommended/);
    const flat = formatSummary({ ...sampleSweepEstimate(), knee: null, kneeReason: 'flat', content: null });
    expect(flat).toContain('Knee (N_approx): none in the tested range: the accuracy spread across all levels is within its own noise');
  });
  it('an unfinished sweep: no knee, theory or recommendation from too few levels, no unknown settings', () => {
    const one = sampleEstimate();
    const partial = { ...one, levels: one.levels.slice(0, 1), classes: 0, backend: 'none', trainCount: 0 };
    const text = formatSummary(partial);
    expect(text).toContain('Only 1 finished level: the knee and the theory curve need at least 3, a recommendation at least 2.');
    expect(text).not.toMatch(/Knee \(N_approx\)|Recommendation:|Theory:|0 classes|backend none/);
    const report = formatPartialReport(partial, { modality: 'image', model: 'A', modelOptions: { widthMultiplier: 0.25 }, epochs: 5, seed: 0, data: { train: 3000, test: 1000, sha256: 'ab' } }, { planned: 9 });
    expect(report).toMatch(/^Unfinished sweep: 1 of 9 level\(s\) finished\.\nSettings: image, model A \(width 0\.25\), 5 epochs, seed 0, data 3000 train \/ 1000 test\./);
    expect(report).toMatch(/quality\s+Q/);
  });
  it('writes the theory line with its sign', () => {
    expect(formatTheory({ offset: 0.575, scale: -0.0022, rmse: 0.01, r2: 0.4 })).toBe('accuracy = 0.575 - 0.0022 * ln(100 - Q%), RMSE 0.010, R^2 0.40');
    expect(formatSummary(sampleEstimate())).toMatch(/Theory: accuracy = \d\.\d{3} \+ 0\.\d{4} \* ln/);
  });
  it('leads the content line with the measured bits, the paper beside them, never "0.00 bits"', () => {
    expect(formatSummary(sampleEstimate())).toContain("Content at the knee: 1.20 bits per pixel measured in the real JPEG files; the paper's formula gives 1.00, the real tables 0.90.");
    const saturated = { ...sampleEstimate(), content: { paper: 0, tables: 0, measured: 0.057, unit: 'bits/pixel' as const, paperSaturated: true } };
    const text = formatSummary(saturated);
    expect(text).toContain("0.057 bits per pixel measured in the real JPEG files; the paper's formula saturates here (it clamps to 0 bits)");
    expect(text).not.toMatch(/0\.00 bits/);
  });
});

describe('formatSettings and estimateToCsv', () => {
  it('prints unknown settings keys as they are', () => {
    expect(formatSettings({ modality: 'audio', epochs: 'auto', features: { nMels: 96 } })).toBe('Settings: audio, epochs auto, features {"nMels":96}.\n');
  });
  it('CSV holds the interval, method, runs and epochs interval', () => {
    const csv = estimateToCsv(sampleSweepEstimate()).trim().split('\n');
    expect(csv).toHaveLength(10);
    const head = csv[0].split(',');
    const first = Object.fromEntries(csv[1].split(',').map((v, i) => [head[i], v]));
    expect(first).toMatchObject({ level: '100', ci_method: 't', runs: '3', still_improving_runs: '0', is_knee: 'false' });
    expect(Number(first.accuracy_ci_low)).toBeLessThan(Number(first.accuracy));
    expect(Number(first.epochs_to_converge_ci_high)).toBeGreaterThan(Number(first.epochs_to_converge));
  });
});
