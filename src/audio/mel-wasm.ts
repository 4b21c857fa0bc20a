/**
 * The WebAssembly SIMD (f32x4, single precision) form of the mel-spectrogram frame loop
 * (scripts/wasm/mel-kernel.c, embedded in mel-kernel-wasm.ts). Same algorithm as the
 * double-precision JavaScript path (src/audio/fft.ts radix-2^2 real FFT + sparse filterbank),
 * about five times as fast; its results are librosa's to 1e-3 relative within 80 dB of a clip's
 * maximum power (docs/audio-features.md). Used by `createMelSpectrogram` when WebAssembly SIMD is
 * available, `nFft` is a power of two >= 8, `power` is 1 or 2 and the signal is a Float32Array;
 * otherwise the JavaScript path runs. The module is compiled once, lazily and synchronously
 * (5.8 KB: current Chromium allows 8 MB on the main thread; where compiling fails, as in Chrome
 * versions that allowed only 4 KB, the JavaScript path runs), from the bytes embedded in this
 * package: no file or network access.
 */
import { embeddedWasmModule } from '../util/wasm-module.js';
import { MEL_KERNEL_WASM_BASE64 } from './mel-kernel-wasm.js';

/** The compiled kernel, or null where WebAssembly (with SIMD) is unavailable. */
const kernelModule = embeddedWasmModule(MEL_KERNEL_WASM_BASE64);

/** One run of frames: frame `f` starts at `source[start + f * hop]`. */
export interface KernelRun {
  source: Float32Array;
  start: number;
  count: number;
}

/** A kernel instance holding one featurizer's tables in its own memory. */
export interface WasmMelKernel {
  /**
   * Computes the frames of `runs` (in order) into `out[offset + m * nFrames + t]`, then the dB
   * conversion `db` when given and the clip has at most {@link KERNEL_CHUNK} frames; returns
   * whether it converted (longer clips stream through the kernel in chunks, and the caller
   * converts).
   */
  compute(runs: readonly KernelRun[], out: Float32Array, offset: number, nFrames: number, db: KernelDb | null): boolean;
}

/** Frames per kernel call: bounds the kernel's memory (about 8 MB at hop 512) for long clips. */
export const KERNEL_CHUNK = 2048;

/**
 * A dB conversion in the kernel: `10 log10(max(amin, squared ? x^2 : x)) - offsetDb`, clipped at
 * `max - topDb` when `topDb >= 0` (pass -1 for none). `amin` must be a normal double.
 */
export interface KernelDb {
  offsetDb: number;
  amin: number;
  topDb: number;
  squared: boolean;
}

/** Settings of a kernel: the featurizer's window, sparse filterbank and exponent. */
export interface WasmMelKernelSpec {
  nFft: number;
  hopLength: number;
  window: Float64Array;
  nMels: number;
  lo: Int32Array;
  hi: Int32Array;
  at: Int32Array;
  weights: Float64Array;
  power: 1 | 2;
}

const PAGE = 65536;

/**
 * Makes a kernel for `spec`, or returns null where WebAssembly SIMD is unavailable or the
 * settings are outside the kernel (nFft not a power of two >= 8). Internal: `createMelSpectrogram`
 * calls it.
 *
 * @internal
 * @example
 * const kernel = createWasmMelKernel({ nFft: 2048, hopLength: 512, window, nMels: 96, lo, hi, at, weights, power: 2 });
 */
