import { describe, expect, it } from 'vitest';
import { fitTheoryCurve, sampleTheoryCurve, theoryAccuracy } from '../../src/noise/theory.js';

describe('fitTheoryCurve', () => {
  it('recovers offset and scale of an exact curve, residual 0', () => {
    const Q = [0, 0.25, 0.5, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99];
    const points = Q.map((q) => ({ Q: q, accuracy: 0.1 + 0.15 * Math.log(100 - 100 * q) }));
    const fit = fitTheoryCurve(points);
    expect(fit.offset).toBeCloseTo(0.1, 10);
    expect(fit.scale).toBeCloseTo(0.15, 10);
    expect(fit.rmse).toBeLessThan(1e-12);
    expect(fit.r2).toBeCloseTo(1, 10);
    expect(fit.count).toBe(9);
    expect(theoryAccuracy(fit, 0.5)).toBeCloseTo(0.1 + 0.15 * Math.log(50), 10);
  });

  it('is the least-squares line in ln(100 - Q%): residuals orthogonal to the regressors', () => {
    const points = [
      { Q: 0, accuracy: 0.8 }, { Q: 0.5, accuracy: 0.79 }, { Q: 0.75, accuracy: 0.77 },
      { Q: 0.9, accuracy: 0.6 }, { Q: 0.99, accuracy: 0.3 },
    ];
    const fit = fitTheoryCurve(points);
    const u = points.map((p) => Math.log(Math.max(100 - 100 * p.Q, 1)));
    const r = points.map((p, i) => p.accuracy - fit.offset - fit.scale * u[i]);
    expect(r.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 12);
    expect(r.reduce((s, v, i) => s + v * u[i], 0)).toBeCloseTo(0, 12);
    expect(fit.rmse).toBeCloseTo(Math.sqrt(r.reduce((s, v) => s + v * v, 0) / r.length), 12);
    expect(fit.scale).toBeGreaterThan(0);
  });

  it('handles Q = 1 (audio lowest bitrate) and degenerate input', () => {
    const fit = fitTheoryCurve([{ Q: 0, accuracy: 0.9 }, { Q: 1, accuracy: 0.2 }]);
    expect(Number.isFinite(fit.scale)).toBe(true);
    expect(theoryAccuracy(fit, 1)).toBeCloseTo(0.2, 12);
    const flat = fitTheoryCurve([{ Q: 0.5, accuracy: 0.4 }, { Q: 0.5, accuracy: 0.6 }]);
    expect(flat.scale).toBe(0);
    expect(flat.offset).toBeCloseTo(0.5, 12);
    expect(Number.isNaN(fitTheoryCurve([{ Q: 0, accuracy: 0.5 }, { Q: 0.5, accuracy: 0.5 }]).r2)).toBe(true);
    expect(() => fitTheoryCurve([])).toThrow(/points/);
    expect(() => fitTheoryCurve([{ Q: 2, accuracy: 0.5 }])).toThrow(/points\[0\]\.Q/);
  });

  it('samples the shadow curve', () => {
    const fit = fitTheoryCurve([{ Q: 0, accuracy: 0.9 }, { Q: 0.5, accuracy: 0.85 }, { Q: 0.99, accuracy: 0.2 }]);
    const line = sampleTheoryCurve(fit, { count: 5 });
    expect(line).toHaveLength(5);
    expect(line[0].Q).toBe(0);
    expect(line[4].Q).toBeCloseTo(0.99, 12);
    expect(line[4].accuracy).toBeCloseTo(theoryAccuracy(fit, 0.99), 12);
    expect(() => sampleTheoryCurve(fit, { count: 1 })).toThrow(/count/);
  });
});
