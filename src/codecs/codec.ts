/**
 * The codec interface of the sweep: everything the pipeline needs to know about one lossy
 * compressor (JPEG, MP3, WebP, ...). A codec file implements {@link Codec} and registers itself
 * with one line in `registry.ts`; nothing else in the pipeline names a codec.
 *
 * @example
 * import { codecs } from 'helmholtz-ml';
 * const jpeg = codecs.getCodec('jpeg');
 * jpeg.validLevels({}); // [1, 2, ..., 100]
 */
import type { ImageBatch } from '../image/image.js';

/** What is being compressed: images or audio clips. */
export type Modality = 'image' | 'audio';

/** A codec's registered name: `'jpeg'`, `'mp3'`, `'webp'` or a name of your own. */
export type CodecName = 'jpeg' | 'mp3' | 'webp' | (string & {});

/** Mono clips of one length and one sample rate: the batch an audio codec compresses. */
export interface SignalBatch {
  signals: Float32Array[];
  sampleRate: number;
}

/** What a codec's checks and bits depend on, read off the data before any work. */
export interface CodecContext {
  /** Audio: the clips' sample rate in Hz. */
  sampleRate?: number;
  /** Images: 1 (gray) or 3 (RGB). */
  channels?: number;
  /** Bits per pixel (images) or per second (audio) of the uncompressed source. */
  sourceBits?: number;
}

/** Bits that remain at one level: bits per pixel for images, bits per second for audio. */
export interface LevelBits {
  unit: 'bits/pixel' | 'bits/s';
  /** The paper's arithmetic (JPEG: sum of Annex K tables taken as 12487). */
  paper?: number;
  /** From the real quantization tables (JPEG). */
  tables?: number;
  /** The nominal rate (MP3: the bitrate in bits per second). */
  nominal?: number;
  /** Measured from the real compressed files (mean over a sample). */
  measured: number;
}

/** Options of {@link Codec.roundTrip}. */
export interface RoundTripContext {
  /** Aborts between items; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * One lossy codec as the sweep sees it. `Batch` is what it compresses (an {@link ImageBatch} for
 * image codecs, a {@link SignalBatch} for audio codecs); the round trip returns the same kind,
 * decoded: what the model sees.
 */
export interface Codec<Batch = ImageBatch | SignalBatch> {
  /** Registered name (`--codec NAME`). */
  readonly name: CodecName;
  readonly modality: Modality;
  /** How a level is named in messages and reports, e.g. `'JPEG quality'`, `'kbps'`. */
  readonly levelName: string;
  /** Every level this codec can honour on data with this context (integers, sorted ascending). */
  validLevels(context: CodecContext): readonly number[];
  /** The default grid (the paper's levels), each valid for `context`. */
  defaultLevels(context: CodecContext): readonly number[];
  /** Quantization Q in [0, 1] of `level` on `grid` (0 = best quality of the axis). */
  toQ(level: number, grid: readonly number[]): number;
  /** Compresses and decodes every item of `batch` at `level` (async-capable: WebP, MP3). */
  roundTrip(batch: Batch, level: number, context?: RoundTripContext): Promise<Batch>;
  /** The bits that remain at `level`, measured on `sample` (a few test items). */
  measureBits(sample: Batch, level: number, context: CodecContext): Promise<LevelBits>;
  /** Bits of the uncompressed source (the default of `sourceBits`). */
  sourceBits(context: CodecContext, grid: readonly number[]): number;
  /** The largest `sourceBits` accepted (default: no limit). */
  readonly maxSourceBits?: number;
}

/** A codec of any batch type, as stored in the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCodec = Codec<ImageBatch> | Codec<SignalBatch>;
