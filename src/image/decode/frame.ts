/**
 * The decoder's state shared by the marker parser (markers.ts), the scan decoders
 * (sequential.ts, progressive.ts, scan.ts) and block smoothing (smoothing.ts): the frame and its
 * components as the headers describe them, libjpeg's zigzag table with its overrun entries, and
 * the internal error type that `decodeJpeg` turns into an `Error` with the same message.
 */

/** Zigzag index to natural index, with libjpeg's 16 extra entries (= 63) for corrupt runs. */
export const NATURAL_ORDER = new Int32Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
  28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
  54, 47, 55, 62, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
]);

/** One frame component: header fields, quantization table latched at its first scan, block grid and coefficients. */
export interface FrameComponent {
  id: number;
  h: number;
  v: number;
  tq: number;
  quant: Uint16Array | null;
  blocksWide: number;
  blocksHigh: number;
  /** Blocks that hold real samples (libjpeg's width_in_blocks / height_in_blocks). */
  widthInBlocks: number;
  heightInBlocks: number;
  coefficients: Int16Array | null;
}

/** The frame header (SOF) and what the scans have accumulated. */
export interface Frame {
  width: number;
  height: number;
  progressive: boolean;
  /** Per component, libjpeg's coef_bits: the Al of the last scan of each zigzag position, -1 if none. */
  coefBits: Int32Array[];
  /** Per component, coef_bits as they were when the component's latest scan began. */
  prevCoefBits: Int32Array[];
  /** libjpeg's last_good_iMCU_row: the last iMCU row decoded before data ran out. */
  lastGoodIMcuRow: number;
  maxH: number;
  maxV: number;
  mcusX: number;
  mcusY: number;
  components: FrameComponent[];
}

/** A decoding failure with its reason (becomes a plain `Error` for the caller). */
export class JpegError extends Error {}

/** Throws a {@link JpegError}. */
export function fail(message: string): never {
  throw new JpegError(message);
}
