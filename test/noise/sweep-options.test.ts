import { describe, expect, it } from 'vitest';
import { checkModelOptions, checkSweepSettings, countClasses } from '../../src/noise/sweep-options.js';

describe('countClasses', () => {
  it('counts the highest label of train and test plus one', () => {
    expect(countClasses([0, 1, 2], [1, 3])).toBe(4);
    expect(countClasses([1, 0], [0])).toBe(2);
  });

  it('names the bad label, and refuses a training set of one class', () => {
    expect(() => countClasses([0, 1], [0, -1])).toThrow(/data\.test\.labels\[1\]/);
    expect(() => countClasses([0, 1.5], [0])).toThrow(/data\.train\.labels\[1\]/);
    expect(() => countClasses([2, 2], [0, 1])).toThrow('data.train.labels must hold at least 2 classes, got only class 2');
  });
});

describe('checkModelOptions', () => {
  it('defaults to width 1, not faithful, adam', () => {
    expect(checkModelOptions({})).toEqual({ modelOptions: { widthMultiplier: 1, faithful: false, initializer: 'keras' }, optimizer: 'adam' });
  });

  it('refuses bad model options and optimizers', () => {
    expect(() => checkModelOptions({ modelOptions: { widthMultiplier: 0 } })).toThrow(RangeError);
    expect(() => checkModelOptions({ modelOptions: { faithful: 'yes' as unknown as boolean } })).toThrow(TypeError);
    expect(() => checkModelOptions({ optimizer: 'sgd' as 'adam' })).toThrow(/optimizer/);
    expect(() => checkModelOptions({ optimizer: 3 as unknown as 'adam' })).toThrow('optimizer must be "adam", "paper", a tf.Optimizer or a factory, got');
  });
});

describe('checkSweepSettings', () => {
  const defaults = { batchSize: 128, measureSamples: 64, sourceBits: 16, maxSourceBits: 64 };

  it('fills in the shared defaults and the given ones', () => {
    expect(checkSweepSettings({}, [100, 50, 10], defaults)).toEqual({
      budget: { epochs: 10 },
      repeats: 3,
      metric: 'selected',
      validationFraction: 0.1,
      epochs: 10,
      batchSize: 128,
      seed: 0,
      strategy: 'grid',
      sensitivity: 1,
      kneeMethod: 'quality',
      tolerance: 0.01,
      sourceBits: 16,
      concurrency: 1,
      adaptive: {},
      measureSamples: 64,
    });
  });

  it('checks hooks, the adaptive plan, resumed levels and sourceBits against its limit', () => {
    expect(() => checkSweepSettings({ onProgress: 1 as unknown as () => void }, [100, 50, 10], defaults)).toThrow(/onProgress must be a function/);
    expect(() => checkSweepSettings({ adaptive: { coarseCount: 4 } }, [100, 50, 10], defaults)).toThrow(/adaptive\.coarseCount/);
    expect(() => checkSweepSettings({ completedCells: [{ level: 20, repeat: 0, accuracy: 0.5 } as never] }, [100, 50, 10], defaults)).toThrow(
      'completedCells[0].level must be one of levels (100, 50, 10), got 20',
    );
    expect(() => checkSweepSettings({ sourceBits: 65 }, [100, 50, 10], defaults)).toThrow(/sourceBits/);
    expect(checkSweepSettings({ sourceBits: 160000 }, [160, 8], { batchSize: 50, measureSamples: 8, sourceBits: 160000 }).sourceBits).toBe(160000);
  });
});
