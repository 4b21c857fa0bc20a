/**
 * The noise estimate as a figure like the paper's Figure 4: each level's mean accuracy against
 * quantization Q with its interval as an error bar, the individual runs as faint dots, the
 * knee's range as a shaded band (its level as a rule), the recommended level ringed, the fitted
 * theoretical curve `offset + c * ln(100 - Q%)` as a shaded "shadow" line, and each level
 * labeled with its name and measured bits (labels placed so that they do not overlap where the
 * levels crowd, at Q 0.9-0.99). Drawn with Vega-Lite, rendered to SVG headless by Vega.
 *
 * The plot takes its own small input, {@link NoisePlotData}; {@link noisePlotData} adapts a
 * sweep's `NoiseEstimate` to it (both the shape with repeats, `runs[]` and `accuracyCi`, and the
 * older one-run shape). {@link noisePlotSpec} and {@link renderNoisePlotSvg} take either.
 */
import { sampleTheoryCurve } from '../noise/theory.js';
import { codecDisplayName, shortLevelName } from '../stats/naming.js';
import type { TheoryFit } from '../noise/types.js';

/** One level of the plot. */
export interface NoisePlotLevel {
  level: number;
  Q: number;
  /** Mean accuracy over the runs. */
  accuracy: number;
  /** Interval of the mean (drawn as an error bar), if known. */
  ci?: [number, number];
  /** The runs' accuracies (drawn as faint dots). */
  runs?: number[];
  /** The point's label (default: the level's short name). */
  label?: string;
}

/** What the plot draws. Plain data; build it by hand or with {@link noisePlotData}. */
export interface NoisePlotData {
  kind: 'noise-plot';
  modality: 'image' | 'audio';
  /** Codec display name for titles ("JPEG", "WebP", "MP3"). */
  codec?: string;
  levels: NoisePlotLevel[];
  /** The knee and the levels [low, high] of its range (a shaded band). */
  knee?: { level: number; Q: number; range?: [number, number]; support?: number } | null;
  /** Why there is no knee (shown in the subtitle). */
  kneeReason?: string | null;
  recommendation?: { level: number; Q: number } | null;
  theory?: TheoryFit | null;
  /** Chance accuracy (1 / classes), drawn as a dotted rule. */
  chance?: number | null;
  /** Y axis title. */
  accuracyTitle?: string;
  /** Subtitle lines under the title (settings, knee, content). */
  notes?: string[];
  /** Legend/subtitle text of what the labels show. */
  labelNote?: string;
}

/** The part of a sweep's `NoiseEstimate` that {@link noisePlotData} reads (old and new shapes fit). */
export interface NoisePlotEstimate {
  modality: 'image' | 'audio';
  codec?: string;
  levels: readonly {
    level: number;
    Q: number;
    accuracy: number;
    accuracyCi?: [number, number];
    ciMethod?: string;
    runs?: readonly { accuracy: number }[];
    bits?: { measured: number; paper?: number; nominal?: number };
  }[];
  knee: { level: number; Q: number; range?: [number, number]; support?: number } | null;
  kneeReason?: string | null;
  recommendation?: { level: number; Q: number } | null;
  theory?: TheoryFit | null;
  classes: number;
  trainCount: number;
  testCount: number;
  backend: string;
  repeats?: number;
  metric?: string;
  content?: { measured: number; paper: number; paperSaturated: boolean; unit: string } | null;
}

/** Options of {@link renderNoisePlotSvg}. */
export interface NoisePlotOptions {
  /** Plot area width in pixels (the SVG adds axes and title around it). Default 640. */
  width?: number;
  /** Plot area height in pixels. Default 360. */
  height?: number;
  /** Title. Default "Accuracy vs JPEG quantization" (or the codec's name). */
  title?: string;
  /** Dataset name for the subtitle, e.g. "Fashion-MNIST, 3,000 train / 1,000 test". */
  dataName?: string;
}

/** One row of the plot's data (exported for tests and custom specs). */
export interface NoisePlotRow {
  series: 'mean (95% interval)' | 'runs' | 'theory (fitted shadow curve)' | 'knee (N_approx) and its range' | 'recommended' | 'chance' | 'label';
  Q: number;
  accuracy?: number;
  lo?: number;
  hi?: number;
  Q2?: number;
  label?: string;
}

