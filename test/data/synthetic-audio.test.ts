import { describe, expect, it } from 'vitest';
import { syntheticGuitarEffects } from '../../src/data/synthetic-audio.js';

describe('syntheticGuitarEffects', () => {
  it('is balanced, reproducible and sized as asked', () => {
    const a = syntheticGuitarEffects({ count: 24, duration: 0.25, seed: 5 });
    const b = syntheticGuitarEffects({ count: 24, duration: 0.25, seed: 5 });
    expect(a.classNames).toHaveLength(12);
    expect(a.signals).toHaveLength(24);
    expect(a.signals[0].length).toBe(Math.round(0.25 * 44100));
    for (let c = 0; c < 12; c++) expect(a.labels.filter((l) => l === c)).toHaveLength(2);
    expect(a.labels).toEqual(b.labels);
    expect(a.signals[3]).toEqual(b.signals[3]);
    for (const s of a.signals) {
      const peak = Math.max(...Array.from(s).map(Math.abs));
      expect(peak).toBeGreaterThanOrEqual(0.5 - 1e-6);
      expect(peak).toBeLessThanOrEqual(0.9 + 1e-6);
    }
    const c = syntheticGuitarEffects({ count: 24, duration: 0.25, seed: 6 });
    expect(c.labels).not.toEqual(a.labels);
  });
  it('takes a subset of effects and rejects unknown ones', () => {
    const d = syntheticGuitarEffects({ count: 4, duration: 0.1, effects: ['NoFX', 'Tremolo'] });
    expect(d.classNames).toEqual(['NoFX', 'Tremolo']);
    expect(() => syntheticGuitarEffects({ count: 4, effects: ['Wah' as never] })).toThrow(/effects must be a non-empty subset/);
    expect(() => syntheticGuitarEffects({ count: 0 })).toThrow(/count/);
  });
});
