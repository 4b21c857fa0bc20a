import { describe, expect, it } from 'vitest';
import { createProgressReporter } from '../../src/cli/progress.js';
import { formatDuration } from '../../src/cli/report.js';
import { sampleEstimate } from '../node/sample-estimate.js';

describe('progress on stderr', () => {
  it('redraws one bar line on a terminal: levels done, running levels, accuracy, time left', () => {
    let out = '';
    const p = createProgressReporter({ write: (s: string) => (out += s), isTTY: true, columns: 120 }, { throttleMs: 0 });
    p.onProgress({ phase: 'compress', level: 100, levelIndex: 0, levelCount: 4, elapsedSeconds: 0 });
    p.onProgress({ phase: 'train', level: 100, levelIndex: 0, levelCount: 4, epoch: 2, epochs: 5, accuracy: 0.5, elapsedSeconds: 12, etaSeconds: 130 });
    p.onProgress({ phase: 'train', level: 50, levelIndex: 1, levelCount: 4, epoch: 1, epochs: 5, accuracy: 0.25, elapsedSeconds: 13, etaSeconds: 125 });
    const last = out.split('\r\x1b[2K').pop()!;
    expect(last).toMatch(/^[█░]{20} 0\/4 cells · q 100 epoch 2\/5 acc 0\.500 \| q 50 epoch 1\/5 acc 0\.250 · 13s elapsed, ~2m05s left$/);
    p.levelDone(sampleEstimate().levels[0].runs[0]);
    expect(out).toContain('\r\x1b[2Kdone q 100 #1: accuracy 0.766 (epoch 10 of 12), converged at epoch 4, 10s\n');
    expect(out.split('\r\x1b[2K').pop()).toMatch(/ 1\/4 cells · q 50 epoch 1\/5/);
    p.onProgress({ phase: 'done', level: 50, levelIndex: 3, levelCount: 4, elapsedSeconds: 60 });
    expect(out.endsWith('\r\x1b[2K')).toBe(true);
    expect(out).not.toContain('\n\n');
  });

  it('prints plain lines when not a terminal, and truncates the bar to the terminal width', () => {
    let out = '';
    const p = createProgressReporter({ write: (s: string) => (out += s) });
    p.onProgress({ phase: 'train', level: 20, levelIndex: 2, levelCount: 9, epoch: 3, epochs: 10, accuracy: 0.61234, elapsedSeconds: 75, etaSeconds: 4000 });
    expect(out).toBe('[3/9] q 20 epoch 3/10 acc 0.612 · 1m15s elapsed, ~1h06m left\n');
    let narrow = '';
    const q = createProgressReporter({ write: (s: string) => (narrow += s), isTTY: true, columns: 50 }, { throttleMs: 0 });
    q.onProgress({ phase: 'train', level: 20, levelIndex: 2, levelCount: 9, epoch: 3, epochs: 10, accuracy: 0.6, elapsedSeconds: 75, etaSeconds: 4000 });
    expect(narrow.replace('\r\x1b[2K', '').length).toBeLessThanOrEqual(49);
  });

  it('formats durations', () => {
    expect([formatDuration(3.21), formatDuration(42), formatDuration(125), formatDuration(3725), formatDuration(NaN)]).toEqual(['3.2s', '42s', '2m05s', '1h02m', '?']);
  });
});
