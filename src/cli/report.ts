/**
 * Text output of a noise estimate: the per-level table (mean accuracy with its interval, epochs
 * to converge with theirs, bits, a "still improving" marker), the summary (learned check, knee
 * with its range or the reason there is none, content bits led by the measured ones, the Welch
 * recommendation, convergence, theory), the settings of a results file, and CSV.
 *
 * The inputs are minimal structural shapes with the field names of the sweep's result types
 * (CONTRACT: `LevelResult` with `runs[]`, `accuracyCi`, `bits`; `NoiseEstimate` with `knee`,
 * `kneeReason`, `learned`, `convergence`, `content`). An unfinished sweep prints what is
 * known and no summary that needs more levels than exist.
 */
import { formatBitsValue, formatContentBits } from '../stats/content.js';
import { formatMeanCi } from '../stats/format.js';
import { levelName, shortLevelName, type LevelNaming } from '../stats/naming.js';

/** One level as the report reads it (a `LevelResult`, new or old shape). */
export interface ReportLevel {
  level: number;
  Q: number;
  accuracy: number;
  accuracyCi?: [number, number];
  ciMethod?: 't' | 'bootstrap-test-items' | string;
  runs?: readonly { accuracy: number; stillImproving?: boolean }[];
  epochsToConverge?: { mean: number; ci: [number, number] } | number | null;
  bits?: { unit?: string; paper?: number; tables?: number; nominal?: number; measured: number };
  testCount: number;
  seconds: number;
  compressSeconds?: number;
  trainSeconds?: number;
}

/** A sweep's estimate as the report reads it (a `NoiseEstimate`, new or old shape). */
export interface ReportEstimate {
  modality: 'image' | 'audio';
  codec?: string;
  levels: readonly ReportLevel[];
  knee: { level: number; Q: number; range?: [number, number]; support?: number } | null;
  kneeReason?: string | null;
  recommendation?: { level: number; Q: number; reason: string } | null;
  learned?: { learned: boolean; chance: number; bestLevel: number; pAboveChance: number; stillImproving: boolean; remedy?: string };
  convergence?: { text: string } | null;
  content?: { paper: number; tables?: number; measured: number; unit: 'bits/pixel' | 'bits/s'; paperSaturated: boolean } | null;
  sourceBits?: number;
  theory?: { offset: number; scale: number; rmse: number; r2: number; count?: number } | null;
  timings?: { totalSeconds: number };
  backend?: string;
  repeats?: number;
  metric?: string;
  trainingsRun?: number;
  trainingsSaved?: number;
  strategy?: string;
  trainCount?: number;
  testCount?: number;
  classes?: number;
}

/**
 * Formats seconds as `45s`, `2m05s` or `1h02m`.
 *
 * @example
 * formatDuration(125); // '2m05s'
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(Math.round(seconds - 60 * m)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h${String(m - 60 * h).padStart(2, '0')}m`;
}

const fixed = (v: number | null | undefined, digits: number): string => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits));

/** Levels a summary part needs: the knee and the theory curve 3, the recommendation 2. */
export const SUMMARY_MIN_LEVELS = { knee: 3, theory: 3, recommendation: 2 } as const;

function naming(e: Pick<ReportEstimate, 'modality' | 'codec'>): LevelNaming {
  return { modality: e.modality, codec: e.codec };
}

function epochsText(e: ReportLevel['epochsToConverge']): string {
  if (e === null || e === undefined) return '-';
  if (typeof e === 'number') return String(e);
  const half = (e.ci[1] - e.ci[0]) / 2;
  if (half === 0) return e.mean.toFixed(Number.isInteger(e.mean) ? 0 : 1);
  const digits = half >= 1 ? 0 : 1;
  return `${e.mean.toFixed(digits)} +- ${half.toFixed(digits)}`;
}

function bitsOf(l: ReportLevel): { paper?: number; tables?: number; measured?: number } {
  if (l.bits) return { paper: l.bits.paper ?? l.bits.nominal, tables: l.bits.tables, measured: l.bits.measured };
  return {};
}

function stillImprovingMark(l: ReportLevel): string {
  const runs = l.runs ?? [];
  const n = runs.filter((r) => r.stillImproving === true).length;
  if (n === 0) return '';
  return runs.length === 1 ? ' still improving' : ` still improving (${n}/${runs.length})`;
}

/**
 * The per-level table: level, Q, accuracy as `mean +- half-width` of its 95% interval (one run:
 * the bootstrap over test items), runs, epochs to converge (mean +- half-width), bits per pixel
 * (paper, tables, measured; kbit/s measured for audio), time, and markers: knee, recommended,
 * and "still improving" where runs were still improving at their last epoch.
 *
 * @example
 * console.log(formatLevelTable(estimate));
 */
