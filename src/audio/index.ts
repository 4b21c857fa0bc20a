// Public exports of src/audio/, listed by name (one line per module).
export { GUITAR_EFFECTS, randomEffectParameters, applyGuitarEffect, type GuitarEffect, type EffectParameters } from './effects.js';
export { pluckedString, type PluckOptions } from './pluck.js';
export { decodeWav, encodeWav, mixToMono, type WavAudio } from './wav.js';
export { createComplexFft, createRealFft, rfft, type ComplexFft, type RealFft } from './fft.js';
export { getWindow, hannWindow, hammingWindow, WINDOW_NAMES, type WindowName } from './window.js';
export { hzToMel, melToHz, melFrequencies } from './mel-scale.js';
export { melFilterbank, type MelFilterbankOptions } from './mel-filterbank.js';
export { type PadMode } from './framing.js';
export { melSpectrogram, melSpectrogramBatch, createMelSpectrogram, type MelSpectrogramOptions, type MelFeaturizerOptions, type MelSpectrogram, type MelSpectrogramBatch, type MelSpectrogramFeaturizer } from './mel.js';
export { amplitudeToDb, powerToDb, type DbOptions, type DbReference } from './db.js';
export { resample, type ResampleOptions } from './resample.js';
export { encodeMp3, decodeMp3, lameOutputSampleRate, checkMp3Bitrate, MP3_BITRATES, LAME_MPG123_DELAY, type Mp3Bitrate, type Mp3Codec, type EncodeMp3Options, type DecodedMp3 } from './mp3.js';
export { mp3RoundTrip, type Mp3RoundTripOptions } from './mp3-roundtrip.js';
export {
  resolveAudioFeatureOptions, featureOptionsOf, fitClipLength, audioFeatures, featureStatistics, audioFeaturesToTensor,
  type AudioFeatureNormalization, type AudioFeatureOptions, type ResolvedAudioFeatureOptions, type AudioFeatureBatch, type FeatureStatistics,
} from './features.js';
