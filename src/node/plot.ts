/**
 * The noise estimate as a figure like the paper's Figure 4: accuracy against quantization Q as
 * dots, the fitted theoretical curve `offset + c * ln(100 - Q%)` as a shaded "shadow" line, the
 * knee (N_approx) marked with a rule, and each dot labeled with the bits per pixel (or kbps) that
 * remain. Drawn with Vega-Lite, rendered to SVG headless by Vega (no browser, no canvas).
 */
import type { LevelResult, NoiseEstimate } from '../noise/types.js';
import { sampleTheoryCurve } from '../noise/theory.js';

/** Options of {@link renderNoisePlotSvg}. */
export interface NoisePlotOptions {
  /** Plot area width in pixels (the SVG adds axes and title around it). Default 640. */
  width?: number;
  /** Plot area height in pixels. Default 360. */
  height?: number;
  /** Title. Default "Accuracy vs JPEG quantization" (or MP3 for audio). */
  title?: string;
  /** Dataset name for the subtitle, e.g. "Fashion-MNIST, 3,000 train / 1,000 test". */
  dataName?: string;
}

/** One row of the plot's data (exported for tests and custom specs). */
export interface NoisePlotRow {
  series: 'measured' | 'theory (fitted shadow curve)' | 'knee (N_approx)' | 'chance';
  Q: number;
  accuracy?: number;
  lo?: number;
  hi?: number;
  label?: string;
}

/**
 * Builds the Vega-Lite specification of the plot (plain JSON), for use in notebooks or to
 * restyle; {@link renderNoisePlotSvg} renders it.
 *
 * @example
 * const spec = noisePlotSpec(estimate); // embed with vega-embed in a page
 */