const KNEE_REASONS: Record<string, string> = {
  flat: 'no knee in the tested range: the accuracy spread across all levels is within its own noise',
  'not-learned': 'no knee: the classifier did not learn (not above chance)',
  'still-improving': 'no knee: the classifier was still improving at its last epoch',
  'too-few-levels': 'no knee: fewer than 3 levels',
  'no-knee': 'no knee: the curve does not fall off in the levels tried',
};

function codecName(e: { modality: 'image' | 'audio'; codec?: string }): string {
  return codecDisplayName({ modality: e.modality, ...(e.codec !== undefined ? { codec: e.codec } : {}) });
}

function short(level: number, audio: boolean): string {
  return shortLevelName(level, { modality: audio ? 'audio' : 'image' });
}

/** Bits with enough digits never to print "0.0". */
function bitsText(v: number): string {
  return v === 0 ? '0' : v < 0.1 ? v.toPrecision(1) : v < 10 ? v.toFixed(2) : v.toFixed(1);
}

/**
 * Adapts a sweep's `NoiseEstimate` to {@link NoisePlotData}: means, intervals (`accuracyCi`),
 * the runs' accuracies, the knee's range, the recommendation, the theory curve, chance, and
 * labels with the measured bits (bits per pixel of the real files; kbit/s of the MP3 stream).
 *
 * @example
 * const data = noisePlotData(estimate, { dataName: 'CIFAR-10' });
 * data.levels[0]; // { level: 100, Q: 0, accuracy: 0.77, ci: [0.76, 0.78], runs: [0.768, 0.771, 0.772], label: 'q 100 · 3.6 bpp' }
 */
export function noisePlotData(estimate: NoisePlotEstimate, options: Pick<NoisePlotOptions, 'dataName'> = {}): NoisePlotData {
  if (!estimate || !Array.isArray(estimate.levels as unknown) || estimate.levels.length === 0) {
    throw new RangeError('estimate must be a NoiseEstimate with at least one level');
  }
  const audio = estimate.modality === 'audio';
  const levels: NoisePlotLevel[] = [...estimate.levels]
    .sort((a, b) => a.Q - b.Q)
    .map((l) => {
      const measured = l.bits?.measured;
      const has = measured !== undefined && Number.isFinite(measured);
      const label = audio
        ? has ? `${l.level} kbps · ${(measured / 1000).toFixed(1)} kbit/s` : `${l.level} kbps`
        : has ? `q ${l.level} · ${bitsText(measured)} bpp` : `q ${l.level}`;
      return {
        level: l.level,
        Q: l.Q,
        accuracy: l.accuracy,
        ...(l.accuracyCi ? { ci: [l.accuracyCi[0], l.accuracyCi[1]] as [number, number] } : {}),
        ...(l.runs && l.runs.length > 1 ? { runs: l.runs.map((r) => r.accuracy) } : {}),
        label,
      };
    });
  const knee = estimate.knee;
  const rec = estimate.recommendation ?? null;
  const repeats = estimate.repeats ?? Math.min(...estimate.levels.map((l) => l.runs?.length ?? 1));
  const ciMethod = estimate.levels.find((l) => l.ciMethod)?.ciMethod;
  const kneeText = knee
    ? `knee (N_approx): ${short(knee.level, audio)}, Q ${knee.Q.toFixed(2)}` +
      (knee.range ? `, range ${short(knee.range[0], audio)} to ${short(knee.range[1], audio)}` : '') +
      (knee.support !== undefined ? ` (${Math.round(knee.support * 100)}% of resamples agree)` : '')
    : KNEE_REASONS[estimate.kneeReason ?? 'no-knee'] ?? `no knee (${estimate.kneeReason})`;
  const fit = estimate.theory;
  const notes = [
    [options.dataName, `${estimate.trainCount} train / ${estimate.testCount} test, ${estimate.classes} classes, ${repeats} run${repeats === 1 ? '' : 's'} per level, backend ${estimate.backend}`]
      .filter(Boolean)
      .join(' · '),
    kneeText + (rec ? ` · recommended: ${short(rec.level, audio)}` : ''),
    fit && Number.isFinite(fit.scale)
      ? `shadow curve: accuracy = ${fit.offset.toFixed(3)} ${fit.scale < 0 ? '−' : '+'} ${Math.abs(fit.scale).toFixed(4)} · ln(100 − Q%), RMSE ${fit.rmse.toFixed(3)}` +
        (Number.isFinite(fit.r2) ? `, R² ${fit.r2.toFixed(2)}` : '')
      : '',
    levels.some((l) => l.ci)
      ? `error bars: 95% interval of the mean (${ciMethod === 'bootstrap-test-items' ? 'bootstrap over test items: one run per level' : ciMethod === 't' ? 't over repeats' : 'as given'})` +
        (levels.some((l) => l.runs) ? '; faint dots: single runs' : '')
      : 'one run per level, no interval',
  ].filter((s) => s.length > 0);
  const metric = estimate.metric;
  return {
    kind: 'noise-plot',
    modality: estimate.modality,
    codec: codecName(estimate),
    levels,
    knee: knee ? { level: knee.level, Q: knee.Q, ...(knee.range ? { range: knee.range } : {}), ...(knee.support !== undefined ? { support: knee.support } : {}) } : null,
    kneeReason: estimate.kneeReason ?? null,
    recommendation: rec ? { level: rec.level, Q: rec.Q } : null,
    theory: fit ?? null,
    chance: estimate.classes > 0 ? 1 / estimate.classes : null,
    accuracyTitle:
      metric === 'paper' ? 'accuracy (paper: mean of the 10 best epochs)' : metric === 'selected' ? 'test accuracy at the selected epoch' : metric === 'last' ? 'test accuracy after the final epoch' : 'accuracy',
    notes,
    labelNote: audio ? 'labels: bitrate and the measured size of the MP3 stream' : `labels: ${codecName(estimate)} quality and measured bits per pixel of the real files`,
  };
}

