/**
 * The WebAssembly SIMD form of the JPEG round trip (scripts/wasm/jpeg-kernel.c, embedded in
 * jpeg-kernel-wasm.ts): the same arithmetic as forward.ts + inverse.ts (libjpeg-turbo's islow
 * DCTs, reciprocal quantization, fixed-point colour conversion, downsampling and fancy
 * upsampling), for RGB 4:2:0, 4:2:2, 4:4:4 and grayscale, without building coefficient objects.
 * `jpegRoundTrip`, `jpegRoundTripBatch` and the Node worker pool use it where WebAssembly SIMD is
 * available, and fall back to the JavaScript path otherwise.
 *
 * The module (about 25 KB) is compiled once, lazily and synchronously, from bytes embedded in
 * this package (no file or network access). Browsers' main threads may refuse synchronous
 * compilation of modules over 4 KB (Chrome does); there the first call falls back to JavaScript
 * for good unless {@link prepareJpegKernel} was awaited first, which compiles asynchronously.
 *
 * Memory: one instance with its own linear memory. Images up to {@link WHOLE_IMAGE_BYTES} are
 * copied in whole (batches in chunks of about that size); larger ones stream through the kernel
 * one MCU row at a time, so the memory stays bounded (under about 20 MB even for 65500-wide
 * images) and is reused from call to call.
 */
import { JPEG_KERNEL_WASM_BASE64 } from './jpeg-kernel-wasm.js';
import type { JpegQuantizer } from './quantizer.js';
import { embeddedWasmModule } from '../util/wasm-module.js';
import type { ChromaSubsampling } from './forward.js';

/** Images (and batch chunks) up to this many bytes are processed in one kernel call. */
export const WHOLE_IMAGE_BYTES = 1 << 22;

const PAGE = 65536;
const JOB_BYTES = 256;
const QUANT_BYTES = 4 * 64 * 4; // Q, corr, recip, mul: 64 int32 each

interface KernelExports {
  memory: WebAssembly.Memory;
  rt_setup: (job: number, w: number, h: number, nc: number, hs: number, vs: number, tables: number, scratch: number) => number;
  rt_step: (job: number, m: number, input: number, output: number) => void;
  rt_batch: (job: number, input: number, output: number, count: number) => void;
  rt_lag: (job: number) => number;
  __heap_base: WebAssembly.Global;
}

/** The compiled module, compiled synchronously on first use; null where that fails. */
const kernelModule = embeddedWasmModule(JPEG_KERNEL_WASM_BASE64);
let pending: Promise<boolean> | undefined;
let instance: JpegKernel | null | undefined;

/**
 * Compiles and instantiates the JPEG round-trip kernel asynchronously, for browsers whose main
 * thread refuses to compile or instantiate WebAssembly modules over 4 KB synchronously (Chrome
 * does; `jpegRoundTrip` then stays on the slower JavaScript path). Resolves to whether the kernel
 * is in use; never rejects. Elsewhere (Node, Web Workers) there is no need to call it: the kernel
 * is compiled synchronously on first use.
 *
 * @returns true when `jpegRoundTrip` and `jpegRoundTripBatch` will use the WebAssembly kernel.
 * @example
 * await prepareJpegKernel(); // in a browser page, before the first jpegRoundTrip
 * const out = jpegRoundTrip(tile, 25);
 */
export function prepareJpegKernel(): Promise<boolean> {
  if (instance) return Promise.resolve(true);
  if (pending === undefined) {
    pending = (async () => {
      try {
        if (typeof WebAssembly !== 'object') return false;
        const made = await WebAssembly.instantiate(await kernelModule.compile(), {});
        if (!instance) instance = new JpegKernel(made.exports as unknown as KernelExports);
        return true;
      } catch {
        return instance !== null && instance !== undefined;
      }
    })();
  }
  return pending;
}