export function formatLevelTable(estimate: Pick<ReportEstimate, 'modality' | 'codec' | 'levels' | 'knee' | 'recommendation'>): string {
  const audio = estimate.modality === 'audio';
  const header = audio
    ? ['kbps', 'Q', 'accuracy (95% CI)', 'runs', 'epochs to converge', 'kbit/s (measured)', 'time']
    : ['quality', 'Q', 'accuracy (95% CI)', 'runs', 'epochs to converge', 'bpp (paper)', 'bpp (tables)', 'bpp (measured)', 'time'];
  const levels = [...estimate.levels].sort((a, b) => a.Q - b.Q);
  const rows = levels.map((l) => {
    const marks =
      (estimate.knee?.level === l.level ? ' <- knee' : '') +
      (estimate.recommendation?.level === l.level ? ' <- recommended' : '') +
      stillImprovingMark(l);
    const accuracy = l.accuracyCi ? formatMeanCi(l.accuracy, l.accuracyCi) : fixed(l.accuracy, 3);
    const common = [String(l.level), l.Q.toFixed(2), accuracy, String(l.runs?.length ?? 1), epochsText(l.epochsToConverge)];
    const b = bitsOf(l);
    const bits = audio ? [fixed((b.measured ?? NaN) / 1000, 1)] : [bitsCell(b.paper), bitsCell(b.tables), bitsCell(b.measured)];
    return [...common, ...bits, formatDuration(l.seconds) + marks];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (c === header.length - 1 ? 0 : r[c].length))));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padStart(widths[c]))).join('  ');
  const table = [line(header), line(widths.map((w, c) => (c === widths.length - 1 ? '-'.repeat(header[c].length) : '-'.repeat(w)))), ...rows.map(line)];
  const methods = new Set(levels.map((l) => l.ciMethod).filter(Boolean));
  if (methods.has('t')) table.push('(accuracy: mean over the runs +- half its 95% t interval over repeats)');
  if (methods.has('bootstrap-test-items')) table.push('(accuracy of one run, or of runs that agree: 95% bootstrap over the test items; it leaves out the training\'s noise)');
  if (levels.some((l) => stillImprovingMark(l) !== '')) {
    table.push("(still improving: validation accuracy was still rising at the last epoch; train longer, e.g. epochs: 'auto' / --epochs auto)");
  }
  if (levels.some((l) => l.epochsToConverge === null || l.epochsToConverge === undefined)) {
    table.push("(epochs to converge: '-' where no run converged within its epochs)");
  }
  return table.join('\n') + '\n';
}

/** A bits cell that never reads "0.00" for a small positive value. */
function bitsCell(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '-';
  return v > 0 && v < 0.1 ? formatBitsValue(v) : v.toFixed(2);
}

const KNEE_REASON_TEXT: Record<string, string> = {
  flat: 'none in the tested range: the accuracy spread across all levels is within its own noise (the best and worst levels do not differ significantly), so even the strongest compression tried keeps what the classifier needs.',
  'not-learned': 'not read: the classifier did not learn (see above).',
  'still-improving': 'not read: the classifier was still improving at its last epoch (see above).',
  'too-few-levels': 'not read: it needs at least 3 levels.',
  'no-knee': 'none: accuracy does not fall off over the levels tried.',
};

/**
 * The theory line with its sign written properly: "accuracy = 0.575 - 0.0022 * ln(100 - Q%)".
 *
 * @example
 * formatTheory({ offset: 0.575, scale: -0.0022, rmse: 0.01, r2: 0.4 }); // 'accuracy = 0.575 - 0.0022 * ln(100 - Q%), RMSE 0.010, R^2 0.40'
 */
export function formatTheory(t: { offset: number; scale: number; rmse: number; r2: number }): string {
  const sign = t.scale < 0 ? '-' : '+';
  return `accuracy = ${t.offset.toFixed(3)} ${sign} ${Math.abs(t.scale).toFixed(4)} * ln(100 - Q%), RMSE ${t.rmse.toFixed(3)}${Number.isFinite(t.r2) ? `, R^2 ${t.r2.toFixed(2)}` : ''}`;
}

/**
 * The summary under the table: whether the classifier learned (with the remedy when not), the
 * knee with its range and support (or why there is none), the content bits at the knee (the
 * measured bits first, the paper's figure beside them and whether it saturates), the
 * recommendation with its test, convergence, the fitted theory curve, and what ran. Parts that
 * need more levels than the estimate holds (knee and theory 3, recommendation 2) are left out
 * with a line saying so; unknown settings (0 classes, backend 'none') are not printed.
 *
 * @example
 * console.log(formatSummary(estimate));
 */
