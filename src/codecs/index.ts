// Public exports of src/codecs/ (by name).
export type { Codec, CodecName, CodecContext, LevelBits, Modality, RoundTripContext, SignalBatch, AnyCodec } from './codec.js';
export { jpegCodec, DEFAULT_JPEG_LEVELS } from './jpeg.js';
export { mp3Codec, mp3BitratesAt, bitrateToQ, DEFAULT_MP3_LEVELS } from './mp3.js';
export { webpCodec, DEFAULT_WEBP_LEVELS } from './webp.js';
export { getCodec, codecNames, registerCodec, DEFAULT_CODECS } from './registry.js';