/** The kernel's memory could not grow (the caller falls back to the JavaScript path). */
class KernelMemoryError extends Error {}

/** One instance of the kernel: its memory layout and the job and tables last loaded. */
class JpegKernel {
  private readonly x: KernelExports;
  private heap: Uint8Array;
  private readonly job: number;
  private readonly tables: number;
  private readonly scratch: number;
  private scratchEnd = 0;
  private quantizer: JpegQuantizer | null = null;
  private jobKey = -1;
  private lag = 0;
  private mcusY = 0;
  private stripRows = 0;
  private height = 0;

  constructor(x: KernelExports) {
    this.x = x;
    const base = (Number(x.__heap_base.value) + 15) & ~15;
    this.job = base;
    this.tables = base + JOB_BYTES;
    this.scratch = this.tables + 2 * QUANT_BYTES;
    this.heap = new Uint8Array(x.memory.buffer);
    this.ensure(this.scratch);
  }

  memoryBytes(): number {
    return this.x.memory.buffer.byteLength;
  }

  private ensure(bytes: number): void {
    const need = bytes - this.x.memory.buffer.byteLength;
    if (need > 0) {
      try {
        this.x.memory.grow(Math.ceil(need / PAGE));
      } catch {
        throw new KernelMemoryError();
      }
    }
    if (this.heap.byteLength !== this.x.memory.buffer.byteLength) this.heap = new Uint8Array(this.x.memory.buffer);
  }

  private loadTables(quantizer: JpegQuantizer): void {
    if (quantizer === this.quantizer) return;
    const { tables } = quantizer;
    const words = new Int32Array(this.x.memory.buffer, this.tables, 2 * 4 * 64);
    for (let c = 0; c < 2; c++) {
      const q = c === 0 ? tables.luma : tables.chroma;
      const d = c === 0 ? quantizer.luma : quantizer.chroma;
      const o = c * 256;
      for (let i = 0; i < 64; i++) {
        words[o + i] = q[i];
        words[o + 64 + i] = d.corr[i];
        words[o + 128 + i] = d.recip[i];
        words[o + 192 + i] = 2 ** (32 - d.shift[i]);
      }
    }
    this.quantizer = quantizer;
  }

  /** Sets up the job for images of this size and kind; returns the first free byte after its scratch. */
  private setup(width: number, height: number, channels: 1 | 3, sub: ChromaSubsampling): number {
    const hs = channels === 1 || sub === '4:4:4' ? 1 : 2;
    const vs = channels === 1 || sub !== '4:2:0' ? 1 : 2;
    // a number key: no allocation per call (width, height <= 65500)
    const key = ((width * 65536 + height) * 4 + channels) * 4 + hs * 2 + vs;
    if (key !== this.jobKey) {
      this.scratchEnd = this.x.rt_setup(this.job, width, height, channels, hs, vs, this.tables, this.scratch);
      this.ensure(this.scratchEnd);
      this.lag = this.x.rt_lag(this.job);
      this.stripRows = 8 * vs;
      this.mcusY = Math.ceil(height / this.stripRows);
      this.height = height;
      this.jobKey = key;
    }
    return (this.scratchEnd + 15) & ~15;
  }

  /**
   * Round-trips images `start..end-1` of the `count x (width x height x channels)` array `input`
   * into `output` at the same offsets.
   */
  run(
    input: Uint8Array, output: Uint8Array, start: number, end: number,
    width: number, height: number, channels: 1 | 3, quantizer: JpegQuantizer, sub: ChromaSubsampling,
  ): void {
    const free = this.setup(width, height, channels, sub);
    this.loadTables(quantizer);
    const size = width * height * channels;
    if (size > WHOLE_IMAGE_BYTES) {
      for (let i = start; i < end; i++) this.stream(input, output, i * size, width, channels, free);
      return;
    }
    const chunk = Math.max(1, Math.min(end - start, Math.floor(WHOLE_IMAGE_BYTES / size)));
    const pin = free;
    const pout = (pin + chunk * size + 15) & ~15;
    this.ensure(pout + chunk * size);
    const heap = this.heap;
    for (let i = start; i < end; i += chunk) {
      const n = Math.min(chunk, end - i);
      heap.set(n * size === input.length ? input : input.subarray(i * size, (i + n) * size), pin);
      this.x.rt_batch(this.job, pin, pout, n);
      output.set(heap.subarray(pout, pout + n * size), i * size);
    }
  }