/** Pixel box of a placed label. */
interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const overlaps = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Where a label goes: pixel offset from its point, alignment, and whether it wraps onto two lines. */
interface LabelSpot {
  dx: number;
  dy: number;
  align: 'left' | 'right';
  twoLines: boolean;
}

/**
 * Places each point's label (in pixels: x right, y down) at the first candidate offset whose
 * box overlaps no label placed before, no point, error bar, ring, knee rule or the line joining
 * the means, inside the plot. A label that finds no clean spot on one line tries two lines
 * (name above bits); failing that it takes the spot with the fewest overlaps. Labels off their
 * point get a leader line. The crowded end (large Q) is placed first.
 */
function placeLabels(
  points: { x: number; y: number; yLo: number; yHi: number; text: string; ring?: boolean }[],
  width: number,
  height: number,
  fontSize: number,
  rules: number[] = [],
): LabelSpot[] {
  const charW = fontSize * 0.56;
  const lineH = fontSize + 2;
  const placed: Box[] = [];
  const obstacles: Box[] = points.flatMap((p) => {
    const r = p.ring ? 11 : 6;
    return [
      { x0: p.x - r, x1: p.x + r, y0: p.y - r, y1: p.y + r },
      { x0: p.x - 5, x1: p.x + 9, y0: Math.min(p.yHi, p.y) - 1, y1: Math.max(p.yLo, p.y) + 1 },
    ];
  });
  for (const x of rules) obstacles.push({ x0: x - 2, x1: x + 2, y0: 0, y1: height });
  // The line joining the means, sampled every 3 pixels.
  const byX = [...points].sort((a, b) => a.x - b.x);
  for (let i = 1; i < byX.length; i++) {
    const a = byX[i - 1];
    const b = byX[i];
    const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / 3));
    for (let k = 0; k <= steps; k++) {
      const x = a.x + ((b.x - a.x) * k) / steps;
      const y = a.y + ((b.y - a.y) * k) / steps;
      obstacles.push({ x0: x - 1, x1: x + 1, y0: y - 1, y1: y + 1 });
    }
  }
  const offsets = (h: number): [number, number][] => {
    const out: [number, number][] = [[12, 0], [-12, 0]];
    for (let r = 0; r < 8; r++) {
      const d = 6 + h / 2 + r * (lineH + 1);
      out.push([6, -d], [-6, -d], [6, d], [-6, d]);
    }
    return out;
  };
  const order = points.map((_, i) => i).sort((a, b) => points[b].x - points[a].x);
  const spots: LabelSpot[] = points.map(() => ({ dx: 12, dy: 0, align: 'left', twoLines: false }));
  for (const i of order) {
    const p = points[i];
    const parts = p.text.split(' · ');
    const layouts = [{ twoLines: false, w: p.text.length * charW, h: lineH }];
    if (parts.length === 2) layouts.push({ twoLines: true, w: Math.max(...parts.map((t) => t.length)) * charW, h: 2 * lineH });
    let best: { spot: LabelSpot; box: Box; hits: number } | null = null;
    for (const { twoLines, w, h } of layouts) {
      for (const [dx, dy] of offsets(h)) {
        const align = dx >= 0 ? 'left' : 'right';
        const x0 = align === 'left' ? p.x + dx : p.x + dx - w;
        const box = { x0, x1: x0 + w, y0: p.y + dy - h / 2, y1: p.y + dy + h / 2 };
        if (box.x0 < 0 || box.x1 > width || box.y0 < 0 || box.y1 > height) continue;
        const hits = placed.filter((b) => overlaps(b, box)).length * 10 + obstacles.filter((b) => overlaps(b, box)).length;
        if (!best || hits < best.hits) best = { spot: { dx, dy, align, twoLines }, box, hits };
        if (hits === 0) break;
      }
      if (best && best.hits === 0) break;
    }
    if (best) {
      placed.push(best.box);
      spots[i] = best.spot;
    }
  }
  return spots;
}