export function noisePlotSpec(estimate: NoiseEstimate, options: NoisePlotOptions = {}): Record<string, unknown> {
  if (!estimate || !Array.isArray(estimate.levels) || estimate.levels.length === 0) {
    throw new RangeError('estimate must be a NoiseEstimate with at least one level');
  }
  const audio = estimate.modality === 'audio';
  const levels = [...estimate.levels].sort((a, b) => a.Q - b.Q);
  const qMin = levels[0].Q;
  const qMax = levels[levels.length - 1].Q;
  const rows: NoisePlotRow[] = [];
  for (const l of levels) {
    rows.push({ series: 'measured', Q: l.Q, accuracy: l.accuracy, label: pointLabel(l, audio) });
  }
  const fit = estimate.theory;
  if (fit && Number.isFinite(fit.offset) && Number.isFinite(fit.scale)) {
    const spread = Math.max(fit.rmse, 0.005);
    for (const p of sampleTheoryCurve(fit, { count: 120, from: qMin, to: qMax })) {
      rows.push({ series: 'theory (fitted shadow curve)', Q: p.Q, accuracy: p.accuracy, lo: p.accuracy - spread, hi: p.accuracy + spread });
    }
  }
  const accs = levels.map((l) => l.accuracy);
  const chance = estimate.classes > 0 ? 1 / estimate.classes : null;
  const yLo = Math.max(0, Math.min(...accs, chance ?? 1) - 0.05);
  const yHi = Math.min(1, Math.max(...accs) + 0.08);
  const knee = estimate.knee;
  const unit = audio ? 'bits per second' : 'bits per pixel';
  const kneeText = knee
    ? `knee (N_approx): ${audio ? `${knee.level} kbps` : `quality ${knee.level}`}, Q ${knee.Q.toFixed(2)}` +
      (estimate.contentBits !== null ? `, ${formatBits(estimate.contentBits, audio)} ${audio ? '' : 'of content'}`.trimEnd() : '')
    : 'no knee: the curve does not fall off in the levels tried';
  const rec = estimate.recommendation;
  const subtitle = [
    [options.dataName, `${estimate.trainCount} train / ${estimate.testCount} test, ${estimate.classes} classes, backend ${estimate.backend}`]
      .filter(Boolean)
      .join(' · '),
    kneeText + (rec ? ` · recommended: ${audio ? `${rec.level} kbps` : `quality ${rec.level}`}` : ''),
    fit && Number.isFinite(fit.scale)
      ? `shadow curve: accuracy = ${fit.offset.toFixed(3)} + ${fit.scale.toFixed(4)} · ln(100 − Q%), RMSE ${fit.rmse.toFixed(3)}` +
        (Number.isFinite(fit.r2) ? `, R² ${fit.r2.toFixed(2)}` : '')
      : '',
    `labels: ${audio ? 'bitrate and the measured size of the MP3 stream' : 'JPEG quality'}${audio ? '' : ` and remaining ${unit} (paper method)`}`,
  ].filter((s) => s.length > 0);

  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: {
      domain: ['measured', 'theory (fitted shadow curve)', 'knee (N_approx)', 'chance'],
      range: ['#1f5fa8', '#8a8a8a', '#d62728', '#b0b0b0'],
    },
    legend: { orient: 'bottom', direction: 'horizontal', labelLimit: 320, symbolOpacity: 1, columnPadding: 18 },
  };
  const x = {
    field: 'Q',
    type: 'quantitative',
    title: audio ? 'quantization Q (normalized MP3 bitrate: 0 = highest, 1 = lowest)' : 'quantization Q = (100 − JPEG quality) / 100',
    scale: { domain: [Math.max(0, qMin - 0.03), Math.min(1, qMax + 0.03)], nice: false, zero: false },
    axis: { format: '.2f', grid: true },
  };
  const y = {
    field: 'accuracy',
    type: 'quantitative',
    title: 'accuracy (mean of the 10 best epochs)',
    scale: { domain: [yLo, yHi], nice: false, zero: false },
    axis: { format: '.2f', grid: true },
  };
  const layers: Record<string, unknown>[] = [
    {
      transform: [{ filter: "datum.series === 'theory (fitted shadow curve)'" }],
      mark: { type: 'area', opacity: 0.18, color: '#8a8a8a' },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
    },
    {
      transform: [{ filter: "datum.series === 'theory (fitted shadow curve)'" }],
      mark: { type: 'line', strokeWidth: 7, opacity: 0.35, strokeCap: 'round' },
      encoding: { x, y, color },
    },
    {
      transform: [{ filter: "datum.series === 'measured'" }],
      mark: { type: 'line', strokeWidth: 1.2, opacity: 0.6, color: '#1f5fa8' },
      encoding: { x, y },
    },
    {
      transform: [{ filter: "datum.series === 'measured'" }],
      mark: { type: 'point', filled: true, size: 90, opacity: 1 },
      encoding: {
        x,
        y,
        color,
        tooltip: [{ field: 'label' }, { field: 'accuracy', format: '.3f' }],
      },
    },
    {
      transform: [{ filter: "datum.series === 'measured'" }],
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 7, dy: -7, angle: 320, fontSize: 10, color: '#333' },
      encoding: { x, y, text: { field: 'label' } },
    },
  ];
  if (chance !== null && chance >= yLo && chance <= yHi) {
    rows.push({ series: 'chance', Q: qMin, accuracy: chance });
    layers.push({
      transform: [{ filter: "datum.series === 'chance'" }],
      mark: { type: 'rule', strokeDash: [2, 3], strokeWidth: 1.5 },
      encoding: { y, color },
    });
  }
  if (knee) {
    // Near the right edge the label goes left of the rule, so it stays inside the plot.
    const nearRight = knee.Q > qMax - 0.15 * Math.max(qMax - qMin, 0.01);
    rows.push({ series: 'knee (N_approx)', Q: knee.Q, label: audio ? `knee ${knee.level} kbps` : `knee q ${knee.level}` });
    layers.push(
      {
        transform: [{ filter: "datum.series === 'knee (N_approx)'" }],
        mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 2 },
        encoding: { x, color },
      },
      {
        transform: [{ filter: "datum.series === 'knee (N_approx)'" }],
        mark: { type: 'text', align: nearRight ? 'right' : 'left', baseline: 'bottom', dx: nearRight ? -5 : 5, y: { expr: 'height - 22' }, fontSize: 11, fontWeight: 'bold', color: '#d62728' },
        encoding: { x, text: { field: 'label' } },
      },
    );
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: options.width ?? 640,
    height: options.height ?? 360,
    padding: 12,
    background: 'white',
    title: {
      text: options.title ?? (audio ? 'Accuracy vs MP3 quantization' : 'Accuracy vs JPEG quantization'),
      subtitle,
      anchor: 'start',
      fontSize: 16,
      subtitleFontSize: 11,
      subtitleColor: '#444',
      offset: 12,
    },
    data: { values: rows },
    layer: layers,
    config: {
      font: 'Helvetica, Arial, sans-serif',
      view: { stroke: '#ccc' },
      axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
      legend: { labelFontSize: 11 },
    },
  };
}

/**
 * Renders the noise plot as an SVG document string (Vega-Lite compiled to Vega, drawn by Vega's
 * headless SVG renderer). Open it in any browser, or embed it in a report.
 *
 * @example
 * import { writeFile } from 'node:fs/promises';
 * await writeFile('noise.svg', await renderNoisePlotSvg(estimate, { dataName: 'CIFAR-10' }));
 */
export async function renderNoisePlotSvg(estimate: NoiseEstimate, options: NoisePlotOptions = {}): Promise<string> {
  const spec = noisePlotSpec(estimate, options);
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return svg.startsWith('<?xml') ? svg : `<?xml version="1.0" encoding="UTF-8"?>\n${svg}`;
  } finally {
    view.finalize();
  }
}

function pointLabel(l: LevelResult, audio: boolean): string {
  if (audio) {
    const measured = l.bitsPerSecond?.measured;
    return measured !== undefined && Number.isFinite(measured) ? `${l.level} kbps · ${(measured / 1000).toFixed(1)} kbit/s` : `${l.level} kbps`;
  }
  const bpp = l.bitsPerPixel?.paper;
  return bpp === undefined ? `q ${l.level}` : `q ${l.level} · ${bpp.toFixed(1)} bpp`;
}

function formatBits(bits: number, audio: boolean): string {
  return audio ? `${(bits / 1000).toFixed(1)} kbit/s` : `${bits.toFixed(2)} bits per pixel`;
}
