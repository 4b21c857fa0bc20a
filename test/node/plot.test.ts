import { describe, expect, it } from 'vitest';
import { noisePlotSpec, renderNoisePlotSvg } from '../../src/node/plot.js';
import { sampleEstimate } from './sample-estimate.js';

describe('renderNoisePlotSvg', () => {
  it('draws dots, the shadow curve, the knee rule and bits-per-pixel labels as SVG', async () => {
    const svg = await renderNoisePlotSvg(sampleEstimate(), { dataName: 'CIFAR-10' });
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('<svg');
    expect(svg).toContain('Accuracy vs JPEG quantization');
    expect(svg).toContain('knee q 20');
    expect(svg).toContain('q 25 · 1.4 bpp');
    expect(svg).toContain('theory (fitted shadow curve)');
    expect(svg).toContain('CIFAR-10');
    // 9 measured dots (vega draws points as paths inside a "mark-symbol" group).
    const symbols = svg.split('class="mark-symbol')[1]?.split('</g>')[0] ?? '';
    expect((symbols.match(/<path/g) ?? []).length).toBe(9);
    expect(svg).toContain('class="mark-rule');
    expect(svg).toContain('class="mark-area');
  });

  it('handles a sweep without a knee and audio levels', async () => {
    const flat = { ...sampleEstimate(), knee: null, contentBits: null, noiseBits: null };
    const svg = await renderNoisePlotSvg(flat);
    expect(svg).toContain('no knee');
    const audio = { ...sampleEstimate('audio'), knee: { level: 32, Q: 0.8, range: [32, 32] as [number, number], support: 1 }, contentBits: 32000 };
    audio.levels = audio.levels.map((l) => ({ ...l, bitsPerPixel: undefined, bitsPerSecond: { nominal: l.level * 1000, measured: l.level * 1000 } }));
    const spec = noisePlotSpec(audio);
    expect(JSON.stringify(spec)).toContain('kbps');
    expect(() => noisePlotSpec({ ...flat, levels: [] })).toThrow(RangeError);
  });
});
