import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { runAudioSweepExample, settingsFromArgs, TINY_SETTINGS } from '../../examples/audio-sweep.js';
import { useBackend } from '../../src/node/backend.js';
import { coreRunsAudio } from '../noise/audio-core-hook.js';

describe('examples/audio-sweep.ts', () => {
  it('reads its settings from flags and AUDIO_SWEEP_* variables', () => {
    expect(settingsFromArgs(['--tiny'])).toEqual(TINY_SETTINGS);
    expect(settingsFromArgs([], { AUDIO_SWEEP_TINY: '1', AUDIO_SWEEP_EPOCHS: '2' })).toMatchObject({ epochs: 2, train: 24 });
    expect(settingsFromArgs(['--levels', '8,32,160', '--width', '0.25'])).toMatchObject({ levels: [8, 32, 160], width: 0.25, duration: 1, train: 360 });
  });

  it.skipIf(!coreRunsAudio)('runs end to end with the tiny settings, leaking no tensors', async () => {
    await useBackend('cpu');
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    const estimate = await runAudioSweepExample(settingsFromArgs(['--tiny']), (line) => lines.push(line));
    expect(tf.memory().numTensors).toBe(before);
    expect(estimate.modality).toBe('audio');
    expect(estimate.levels.map((l) => l.level)).toEqual([64, 32, 8]);
    expect(estimate.classes).toBe(12);
    expect(lines[0]).toMatch(/24 train \/ 12 test clips of 0.5 s at 16000 Hz, 12 effects/);
    expect(lines.filter((l) => /kbps {2}Q/.test(l))).toHaveLength(3);
  });
});
