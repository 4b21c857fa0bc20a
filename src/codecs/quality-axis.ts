/**
 * The quality axis that the image codecs share: integer qualities (JPEG 1..100, WebP 0..100),
 * the paper's default grid, `Q = (100 - q) / 100` (so that two codecs' curves of one data set
 * share an axis), and the source bits of an 8-bit image (16 for RGB, 8 for gray, as the paper).
 *
 * @example
 * qualityLevels(1, 100).length; // 100
 * qualityQ(25); // 0.75
 */

/** The paper's JPEG qualities: the default grid of every quality codec. */
export const PAPER_QUALITY_LEVELS: readonly number[] = Object.freeze([1, 5, 10, 15, 20, 25, 50, 75, 100]);

/** Every integer quality from `min` to `max`, frozen. */
export function qualityLevels(min: number, max: number): readonly number[] {
  return Object.freeze(Array.from({ length: max - min + 1 }, (_, i) => min + i));
}

/** A quality's position on the quantization axis: `(100 - q) / 100` (0 = best quality). */
export function qualityQ(quality: number): number {
  return (100 - quality) / 100;
}

/** Source bits per pixel of an 8-bit image: 16 for RGB (the paper's figure), 8 for gray. */
export function imageSourceBits(context: { channels?: number }): number {
  return (context.channels ?? 3) === 3 ? 16 : 8;
}