  /** One large image, one MCU row at a time. */
  private stream(input: Uint8Array, output: Uint8Array, offset: number, width: number, channels: number, free: number): void {
    const rowBytes = width * channels;
    const stripBytes = this.stripRows * rowBytes;
    const h = this.height;
    const pin = free;
    const pout = (pin + stripBytes + 15) & ~15;
    this.ensure(pout + stripBytes);
    const heap = this.heap;
    const rows = this.stripRows;
    for (let m = 0; m < this.mcusY + this.lag; m++) {
      if (m < this.mcusY) {
        const y0 = m * rows, y1 = Math.min(h, y0 + rows);
        heap.set(input.subarray(offset + y0 * rowBytes, offset + y1 * rowBytes), pin);
      }
      this.x.rt_step(this.job, m, pin, pout);
      const e = m - this.lag;
      if (e >= 0) {
        const y0 = e * rows, y1 = Math.min(h, y0 + rows);
        output.set(heap.subarray(pout, pout + (y1 - y0) * rowBytes), offset + y0 * rowBytes);
      }
    }
  }
}

/** The kernel instance, or null where WebAssembly (with SIMD) is unavailable. */
function jpegKernel(): JpegKernel | null {
  if (instance === undefined) {
    const module = kernelModule.sync();
    if (module === null) return (instance = null);
    try {
      instance = new JpegKernel(new WebAssembly.Instance(module, {}).exports as unknown as KernelExports);
    } catch {
      instance = null;
    }
  }
  return instance;
}

/**
 * Whether the WebAssembly round-trip kernel can run here (compiling it now if needed).
 * @internal
 * @example
 * if (!jpegKernelAvailable()) console.log('JPEG round trips run on the JavaScript path');
 */
export function jpegKernelAvailable(): boolean {
  return jpegKernel() !== null;
}

/**
 * Bytes of linear memory the kernel instance holds now (0 without a kernel): for tests that check
 * the memory stays bounded.
 * @internal
 * @example
 * jpegKernelMemoryBytes(); // e.g. 1114112
 */
export function jpegKernelMemoryBytes(): number {
  const k = jpegKernel();
  return k === null ? 0 : k.memoryBytes();
}

/**
 * Round-trips images `start..end-1` of `data` (`count x height x width x channels` bytes) into
 * `out` at the same offsets with the WebAssembly kernel; returns false where the kernel is
 * unavailable (nothing written) or its memory cannot grow (some images may be written; the caller
 * redoes the range on the JavaScript path). Arguments must be valid (no checks); `quantizer`
 * gives the tables (`jpegQuantizer(quality, options.tables)`).
 *
 * @internal
 * @example
 * const done = jpegRoundTripRangeWasm(batch.data, 32, 32, 3, jpegQuantizer(25), '4:2:0', out, 0, batch.count);
 */
export function jpegRoundTripRangeWasm(
  data: Uint8Array, width: number, height: number, channels: 1 | 3, quantizer: JpegQuantizer, subsampling: ChromaSubsampling,
  out: Uint8Array, start: number, end: number,
): boolean {
  const k = jpegKernel();
  if (k === null) return false;
  if (end > start) {
    try {
      k.run(data, out, start, end, width, height, channels, quantizer, subsampling);
    } catch (e) {
      if (e instanceof KernelMemoryError) return false;
      throw e;
    }
  }
  return true;
}
