// Public exports of src/webp/ (lossy WebP through libwebp compiled to WebAssembly).
export { prepareWebp, type PrepareWebpOptions } from './load.js';
export { encodeWebp, WEBP_DEFAULT_METHOD, type EncodeWebpOptions } from './encode.js';
export { decodeWebp, type DecodeWebpOptions } from './decode.js';
export { webpRoundTrip, webpRoundTripBatch } from './roundtrip.js';
export { webpBitsPerPixel, webpBatchBitsPerPixel, webpFileBitsPerPixel, type WebpBitsPerPixel } from './bits.js';
export { readWebpContainer, MAX_WEBP_SIDE, type WebpContainer } from './container.js';