export function formatSummary(estimate: ReportEstimate): string {
  const audio = estimate.modality === 'audio';
  const names = naming(estimate);
  const name = (level: number): string => levelName(level, names);
  const n = estimate.levels.length;
  const lines: string[] = [];
  const learned = estimate.learned;
  if (learned && !learned.learned) lines.push(learned.remedy ?? `The classifier did not learn (best level not significantly above chance ${learned.chance.toFixed(3)}): train longer (--epochs auto) or use a wider model (--width).`);
  if (n < SUMMARY_MIN_LEVELS.knee) {
    lines.push(`Only ${n} finished level${n === 1 ? '' : 's'}: the knee and the theory curve need at least ${SUMMARY_MIN_LEVELS.knee}${n < SUMMARY_MIN_LEVELS.recommendation ? `, a recommendation at least ${SUMMARY_MIN_LEVELS.recommendation}` : ''}.`);
  } else if (estimate.knee) {
    const k = estimate.knee;
    const range = k.range && (k.range[0] !== k.range[1] || k.range[0] !== k.level) ? `, range ${shortLevelName(k.range[0], names)} to ${shortLevelName(k.range[1], names)}` : '';
    const support = k.support !== undefined ? ` (${Math.round(k.support * 100)}% of the resampled sweeps agree)` : '';
    lines.push(`Knee (N_approx): ${name(k.level)} (Q ${k.Q.toFixed(2)})${range}${support}: accuracy falls off beyond it.`);
    if (estimate.content) {
      lines.push(`Content at the knee: ${formatContentBits(estimate.content, names)}`);
    }
  } else {
    lines.push(`Knee (N_approx): ${KNEE_REASON_TEXT[estimate.kneeReason ?? 'no-knee'] ?? `none (${estimate.kneeReason}).`}`);
  }
  const rec = estimate.recommendation;
  if (rec && n >= SUMMARY_MIN_LEVELS.recommendation) {
    const lead = rec.reason.startsWith(name(rec.level)) || rec.reason.startsWith('No compression') ? '' : `${name(rec.level)} (Q ${rec.Q.toFixed(2)}): `;
    lines.push(`Recommendation: ${lead}${rec.reason}`);
  }
  if (estimate.convergence) lines.push(`Convergence: ${estimate.convergence.text}`);
  const t = estimate.theory;
  if (t && Number.isFinite(t.scale) && n >= SUMMARY_MIN_LEVELS.theory) lines.push(`Theory: ${formatTheory(t)}.`);
  const runs = estimate.levels.reduce((s, l) => s + (l.runs?.length ?? 1), 0);
  const repeats = estimate.repeats ?? Math.min(...estimate.levels.map((l) => l.runs?.length ?? 1));
  const data = [
    estimate.trainCount ? `${estimate.trainCount} train` : '',
    estimate.testCount ? `${estimate.testCount} test ${audio ? 'clips' : 'images'}` : '',
  ].filter(Boolean).join(' / ');
  const facts = [
    data,
    estimate.classes ? `${estimate.classes} classes` : '',
    estimate.backend && estimate.backend !== 'none' ? `backend ${estimate.backend}` : '',
    estimate.timings ? `in ${formatDuration(estimate.timings.totalSeconds)}` : '',
  ].filter(Boolean);
  const saved = (estimate.trainingsSaved ?? 0) > 0 ? ` (${estimate.trainingsSaved} level(s) saved by the ${estimate.strategy ?? 'adaptive'} strategy)` : '';
  lines.push(
    `Trained ${n} level(s) x ${repeats} run${repeats === 1 ? '' : 's'} (${runs} trainings)${saved}${facts.length > 0 ? ` on ${facts.join(', ')}` : ''}.` +
      (repeats === 1 ? ' One run per level: intervals cover the test items only, not the training\'s noise (raise repeats).' : ''),
  );
  return lines.join('\n') + '\n';
}

/**
 * The settings a results file records (model, epochs, batch, optimizer, seed, data counts), as
 * one line, for reports of unfinished sweeps.
 *
 * @example
 * formatSettings({ modality: 'image', model: 'A', modelOptions: { widthMultiplier: 0.25 }, epochs: 5, seed: 0, data: { train: 3000, test: 1000 } });
 * // 'Settings: image, model A (width 0.25), 5 epochs, seed 0, data 3000 train / 1000 test.'
 */