export function createWasmMelKernel(spec: WasmMelKernelSpec): WasmMelKernel | null {
  const { nFft, hopLength, nMels } = spec;
  if (nFft < 8 || (nFft & (nFft - 1)) !== 0) return null;
  const module = kernelModule.sync();
  if (module === null) return null;
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(module, {});
  } catch {
    return null;
  }
  const exports = instance.exports as {
    memory: WebAssembly.Memory; frames: (...args: number[]) => void; to_db: (...args: number[]) => void; __heap_base: WebAssembly.Global;
  };
  const memory = exports.memory;
  const frames = exports.frames;

  const h = nFft >> 1;
  let bits = 0;
  while (1 << bits < h) bits++;
  const oddFirst = bits % 2 === 1 ? 1 : 0;
  const lengths: number[] = [];
  for (let l = oddFirst ? 8 : 16; l <= h; l *= 4) lengths.push(l);
  const offsets: number[] = [];
  const table: number[] = [];
  for (const l of lengths) {
    const q = l >> 2;
    offsets.push(table.length);
    const w1r: number[] = [], w1i: number[] = [], w2r: number[] = [], w2i: number[] = [];
    for (let j = 0; j < q; j++) {
      const a = (2 * Math.PI * j) / l;
      w1r.push(Math.cos(a)); w1i.push(-Math.sin(a)); w2r.push(Math.cos(2 * a)); w2i.push(-Math.sin(2 * a));
    }
    table.push(...w1r, ...w1i, ...w2r, ...w2i);
  }
  const rev2 = new Int32Array(h);
  for (let i = 1; i < h; i++) rev2[i] = (rev2[i >> 1] >> 1) | ((i & 1) << (bits - 1));
  for (let i = 0; i < h; i++) rev2[i] *= 2;
  const half = (h >> 1) + 1;
  const ucos = new Float64Array(half), usin = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    const a = (2 * Math.PI * k) / nFft;
    ucos[k] = Math.cos(a);
    usin[k] = -Math.sin(a);
  }

  // Static layout from __heap_base, every block 16-byte aligned.
  let top = Number(exports.__heap_base.value);
  const alloc = (bytes: number): number => {
    const at = (top + 15) & ~15;
    top = at + bytes;
    return at;
  };
  const plan = alloc(19 * 4);
  const pLengths = alloc(lengths.length * 4), pOffsets = alloc(offsets.length * 4), pTable = alloc(table.length * 4);
  const pWperm = alloc(nFft * 4), pRev2 = alloc(h * 4), pCos = alloc(half * 4), pSin = alloc(half * 4);
  const pZr = alloc(h * 4), pZi = alloc(h * 4), pSpec = alloc((h + 1) * 4);
  const pLo = alloc(nMels * 4), pHi = alloc(nMels * 4), pAt = alloc(nMels * 4), pWeights = alloc(spec.weights.length * 4);
  const dynamicBase = (top + 15) & ~15;

  const ensure = (bytes: number): void => {
    const need = bytes - memory.buffer.byteLength;
    if (need > 0) memory.grow(Math.ceil(need / PAGE));
  };
  ensure(dynamicBase);
  const buf = memory.buffer;
  new Int32Array(buf, plan, 19).set([h, oddFirst, lengths.length, pLengths, pOffsets, pTable, pWperm, pRev2, pCos, pSin,
    pZr, pZi, pSpec, nMels, pLo, pHi, pAt, pWeights, spec.power]);
  new Int32Array(buf, pLengths, lengths.length).set(lengths);
  new Int32Array(buf, pOffsets, offsets.length).set(offsets);
  new Float32Array(buf, pTable, table.length).set(table);
  // The window in gather order: per four positions i..i+3, the pairs (w[p], w[p + 1]) of
  // p = rev2[i], rev2[i + 2], then rev2[i + 1], rev2[i + 3].
  const wperm = new Float32Array(buf, pWperm, nFft);
  for (let i = 0; i < h; i += 4) {
    [i, i + 2, i + 1, i + 3].forEach((r, j) => {
      wperm[2 * i + 2 * j] = spec.window[rev2[r]];
      wperm[2 * i + 2 * j + 1] = spec.window[rev2[r] + 1];
    });
  }
  new Int32Array(buf, pRev2, h).set(rev2);
  new Float32Array(buf, pCos, half).set(ucos);
  new Float32Array(buf, pSin, half).set(usin);
  new Int32Array(buf, pLo, nMels).set(spec.lo);
  new Int32Array(buf, pHi, nMels).set(spec.hi);
  new Int32Array(buf, pAt, nMels).set(spec.at);
  new Float32Array(buf, pWeights, spec.weights.length).set(spec.weights);

  return {
    compute(runs, out, offset, nFrames, db) {
      // Output area: [nMels, stride] float32; input area: one chunk's samples as float32.
      const single = nFrames <= KERNEL_CHUNK;
      const stride = single ? nFrames : KERNEL_CHUNK;
      let longest = 0;
      for (const r of runs) if (r.count > 0) longest = Math.max(longest, (Math.min(r.count, KERNEL_CHUNK) - 1) * hopLength + nFft);
      const pOut = dynamicBase;
      const pSrc = pOut + ((nMels * stride * 4 + 15) & ~15); // 16-byte aligned
      ensure(pSrc + longest * 4);
      const heap = memory.buffer;
      const outView = new Float32Array(heap, pOut, nMels * stride);
      let t = 0;
      for (const r of runs) {
        for (let f0 = 0; f0 < r.count; f0 += KERNEL_CHUNK) {
          const count = Math.min(KERNEL_CHUNK, r.count - f0);
          const start = r.start + f0 * hopLength, len = (count - 1) * hopLength + nFft;
          new Float32Array(heap, pSrc, len).set(r.source.subarray(start, start + len));
          if (single) {
            frames(plan, pSrc, 0, count, hopLength, pOut, nFrames, t);
          } else {
            frames(plan, pSrc, 0, count, hopLength, pOut, count, 0);
            for (let m = 0; m < nMels; m++) out.set(outView.subarray(m * count, (m + 1) * count), offset + m * nFrames + t);
          }
          t += count;
        }
      }
      if (!single) return false;
      if (db !== null) exports.to_db(pOut, nMels * nFrames, db.offsetDb, db.amin, db.topDb, db.squared ? 1 : 0);
      out.set(outView, offset);
      return db !== null;
    },
  };
}
