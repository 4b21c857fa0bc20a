/**
 * helmholtz-ml: the browser-safe core. Never imports a tfjs backend or a `node:` module.
 * Each folder's `index.ts` lists what it exports.
 */
export * from './image/index.js';
export * from './audio/index.js';
export * from './models/index.js';
export * from './noise/index.js';
export * from './data/index.js';
export { prepareWebp, encodeWebp, decodeWebp, webpRoundTrip, webpRoundTripBatch, webpBitsPerPixel, webpBatchBitsPerPixel, webpFileBitsPerPixel, readWebpContainer, WEBP_DEFAULT_METHOD, MAX_WEBP_SIDE, type PrepareWebpOptions, type EncodeWebpOptions, type DecodeWebpOptions, type WebpBitsPerPixel, type WebpContainer } from './webp/index.js';
