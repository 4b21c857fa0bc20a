/**
 * JPEG round trips without entropy coding: the pixels Pillow gets back from
 * `Image.open(save(image, 'JPEG', quality=q))`. Huffman coding is lossless, so skipping it changes
 * nothing but the time taken. Two implementations give the same pixels: the WebAssembly SIMD
 * kernel (roundtrip-wasm.ts, used where WebAssembly is available) and the JavaScript path
 * `inverseJpeg(forwardJpeg(...))` (the fallback, and the reference the kernel is tested against).
 */
import { checkInteger, checkOneOf, describe } from '../util/checks.js';
import { CHROMA_SUBSAMPLINGS, forwardJpeg, forwardJpegQuantized, type ForwardJpegOptions } from './forward.js';
import { assertImage, MAX_IMAGE_SIDE, type Image, type ImageBatch } from './image.js';
import { inverseJpegInto } from './inverse.js';
import { checkCustomTables } from './quantization.js';
import { jpegQuantizer } from './quantizer.js';
import { jpegRoundTripRangeWasm } from './roundtrip-wasm.js';

/** Options of {@link jpegRoundTrip} and {@link jpegRoundTripBatch}. */
export type JpegRoundTripOptions = ForwardJpegOptions;

/**
 * Compresses `image` as JPEG at `quality` and decodes it again: bit-exact with Pillow 9.4's
 * `Image.open(f)` after `image.save(f, 'JPEG', quality=quality, subsampling=...)`
 * (libjpeg-turbo 2.1.5 both ways: islow DCTs, fixed-point color conversion, downsampling and
 * fancy upsampling), without writing or parsing a file.
 *
 * Runs the WebAssembly SIMD kernel (roundtrip-wasm.ts) where WebAssembly is available, else the
 * JavaScript path (`inverseJpeg(forwardJpeg(...))`): the same pixels either way. On a browser's
 * main thread, await `prepareJpegKernel()` once first, or the kernel may not compile there.
 *
 * @param image RGB or grayscale image, any size from 1x1 to 65500x65500.
 * @param quality integer 1..100 (Pillow's `quality`).
 * @param options `subsampling`: `'4:2:0'` (default, as Pillow), `'4:2:2'` or `'4:4:4'`;
 *   ignored for grayscale. `tables`: your own quantization tables (64 luma + 64 chroma integers
 *   1..255, natural row-major order), used exactly as given instead of `quality`'s: the pixels
 *   djpeg gives on `cjpeg -baseline -qtables FILE` (see `ForwardJpegOptions.tables`).
 * @returns a new image of the same size and channels.
 * @throws RangeError/TypeError naming the bad argument.
 *
 * @example
 * const tile = { width: 32, height: 32, channels: 3 as const, data: new Uint8Array(32 * 32 * 3).fill(128) };
 * const compressed = jpegRoundTrip(tile, 25); // what Pillow reads back from a quality-25 JPEG
 * const flat = jpegRoundTrip(tile, 50, { tables: { luma: new Array(64).fill(16), chroma: new Array(64).fill(32) } });
 */
export function jpegRoundTrip(image: Image, quality: number, options: JpegRoundTripOptions = {}): Image {
  assertImage(image);
  checkInteger('quality', quality, 1, 100);
  checkRoundTripOptions(options);
  const { width, height, channels } = image;
  const data = new Uint8Array(width * height * channels);
  const quantizer = jpegQuantizer(quality, options.tables);
  if (!jpegRoundTripRangeWasm(image.data, width, height, channels, quantizer, options.subsampling ?? '4:2:0', data, 0, 1)) {
    return jpegRoundTripJs(image, quality, options);
  }
  return { width, height, channels, data };
}

/**
 * {@link jpegRoundTrip} on the JavaScript path only (forwardJpeg + inverseJpeg), whatever the
 * platform: the reference the WebAssembly kernel is tested against.
 * @internal
 * @example
 * const same = jpegRoundTripJs(tile, 25).data; // equals jpegRoundTrip(tile, 25).data
 */
export function jpegRoundTripJs(image: Image, quality: number, options: JpegRoundTripOptions = {}): Image {
  const coefs = forwardJpeg(image, quality, options);
  const data = new Uint8Array(image.width * image.height * image.channels);
  inverseJpegInto(coefs, data, 0, 'ycbcr');
  return { width: image.width, height: image.height, channels: image.channels, data };
}

/**
 * Throws a `TypeError`/`RangeError` unless `batch` is a well-formed {@link ImageBatch}.
 * @internal
 */
