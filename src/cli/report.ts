/**
 * Text output of a noise estimate: the per-level table, the summary (knee, content bits,
 * recommendation) and CSV.
 */
import type { LevelResult, NoiseEstimate } from '../noise/types.js';

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

/**
 * The per-level table: level, Q, accuracy (top-10 mean), best accuracy, epochs to converge,
 * bits per pixel (paper, tables, measured), seconds.
 *
 * @example
 * console.log(formatLevelTable(estimate));
 */
export function formatLevelTable(estimate: NoiseEstimate): string {
  const audio = estimate.modality === 'audio';
  const header = audio
    ? ['kbps', 'Q', 'accuracy', 'best', 'epochs to converge', 'kbit/s (measured)', 'time']
    : ['quality', 'Q', 'accuracy', 'best', 'epochs to converge', 'bpp (paper)', 'bpp (tables)', 'bpp (measured)', 'time'];
  const rows = estimate.levels.map((l: LevelResult) => {
    const mark = estimate.knee?.level === l.level ? ' <- knee' : '';
    const rec = estimate.recommendation?.level === l.level ? ' <- recommended' : '';
    const common = [String(l.level), l.Q.toFixed(2), fixed(l.accuracy, 3), fixed(l.bestAccuracy, 3), l.epochsToConverge === null ? '-' : l.epochsToConverge.mean.toFixed(1)];
    const bits = audio
      ? [fixed((l.bitsPerSecond?.measured ?? NaN) / 1000, 1)]
      : [fixed(l.bitsPerPixel?.paper, 2), fixed(l.bitsPerPixel?.tables, 2), fixed(l.bitsPerPixel?.measured, 2)];
    return [...common, ...bits, formatDuration(l.seconds) + mark + rec];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (c === header.length - 1 ? 0 : r[c].length))));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padStart(widths[c]))).join('  ');
  const table = [line(header), line(widths.map((w, c) => (c === widths.length - 1 ? '-'.repeat(header[c].length) : '-'.repeat(w)))), ...rows.map(line)];
  const short = estimate.levels.some((l) => l.epochsToConverge === null && l.history.length > 0 && l.history.length < 10);
  if (short) table.push("(epochs to converge: the paper's first epoch whose 10-epoch moving average of validation accuracy exceeds 0.99 x the best; '-' when fewer than 10 epochs ran or it never does)");
  return table.join('\n') + '\n';
}

/**
 * The summary under the table: knee (N_approx), content and noise bits, recommendation,
 * the fitted theoretical curve, trainings and time.
 *
 * @example
 * console.log(formatSummary(estimate));
 */
export function formatSummary(estimate: NoiseEstimate): string {
  const audio = estimate.modality === 'audio';
  const name = (level: number): string => (audio ? `${level} kbps` : `JPEG quality ${level}`);
  const unit = audio ? 'bits per second' : 'bits per pixel';
  const lines: string[] = [];
  if (estimate.knee) {
    lines.push(`Knee (N_approx): ${name(estimate.knee.level)} (Q ${estimate.knee.Q.toFixed(2)}): accuracy falls off beyond it.`);
    if (estimate.contentBits !== null) {
      lines.push(
        audio
          ? `Content: ${(estimate.contentBits / 1000).toFixed(1)} kbit/s remain at the knee; ${((estimate.noiseBits ?? 0) / 1000).toFixed(1)} of ${(estimate.sourceBits / 1000).toFixed(0)} kbit/s are noise.`
          : `Content: ${estimate.contentBits.toFixed(2)} ${unit} remain at the knee (paper method); ${fixed(estimate.noiseBits, 2)} of the ${fixed(estimate.sourceBits, 0)} source ${unit} are noise.`,
      );
    }
  } else {
    lines.push('Knee (N_approx): none: accuracy does not fall off over the levels tried, so even the strongest compression keeps what the classifier needs.');
  }
  const rec = estimate.recommendation;
  if (rec) lines.push(`Recommendation: ${name(rec.level)} (Q ${rec.Q.toFixed(2)}): ${rec.reason}`);
  const t = estimate.theory;
  if (t && Number.isFinite(t.scale)) {
    lines.push(
      `Theory: accuracy = ${t.offset.toFixed(3)} + ${t.scale.toFixed(4)} * ln(100 - Q%), RMSE ${t.rmse.toFixed(3)}${Number.isFinite(t.r2) ? `, R^2 ${t.r2.toFixed(2)}` : ''}.`,
    );
  }
  lines.push(
    `Trained ${estimate.trainingsRun} level(s)${estimate.trainingsSaved > 0 ? ` (${estimate.trainingsSaved} saved by the ${estimate.strategy} strategy)` : ''} on ${estimate.trainCount} train / ${estimate.testCount} test ${audio ? "clips" : "images"}, ${estimate.classes} classes, backend ${estimate.backend}, in ${formatDuration(estimate.timings.totalSeconds)}.`,
  );
  return lines.join('\n') + '\n';
}

/**
 * The levels as CSV (one row per level; header row first).
 *
 * @example
 * await writeFile('levels.csv', estimateToCsv(estimate));
 */
export function estimateToCsv(estimate: NoiseEstimate): string {
  const header = [
    'level', 'Q', 'accuracy', 'best_accuracy', 'epochs_to_converge',
    'bpp_paper', 'bpp_tables', 'bpp_measured', 'bps_nominal', 'bps_measured',
    'test_count', 'seconds', 'compress_seconds', 'train_seconds', 'is_knee', 'is_recommended',
  ];
  const num = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '' : String(v));
  const rows = estimate.levels.map((l) =>
    [
      l.level, l.Q, l.accuracy, l.bestAccuracy, l.epochsToConverge?.mean,
      l.bitsPerPixel?.paper, l.bitsPerPixel?.tables, l.bitsPerPixel?.measured, l.bitsPerSecond?.nominal, l.bitsPerSecond?.measured,
      l.testCount, l.seconds, l.compressSeconds, l.trainSeconds,
    ].map(num).concat([String(estimate.knee?.level === l.level), String(estimate.recommendation?.level === l.level)]).join(','),
  );
  return [header.join(','), ...rows].join('\n') + '\n';
}
