import { describe, expect, it } from 'vitest';
import { contentBitsAt, formatBitsValue, formatContentBits } from '../../src/stats/content.js';
import { convergenceSummary, epochsToConvergeOf, levelConvergence } from '../../src/stats/convergence.js';
import { formatMeanCi } from '../../src/stats/format.js';
import { levelName, shortLevelName } from '../../src/stats/naming.js';

const run = (epochsToConverge: number | null, trainSeconds = 30, epochsRun = 15) => ({ epochsToConverge, epochsRun, trainSeconds });

describe('convergence', () => {
  it('the paper\'s second claim as a sentence: "q 20 converges in 6 +- 1 epochs, q 100 in 9 +- 1: 33% less training"', () => {
    const rec = { level: 20, runs: [run(6), run(6.5), run(5.5), run(6)] };
    const ref = { level: 100, runs: [run(9), run(9.5), run(8.5), run(9)] };
    const c = convergenceSummary(rec, ref)!;
    expect(c.savedFraction).toBeCloseTo(1 / 3, 12);
    expect(c.recommended.epochs.mean).toBe(6);
    expect(c.text).toMatch(/^q 20 converges in 6\.0 \+- 0\.6 epochs, q 100 in 9\.0 \+- 0\.6: 33% less training \(training time to converge 12\.0 \+- 1\.3s vs 18\.0 \+- 1\.3s\)\.$/);
    const wide = convergenceSummary({ level: 20, runs: [run(5), run(6), run(7)] }, { level: 100, runs: [run(8), run(9), run(10)] })!;
    expect(wide.text).toMatch(/^q 20 converges in 6 \+- 2 epochs, q 100 in 9 \+- 2: 33% less training/);
  });
  it('single runs say so; seconds are pro rata; null without converged runs or for the same level', () => {
    const c = convergenceSummary({ level: 20, runs: [run(6, 20, 10)] }, { level: 100, runs: [run(4, 20, 10)] })!;
    expect(c.text).toMatch(/q 20 converges in 6 epochs, q 100 in 4: 50% more training .*single runs, no interval\./);
    expect(c.recommended.seconds.mean).toBe(12);
    expect(convergenceSummary({ level: 20, runs: [run(null)] }, { level: 100, runs: [run(4)] })).toBeNull();
    expect(convergenceSummary({ level: 20, runs: [run(3)] }, { level: 20, runs: [run(4)] })).toBeNull();
    expect(levelConvergence({ level: 5, runs: [run(null), run(4)] })!.epochs).toEqual({ mean: 4, ci: [4, 4] });
    expect(epochsToConvergeOf({ level: 5, runs: [run(null)] })).toBeNull();
    expect(epochsToConvergeOf({ level: 5, runs: [run(6), run(8)] })!.mean).toBe(7);
  });
});

describe('content bits', () => {
  const bits = (measured: number) => ({ unit: 'bits/pixel' as const, measured });
  it('flags where the paper formula clamps: below q 10 for RGB, almost everywhere for 8-bit gray', () => {
    expect(contentBitsAt({ level: 1, bits: bits(0.2) })).toMatchObject({ paper: 0, measured: 0.2, paperSaturated: true });
    expect(contentBitsAt({ level: 1, bits: bits(0.2) }).tables).toBeCloseTo(0.42, 2);
    expect(contentBitsAt({ level: 9, bits: bits(0.2) }).paperSaturated).toBe(true);
    expect(contentBitsAt({ level: 25, bits: bits(0.9) })).toMatchObject({ paperSaturated: false });
    expect(contentBitsAt({ level: 25, bits: bits(0.9) }).paper).toBeCloseTo(1.392, 3);
    for (const q of [5, 20, 50, 75, 90, 95]) expect(contentBitsAt({ level: q, bits: bits(0.57) }, { sourceBits: 8 }).paperSaturated).toBe(true);
    expect(contentBitsAt({ level: 100, bits: bits(3) }).paperSaturated).toBe(true);
  });
  it('uses the level\'s own paper/tables when given; audio is the nominal rate', () => {
    expect(contentBitsAt({ level: 25, bits: { ...bits(0.9), paper: 1.5, tables: 1.2 } })).toMatchObject({ paper: 1.5, tables: 1.2 });
    expect(contentBitsAt({ level: 64, bits: { unit: 'bits/s', nominal: 64000, measured: 64350 } })).toEqual({ paper: 64000, measured: 64350, unit: 'bits/s', paperSaturated: false });
  });
  it('the sentence leads with the measured bits and never reads "0.00 bits"', () => {
    const sat = formatContentBits(contentBitsAt({ level: 1, bits: bits(0.2) }));
    expect(sat).toMatch(/^0\.20 bits per pixel measured in the real JPEG files; the paper's formula saturates here \(it clamps to 0 bits\), so it gives no figure\.$/);
    const gray = formatContentBits(contentBitsAt({ level: 50, bits: bits(0.57) }, { sourceBits: 8 }));
    expect(gray).toMatch(/^0\.57 bits per pixel measured/);
    const fine = formatContentBits(contentBitsAt({ level: 10, bits: bits(0.004) }));
    expect(fine).toBe("0.0040 bits per pixel measured in the real JPEG files; the paper's formula gives 0.070, the real tables 0.62.");
    for (const text of [sat, gray, fine]) expect(text).not.toMatch(/0\.00 bits/);
    expect(formatContentBits({ paper: 64000, measured: 64350, unit: 'bits/s', paperSaturated: false })).toBe('64.3 kbit/s measured in the real MP3 streams (nominal 64 kbit/s).');
    expect(formatBitsValue(0)).toBe('0');
  });
});

describe('naming and formatting', () => {
  it('names levels by modality and codec', () => {
    expect(levelName(20)).toBe('JPEG quality 20');
    expect(levelName(20, { codec: 'webp' })).toBe('WebP quality 20');
    expect(levelName(64, { modality: 'audio' })).toBe('64 kbps');
    expect(shortLevelName(20)).toBe('q 20');
  });
  it('formats a mean with its interval', () => {
    expect(formatMeanCi(0.731, [0.719, 0.743])).toBe('0.731 +- 0.012');
    expect(formatMeanCi(0.731, [0.7, 0.74])).toBe('0.731 (0.700 to 0.740)');
  });
});