export function assertImageBatch(batch: unknown, name = 'batch'): asserts batch is ImageBatch {
  if (typeof batch !== 'object' || batch === null) {
    throw new TypeError(`${name} must be an object { count, width, height, channels, data }, got ${describe(batch)}`);
  }
  const b = batch as Partial<ImageBatch>;
  checkInteger(`${name}.count`, b.count, 0, Number.MAX_SAFE_INTEGER);
  checkInteger(`${name}.width`, b.width, 1, MAX_IMAGE_SIDE);
  checkInteger(`${name}.height`, b.height, 1, MAX_IMAGE_SIDE);
  if (b.channels !== 1 && b.channels !== 3) {
    throw new RangeError(`${name}.channels must be 1 or 3, got ${describe(b.channels)}`);
  }
  if (!(b.data instanceof Uint8Array)) {
    throw new TypeError(`${name}.data must be a Uint8Array, got ${describe(b.data)}`);
  }
  const expected = b.count! * b.width! * b.height! * b.channels;
  if (b.data.length !== expected) {
    throw new RangeError(
      `${name}.data length must equal count*height*width*channels = ${b.count}*${b.height}*${b.width}*${b.channels} = ${expected}, got ${b.data.length}`,
    );
  }
}

/**
 * Throws unless `options` is a valid {@link JpegRoundTripOptions}.
 * @internal
 */
export function checkRoundTripOptions(options: unknown): asserts options is JpegRoundTripOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object, got ${describe(options)}`);
  const o = options as JpegRoundTripOptions;
  checkOneOf('options.subsampling', o.subsampling ?? '4:2:0', CHROMA_SUBSAMPLINGS);
  if (o.tables !== undefined) checkCustomTables(o.tables, 'options.tables');
}

/**
 * The round-trip options of `options` alone (`subsampling`, `tables` as fresh `Uint16Array`s),
 * dropping any other keys (such as a pool's `workers`): what to hand to worker threads, which
 * receive structured clones. `options` must have passed {@link checkRoundTripOptions}.
 * @internal
 * @example
 * roundTripOptionsOf({ workers: 4, subsampling: '4:4:4' }); // { subsampling: '4:4:4' }
 */
export function roundTripOptionsOf(options: JpegRoundTripOptions): JpegRoundTripOptions {
  const out: JpegRoundTripOptions = {};
  if (options.subsampling !== undefined) out.subsampling = options.subsampling;
  if (options.tables !== undefined) out.tables = checkCustomTables(options.tables, 'options.tables');
  return out;
}

/**
 * Round-trips images `start..end-1` of `batch` into `out` (same layout); no checks. Uses the
 * WebAssembly kernel where available (input and output copied through its memory in chunks),
 * else {@link jpegRoundTripRangeJs}.
 * @internal
 * @example
 * jpegRoundTripRange(batch, 25, {}, out, 0, batch.count); // what jpegRoundTripBatch and the worker pool run
 */
export function jpegRoundTripRange(batch: ImageBatch, quality: number, options: JpegRoundTripOptions, out: Uint8Array, start: number, end: number): void {
  const { width, height, channels, data } = batch;
  const quantizer = jpegQuantizer(quality, options.tables);
  if (jpegRoundTripRangeWasm(data, width, height, channels, quantizer, options.subsampling ?? '4:2:0', out, start, end)) return;
  jpegRoundTripRangeJs(batch, quality, options, out, start, end);
}

/**
 * {@link jpegRoundTripRange} on the JavaScript path only (forwardJpeg + inverseJpegInto per image).
 * @internal
 * @example
 * jpegRoundTripRangeJs(batch, 25, {}, out, 0, batch.count);
 */
export function jpegRoundTripRangeJs(batch: ImageBatch, quality: number, options: JpegRoundTripOptions, out: Uint8Array, start: number, end: number): void {
  const { width, height, channels, data } = batch;
  const size = width * height * channels;
  const view: Image = { width, height, channels, data: data.subarray(0, size) };
  const quantizer = jpegQuantizer(quality, options.tables);
  for (let i = start; i < end; i++) {
    view.data = data.subarray(i * size, (i + 1) * size);
    inverseJpegInto(forwardJpegQuantized(view, quantizer, options.subsampling), out, i * size, 'ycbcr');
  }
}

/**
 * {@link jpegRoundTrip} of every image of a batch (N x H x W x C in one `Uint8Array`), written
 * into one new batch of the same shape. The WebAssembly kernel takes the images in chunks of about
 * 4 MB per call; the JavaScript fallback reuses scratch buffers from image to image.
 *
 * @param batch images of one size; `data.length` must be count*height*width*channels.
 * @param quality integer 1..100.
 * @param options `subsampling` (default `'4:2:0'`), `tables` (default: those of `quality`; as in
 *   {@link jpegRoundTrip}).
 * @returns a new batch; `batch` is not modified.
 * @throws RangeError/TypeError naming the bad argument.
 *
 * @example
 * const batch = { count: 2, width: 32, height: 32, channels: 3 as const, data: new Uint8Array(2 * 32 * 32 * 3) };
 * const out = jpegRoundTripBatch(batch, 25);
 */
export function jpegRoundTripBatch(batch: ImageBatch, quality: number, options: JpegRoundTripOptions = {}): ImageBatch {
  assertImageBatch(batch);
  checkInteger('quality', quality, 1, 100);
  checkRoundTripOptions(options);
  const out = new Uint8Array(batch.data.length);
  if (batch.count > 0) {
    jpegRoundTripRange(batch, quality, options, out, 0, batch.count);
  }
  return { count: batch.count, width: batch.width, height: batch.height, channels: batch.channels, data: out };
}