function isPlotData(input: NoisePlotData | NoisePlotEstimate): input is NoisePlotData {
  return (input as NoisePlotData).kind === 'noise-plot';
}

/**
 * Builds the Vega-Lite specification of the plot (plain JSON), for use in notebooks or to
 * restyle; {@link renderNoisePlotSvg} renders it. Takes {@link NoisePlotData} or a
 * `NoiseEstimate` (adapted by {@link noisePlotData}).
 *
 * @example
 * const spec = noisePlotSpec(estimate); // embed with vega-embed in a page
 */
export function noisePlotSpec(input: NoisePlotData | NoisePlotEstimate, options: NoisePlotOptions = {}): Record<string, unknown> {
  const data = isPlotData(input) ? input : noisePlotData(input, options);
  if (!Array.isArray(data.levels) || data.levels.length === 0) throw new RangeError('the plot needs at least one level');
  const audio = data.modality === 'audio';
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const levels = [...data.levels].sort((a, b) => a.Q - b.Q);
  const qMin = levels[0].Q;
  const qMax = levels[levels.length - 1].Q;
  const xDomain: [number, number] = [Math.max(0, qMin - 0.03), Math.min(1, qMax + 0.03)];
  if (xDomain[1] - xDomain[0] < 0.1) {
    xDomain[0] = Math.max(0, xDomain[0] - 0.05);
    xDomain[1] = Math.min(1, xDomain[1] + 0.05);
  }
  const all = levels.flatMap((l) => [l.accuracy, ...(l.ci ?? []), ...(l.runs ?? [])]).filter(Number.isFinite);
  const chance = data.chance ?? null;
  const yLo = Math.max(0, Math.min(...all, chance ?? 1) - 0.05);
  const yHi = Math.min(1, Math.max(...all) + 0.08);
  const rows: NoisePlotRow[] = [];
  const MEAN = 'mean (95% interval)';
  const THEORY = 'theory (fitted shadow curve)';
  const KNEE = 'knee (N_approx) and its range';
  // The runs are drawn 5 pixels right of their level's error bar, so that the bar does not hide them.
  const runShift = (5 / width) * (xDomain[1] - xDomain[0]);
  for (const l of levels) {
    rows.push({ series: MEAN, Q: l.Q, accuracy: l.accuracy, ...(l.ci ? { lo: l.ci[0], hi: l.ci[1] } : {}), label: l.label ?? short(l.level, audio) });
    for (const r of l.runs ?? []) rows.push({ series: 'runs', Q: l.Q + runShift, accuracy: r });
  }
  // Labels: positions computed in pixels, written back in data units with a leader line.
  const px = (Q: number): number => ((Q - xDomain[0]) / (xDomain[1] - xDomain[0])) * width;
  const py = (a: number): number => ((yHi - a) / (yHi - yLo)) * height;
  const fontSize = 10;
  const placement = placeLabels(
    levels.map((l) => ({
      x: px(l.Q),
      y: py(l.accuracy),
      yLo: py(Math.min(l.ci?.[0] ?? l.accuracy, ...(l.runs ?? []))),
      yHi: py(Math.max(l.ci?.[1] ?? l.accuracy, ...(l.runs ?? []))),
      text: l.label ?? short(l.level, audio),
      ring: data.recommendation?.level === l.level,
    })),
    width,
    height,
    fontSize,
    data.knee ? [px(data.knee.Q)] : [],
  );
  const labelRows = levels.map((l, i) => {
    const { dx, dy, align, twoLines } = placement[i];
    const text = l.label ?? short(l.level, audio);
    const lx = xDomain[0] + ((px(l.Q) + dx) / width) * (xDomain[1] - xDomain[0]);
    const ly = yHi - ((py(l.accuracy) + dy) / height) * (yHi - yLo);
    return { series: 'label' as const, Q: l.Q, accuracy: l.accuracy, Q2: lx, hi: ly, label: twoLines ? text.replace(' · ', '\n') : text, align, far: dy !== 0 };
  });

  const fit = data.theory;
  if (fit && Number.isFinite(fit.offset) && Number.isFinite(fit.scale)) {
    const spread = Math.max(fit.rmse, 0.005);
    for (const p of sampleTheoryCurve(fit, { count: 120, from: qMin, to: qMax })) {
      rows.push({ series: THEORY, Q: p.Q, accuracy: p.accuracy, lo: p.accuracy - spread, hi: p.accuracy + spread });
    }
  }
  const knee = data.knee ?? null;
  const rec = data.recommendation ?? null;
  const palette: Record<string, string> = { [MEAN]: '#1f5fa8', runs: '#7fa7d6', [THEORY]: '#8a8a8a', [KNEE]: '#d62728', recommended: '#2ca02c', chance: '#b0b0b0' };
  // The legend lists the series drawn (decided below, before the spec is returned).
  const domain: string[] = [];
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain, range: [] as string[] },
    legend: { orient: 'bottom', direction: 'horizontal', columns: 3, labelLimit: 320, symbolOpacity: 1, columnPadding: 18 },
  };
  const x = {
    field: 'Q',
    type: 'quantitative',
    title: audio ? 'quantization Q (normalized MP3 bitrate: 0 = highest, 1 = lowest)' : `quantization Q = (100 − ${data.codec ?? 'JPEG'} quality) / 100`,
    scale: { domain: xDomain, nice: false, zero: false },
    axis: { format: '.2f', grid: true },
  };
  const y = {
    field: 'accuracy',
    type: 'quantitative',
    title: data.accuracyTitle ?? 'accuracy',
    scale: { domain: [yLo, yHi], nice: false, zero: false },
    axis: { format: '.2f', grid: true },
  };
  const only = (series: string): Record<string, unknown>[] => [{ filter: `datum.series === '${series}'` }];
  const layers: Record<string, unknown>[] = [];
  if (knee) {
    const qOf = (level: number): number | undefined => levels.find((l) => l.level === level)?.Q;
    const [a, b] = knee.range ?? [knee.level, knee.level];
    const qa = qOf(a) ?? knee.Q;
    const qb = qOf(b) ?? knee.Q;
    // Half a grid step either side of a single-level range, so the band is visible.
    const pad = Math.min(0.012, (xDomain[1] - xDomain[0]) / 100);
    rows.push({ series: KNEE, Q: Math.min(qa, qb) - pad, Q2: Math.max(qa, qb) + pad });
    const nearRight = knee.Q > qMax - 0.15 * Math.max(qMax - qMin, 0.01);
    rows.push({
      series: KNEE,
      Q: knee.Q,
      label: `knee ${short(knee.level, audio)}` + (knee.range && knee.range[0] !== knee.range[1] ? ` (range ${knee.range[0]}–${knee.range[1]})` : ''),
    });
    layers.push(
      {
        transform: [{ filter: `datum.series === '${KNEE}' && isValid(datum.Q2)` }],
        mark: { type: 'rect', opacity: 0.1, color: '#d62728' },
        encoding: { x, x2: { field: 'Q2' } },
      },
      {
        transform: [{ filter: `datum.series === '${KNEE}' && !isValid(datum.Q2)` }],
        mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { x, color },
      },
      {
        transform: [{ filter: `datum.series === '${KNEE}' && !isValid(datum.Q2)` }],
        mark: { type: 'text', align: nearRight ? 'right' : 'left', baseline: 'bottom', dx: nearRight ? -5 : 5, y: { expr: 'height - 6' }, fontSize: 11, fontWeight: 'bold', color: '#d62728' },
        encoding: { x, text: { field: 'label' } },
      },
    );
  }
  layers.push(
    { transform: only(THEORY), mark: { type: 'area', opacity: 0.16, color: '#8a8a8a' }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } },
    { transform: only(THEORY), mark: { type: 'line', strokeWidth: 7, opacity: 0.3, strokeCap: 'round' }, encoding: { x, y, color } },
    { transform: only('runs'), mark: { type: 'point', filled: true, size: 22, opacity: 0.45 }, encoding: { x, y, color } },
    { transform: only(MEAN), mark: { type: 'line', strokeWidth: 1.2, opacity: 0.6, color: '#1f5fa8' }, encoding: { x, y } },
    {
      transform: [{ filter: `datum.series === '${MEAN}' && isValid(datum.lo)` }],
      mark: { type: 'rule', strokeWidth: 1.6, color: '#1f5fa8' },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
    },
    {
      transform: [{ filter: `datum.series === '${MEAN}' && isValid(datum.lo)` }],
      mark: { type: 'tick', orient: 'horizontal', size: 8, thickness: 1.6, color: '#1f5fa8' },
      encoding: { x, y: { ...y, field: 'lo' } },
    },
    {
      transform: [{ filter: `datum.series === '${MEAN}' && isValid(datum.lo)` }],
      mark: { type: 'tick', orient: 'horizontal', size: 8, thickness: 1.6, color: '#1f5fa8' },
      encoding: { x, y: { ...y, field: 'hi' } },
    },
    {
      transform: only(MEAN),
      mark: { type: 'point', filled: true, size: 60, opacity: 1 },
      encoding: { x, y, color, tooltip: [{ field: 'label' }, { field: 'accuracy', format: '.3f' }, { field: 'lo', format: '.3f' }, { field: 'hi', format: '.3f' }] },
    },
  );
  if (rec) {
    const r = levels.find((l) => l.level === rec.level);
    if (r) {
      rows.push({ series: 'recommended', Q: r.Q, accuracy: r.accuracy, label: `recommended ${short(r.level, audio)}` });
      layers.push({ transform: only('recommended'), mark: { type: 'point', shape: 'circle', filled: false, size: 340, strokeWidth: 2.2 }, encoding: { x, y, color } });
    }
  }
  // Leader lines for labels placed away from their point, then the labels.
  const labelData = { values: labelRows };
  const lx = { ...x, field: 'Q2' };
  const ly = { ...y, field: 'hi' };
  layers.push(
    {
      data: labelData,
      transform: [{ filter: 'datum.far' }],
      mark: { type: 'rule', strokeWidth: 0.6, color: '#999' },
      encoding: { x, y, x2: { field: 'Q2' }, y2: { field: 'hi' } },
    },
    {
      data: labelData,
      transform: [{ filter: "datum.align === 'left'" }],
      mark: { type: 'text', align: 'left', baseline: 'middle', lineBreak: '\n', fontSize, color: '#333' },
      encoding: { x: lx, y: ly, text: { field: 'label' } },
    },
    {
      data: labelData,
      transform: [{ filter: "datum.align === 'right'" }],
      mark: { type: 'text', align: 'right', baseline: 'middle', lineBreak: '\n', fontSize, color: '#333' },
      encoding: { x: lx, y: ly, text: { field: 'label' } },
    },
  );
  if (chance !== null && chance >= yLo && chance <= yHi) {
    rows.push({ series: 'chance', Q: qMin, accuracy: chance });
    layers.push({ transform: only('chance'), mark: { type: 'rule', strokeDash: [2, 3], strokeWidth: 1.5 }, encoding: { y, color } });
  }
  const subtitle = [...(data.notes ?? []), ...(data.labelNote ? [data.labelNote] : [])];
  for (const series of [MEAN, 'runs', THEORY, KNEE, 'recommended', 'chance']) {
    if (rows.some((r) => r.series === series)) {
      domain.push(series);
      color.scale.range.push(palette[series]);
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height,
    padding: 12,
    background: 'white',
    title: {
      text: options.title ?? (audio ? 'Accuracy vs MP3 quantization' : `Accuracy vs ${data.codec ?? 'JPEG'} quantization`),
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
 * headless SVG renderer). Takes {@link NoisePlotData} or a `NoiseEstimate`. Open it in any
 * browser, or embed it in a report.
 *
 * @example
 * import { writeFile } from 'node:fs/promises';
 * await writeFile('noise.svg', await renderNoisePlotSvg(estimate, { dataName: 'CIFAR-10' }));
 */
export async function renderNoisePlotSvg(input: NoisePlotData | NoisePlotEstimate, options: NoisePlotOptions = {}): Promise<string> {
  const spec = noisePlotSpec(input, options);
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
