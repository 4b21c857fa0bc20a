// Public exports of src/image/ (one line per module).
export { assertImage, MAX_IMAGE_SIDE, type Image, type ImageBatch } from './image.js';
export type { JpegCoefficients, JpegComponentCoefficients } from './coefficients.js';
export { ANNEX_K_LUMINANCE, ANNEX_K_CHROMINANCE } from './annex-k.js';
export { jpegQuantizationTables, jpegQualityScaling, JPEG_NATURAL_ORDER, type QuantizationTables, type QuantizationTableOptions, type CustomQuantizationTables } from './quantization.js';
export { forwardJpeg, CHROMA_SUBSAMPLINGS, type ChromaSubsampling, type ForwardJpegOptions } from './forward.js';
export { encodeJpeg, type EncodeJpegOptions } from './encode.js';
export { bitsPerPixel, jpegBitsPerPixel, PAPER_TABLE_SUM, type BitsMethod, type BitsPerPixelOptions, type BitsPerPixel, type JpegBitsPerPixel } from './bits.js';
export { inverseJpeg, type JpegColorTransform } from './inverse.js';
export { decodeJpeg, decodeJpegCoefficients, type DecodeJpegOptions, type DecodedJpeg } from './decode.js';
export { jpegRoundTrip, jpegRoundTripBatch, type JpegRoundTripOptions } from './roundtrip.js';
export { prepareJpegKernel } from './roundtrip-wasm.js';
