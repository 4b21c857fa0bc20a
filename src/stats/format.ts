/**
 * Number formatting shared by the statistics' sentences and the report.
 */

/**
 * `mean +- half-width` of an interval, e.g. "0.731 +- 0.012", when it is symmetric to a unit of
 * the last digit or 15%; a more asymmetric interval shows its ends, "0.731 (0.700 to 0.740)".
 *
 * @param digits - decimals, default 3
 * @example
 * formatMeanCi(0.731, [0.719, 0.743]); // '0.731 +- 0.012'
 */
export function formatMeanCi(mean: number, ci: readonly [number, number], digits = 3): string {
  const [low, high] = ci;
  if (!Number.isFinite(mean)) return '-';
  if (!Number.isFinite(low) || !Number.isFinite(high)) return mean.toFixed(digits);
  const up = high - mean;
  const down = mean - low;
  const scale = 10 ** digits;
  // Symmetric within a unit of the last digit or 15% (bootstrap ends are discrete): "+-".
  if (Math.abs(Math.round(up * scale) - Math.round(down * scale)) <= Math.max(1, 0.15 * scale * (up + down) / 2)) {
    return `${mean.toFixed(digits)} +- ${((up + down) / 2).toFixed(digits)}`;
  }
  return `${mean.toFixed(digits)} (${low.toFixed(digits)} to ${high.toFixed(digits)})`;
}

/**
 * A signed number: "+0.004", "-0.012".
 *
 * @example
 * signed(-0.0123); // '-0.012'
 */
export function signed(value: number, digits = 3): string {
  const s = value.toFixed(digits);
  return value >= 0 && !s.startsWith('-') ? `+${s}` : s;
}

/**
 * A p-value: "p 0.031", "p < 0.001".
 *
 * @example
 * formatP(0.00002); // 'p < 0.001'
 */
export function formatP(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p ${p.toFixed(3)}`;
}
