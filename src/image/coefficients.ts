/**
 * The quantized DCT coefficients of a JPEG image: the meeting point of the forward path
 * (color conversion, downsampling, forward DCT, quantization) and the inverse path
 * (dequantization, inverse DCT, upsampling, color conversion). The entropy coder writes this
 * structure to bytes and the decoder reads it back, so that `jpegRoundTrip` can skip entropy
 * coding entirely: `inverse(forward(image))`.
 */
export interface JpegComponentCoefficients {
  /** Component id as written in the SOF marker (1 = Y, 2 = Cb, 3 = Cr for JFIF). */
  id: number;
  /** Horizontal and vertical sampling factors (1..4). */
  h: number;
  v: number;
  /** Quantization table of this component, 64 entries in natural (row-major) order. */
  quantTable: Uint16Array;
  /** Number of 8x8 blocks across and down, including the padding blocks that fill whole MCUs. */
  blocksWide: number;
  blocksHigh: number;
  /**
   * Quantized coefficients, block after block in raster order (block row by block row),
   * each block's 64 values in natural (row-major, not zigzag) order.
   */
  coefficients: Int16Array;
}

export interface JpegCoefficients {
  width: number;
  height: number;
  /** 1 (grayscale) or 3 (YCbCr) components. */
  components: JpegComponentCoefficients[];
}
