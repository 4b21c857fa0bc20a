import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { runNoiseVsKnee, settingsFromArgs, TINY_SETTINGS } from '../../examples/noise-vs-knee.js';
import { useBackend } from '../../src/node/backend.js';

describe('examples/noise-vs-knee.ts', () => {
  it('reads its settings from flags', () => {
    expect(settingsFromArgs(['--tiny'])).toEqual(TINY_SETTINGS);
    expect(settingsFromArgs(['--noise', '0,10,40', '--epochs', '3'])).toMatchObject({ noise: [0, 10, 40], epochs: 3, train: 800 });
    expect(settingsFromArgs(['--epochs', 'auto']).epochs).toBe('auto');
    expect(settingsFromArgs(['--seed', '3']).seed).toBe(3);
    expect(() => settingsFromArgs(['--noise', 'a'])).toThrow(/--noise must be a comma-separated list/);
  });

  it('runs one sweep per noise strength with the tiny settings, leaking no tensors', async () => {
    await useBackend('auto');
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    const rows = await runNoiseVsKnee({ ...TINY_SETTINGS, backend: 'auto' }, (line) => lines.push(line));
    expect(tf.memory().numTensors).toBe(before);
    expect(rows.map((r) => r.noise)).toEqual([0, 12, 40]);
    for (const r of rows) expect(r.estimate.levels.map((l) => l.level).sort((a, b) => a - b)).toEqual([5, 50, 100]);
    expect(lines[2]).toMatch(/^noise 40 DN: knee .*accuracy \(95% CI, 2 runs\) q\d+ 0\.\d+ \+- /);
    for (const r of rows) for (const l of r.estimate.levels) expect(l.runs).toHaveLength(2);
  });
});