export function formatSettings(settings: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  const s = settings;
  if (typeof s.modality === 'string') parts.push(s.modality);
  if (s.model !== undefined && s.model !== null) {
    const width = (s.modelOptions as { widthMultiplier?: unknown } | null)?.widthMultiplier;
    parts.push(`model ${String(s.model)}${typeof width === 'number' ? ` (width ${width})` : ''}`);
  }
  if (s.epochs !== undefined && s.epochs !== null) parts.push(typeof s.epochs === 'number' ? `${s.epochs} epochs` : `epochs ${String(s.epochs)}`);
  if (typeof s.repeats === 'number') parts.push(`${s.repeats} repeats`);
  if (typeof s.batchSize === 'number') parts.push(`batch ${s.batchSize}`);
  if (s.optimizer !== undefined && s.optimizer !== null) parts.push(`optimizer ${String(s.optimizer)}`);
  if (s.augment === true) parts.push('augmented');
  if (typeof s.seed === 'number') parts.push(`seed ${s.seed}`);
  const data = s.data as { train?: unknown; test?: unknown } | null | undefined;
  if (data && typeof data.train === 'number' && typeof data.test === 'number') parts.push(`data ${data.train} train / ${data.test} test`);
  const known = new Set(['modality', 'model', 'modelOptions', 'epochs', 'repeats', 'batchSize', 'optimizer', 'augment', 'seed', 'data']);
  for (const [key, value] of Object.entries(s)) {
    if (!known.has(key) && value !== null && value !== undefined) parts.push(`${key} ${JSON.stringify(value)}`);
  }
  return `Settings: ${parts.join(', ')}.\n`;
}

/**
 * The report of an unfinished sweep: the settings, the finished levels' table, and only the
 * summary parts the finished levels support (see {@link formatSummary}).
 *
 * @param planned - levels the sweep plans, when known (to say how many are finished)
 * @example
 * console.log(formatPartialReport(estimateOfFinishedLevels, file.settings, { planned: 9 }));
 */
export function formatPartialReport(estimate: ReportEstimate, settings: Readonly<Record<string, unknown>>, options: { planned?: number } = {}): string {
  const n = estimate.levels.length;
  const of = options.planned !== undefined ? ` of ${options.planned}` : '';
  return `Unfinished sweep: ${n}${of} level(s) finished.\n${formatSettings(settings)}\n${formatLevelTable(estimate)}\n${formatSummary(estimate)}`;
}

/**
 * The levels as CSV (one row per level; header row first): mean accuracy, its interval and
 * method, runs, epochs to converge (mean and interval), bits, times, knee and recommended flags.
 *
 * @example
 * await writeFile('levels.csv', estimateToCsv(estimate));
 */
export function estimateToCsv(estimate: Pick<ReportEstimate, 'levels' | 'knee' | 'recommendation'>): string {
  const header = [
    'level', 'Q', 'accuracy', 'accuracy_ci_low', 'accuracy_ci_high', 'ci_method', 'runs', 'still_improving_runs',
    'epochs_to_converge', 'epochs_to_converge_ci_low', 'epochs_to_converge_ci_high',
    'bpp_paper', 'bpp_tables', 'bpp_measured', 'bps_nominal', 'bps_measured',
    'test_count', 'seconds', 'compress_seconds', 'train_seconds', 'is_knee', 'is_recommended',
  ];
  const num = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '' : String(v));
  const rows = [...estimate.levels].sort((a, b) => a.Q - b.Q).map((l) => {
    const e = l.epochsToConverge;
    const eMean = typeof e === 'number' ? e : e?.mean;
    const eCi = typeof e === 'object' && e !== null ? e.ci : undefined;
    const audio = l.bits?.unit === 'bits/s';
    const b = bitsOf(l);
    return [
      num(l.level), num(l.Q), num(l.accuracy), num(l.accuracyCi?.[0]), num(l.accuracyCi?.[1]), l.ciMethod ?? '',
      String(l.runs?.length ?? 1), String((l.runs ?? []).filter((r) => r.stillImproving === true).length),
      num(eMean), num(eCi?.[0]), num(eCi?.[1]),
      audio ? '' : num(b.paper), audio ? '' : num(b.tables), audio ? '' : num(b.measured),
      audio ? num(b.paper) : '', audio ? num(b.measured) : '',
      num(l.testCount), num(l.seconds), num(l.compressSeconds), num(l.trainSeconds),
      String(estimate.knee?.level === l.level), String(estimate.recommendation?.level === l.level),
    ].join(',');
  });
  return [header.join(','), ...rows].join('\n') + '\n';
}
