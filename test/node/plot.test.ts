import { describe, expect, it } from 'vitest';
import { noisePlotData, noisePlotSpec, renderNoisePlotSvg, type NoisePlotData } from '../../src/node/plot.js';
import { sampleSweepEstimate } from '../stats/sample-summary.js';
import { sampleEstimate } from './sample-estimate.js';

type Row = { series: string; Q: number; accuracy?: number; lo?: number; hi?: number; Q2?: number; label?: string; align?: string };
const rowsOf = (spec: Record<string, unknown>): Row[] => (spec.data as { values: Row[] }).values;
const labelsOf = (spec: Record<string, unknown>): Row[] =>
  ((spec.layer as { data?: { values: Row[] } }[]).find((l) => l.data)?.data?.values ?? []) as Row[];

describe('noisePlotData', () => {
  it('adapts a sweep estimate with repeats: means, intervals, runs, knee range, recommendation, measured-bit labels', () => {
    const e = sampleSweepEstimate();
    const d = noisePlotData(e, { dataName: 'synthetic' });
    expect(d.kind).toBe('noise-plot');
    expect(d.levels).toHaveLength(9);
    expect(d.levels[0]).toMatchObject({ level: 100, Q: 0, label: 'q 100 · 2.55 bpp' });
    expect(d.levels[0].ci).toEqual(e.levels[0].accuracyCi);
    expect(d.levels[0].runs).toHaveLength(3);
    expect(d.knee).toMatchObject({ level: 20, range: e.knee!.range });
    expect(d.recommendation?.level).toBe(e.recommendation.level);
    expect(d.notes!.join('\n')).toMatch(/3 runs per level[\s\S]*range q 20 to q \d+ \(\d+% of resamples agree\)[\s\S]*t over repeats/);
    expect(d.accuracyTitle).toBe('test accuracy at the selected epoch');
  });
  it('says why there is no knee', () => {
    const d = noisePlotData({ ...sampleEstimate(), knee: null, kneeReason: 'flat' });
    expect(d.notes!.join('\n')).toMatch(/no knee in the tested range: the accuracy spread across all levels is within its own noise/);
    expect(() => noisePlotData({ ...sampleEstimate(), levels: [] })).toThrow(RangeError);
  });
});

describe('noisePlotSpec', () => {
  it('draws error bars, faint run dots, the knee band, the theory curve and the recommended ring', () => {
    const spec = noisePlotSpec(sampleSweepEstimate());
    const rows = rowsOf(spec);
    const means = rows.filter((r) => r.series === 'mean (95% interval)');
    expect(means).toHaveLength(9);
    expect(means.every((m) => m.lo! < m.accuracy! && m.hi! > m.accuracy!)).toBe(true);
    expect(rows.filter((r) => r.series === 'runs')).toHaveLength(27);
    const band = rows.find((r) => r.series === 'knee (N_approx) and its range' && r.Q2 !== undefined)!;
    expect(band.Q).toBeLessThan(0.8);
    expect(band.Q2).toBeGreaterThan(0.8);
    expect(rows.some((r) => r.series === 'recommended')).toBe(true);
    expect(rows.some((r) => r.series === 'theory (fitted shadow curve)')).toBe(true);
  });

  it('point labels do not overlap where the levels crowd (Q 0.9-0.99)', () => {
    const width = 640;
    const height = 360;
    const spec = noisePlotSpec(sampleSweepEstimate(), { width, height });
    const x = (((spec.layer as { encoding?: { x?: { scale?: { domain?: number[] } } } }[]).find((l) => l.encoding?.x?.scale?.domain)!.encoding!.x!.scale!.domain) as number[]);
    const y = (((spec.layer as { encoding?: { y?: { scale?: { domain?: number[] } } } }[]).find((l) => l.encoding?.y?.scale?.domain)!.encoding!.y!.scale!.domain) as number[]);
    const boxes = labelsOf(spec).map((l) => {
      const lines = l.label!.split('\n');
      const w = Math.max(...lines.map((t) => t.length)) * 5.6;
      const h = 12 * lines.length;
      const px = ((l.Q2! - x[0]) / (x[1] - x[0])) * width;
      const py = ((y[1] - l.hi!) / (y[1] - y[0])) * height;
      const x0 = l.align === 'left' ? px : px - w;
      return { x0, x1: x0 + w, y0: py - h / 2, y1: py + h / 2, label: l.label };
    });
    expect(boxes).toHaveLength(9);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        const overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
        expect(overlap, `${a.label} overlaps ${b.label}`).toBe(false);
      }
    }
  });

  it('takes its own plot data', () => {
    const data: NoisePlotData = {
      kind: 'noise-plot',
      modality: 'audio',
      levels: [
        { level: 160, Q: 0, accuracy: 0.9, ci: [0.88, 0.92], runs: [0.89, 0.91] },
        { level: 64, Q: 0.625, accuracy: 0.89 },
        { level: 8, Q: 1, accuracy: 0.5 },
      ],
      knee: { level: 64, Q: 0.625, range: [32, 64] },
      recommendation: { level: 64, Q: 0.625 },
    };
    const spec = noisePlotSpec(data);
    expect(JSON.stringify(spec)).toContain('knee 64 kbps');
    expect(JSON.stringify(spec)).toContain('MP3');
  });
});

describe('renderNoisePlotSvg', () => {
  it('renders the new shape as SVG', async () => {
    const svg = await renderNoisePlotSvg(sampleSweepEstimate(), { dataName: 'CIFAR-10' });
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('Accuracy vs JPEG quantization');
    expect(svg).toContain('knee q 20');
    expect(svg).toContain('CIFAR-10');
    expect(svg).toContain('class="mark-rect'); // the knee's range
    expect(svg).toContain('class="mark-rule'); // error bars and the knee
    expect(svg).toContain('class="mark-area'); // the theory shadow
    expect(svg).toContain('recommended');
  });
  it('keeps working on the one-run estimate shape (the existing export)', async () => {
    const svg = await renderNoisePlotSvg(sampleEstimate(), { dataName: 'CIFAR-10' });
    expect(svg).toContain('q 25 · 0.70 bpp'); // measured bits in the label
    // At least the 9 means and the recommended ring (vega draws points, and legend symbols, as paths in "mark-symbol" groups).
    const symbols = svg.split('class="mark-symbol').slice(1).map((g) => g.split('</g>')[0]);
    expect(symbols.reduce((n, g) => n + (g.match(/<path/g) ?? []).length, 0)).toBeGreaterThanOrEqual(10);
    const flat = { ...sampleEstimate(), knee: null, content: null };
    expect(await renderNoisePlotSvg(flat)).toContain('no knee');
  });
});
