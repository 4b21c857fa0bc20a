/**
 * LAME 3.100's libmp3lame compiled to WebAssembly by this project (scripts/build-lame-wasm.sh:
 * Debian's lame 3.100-6 source, unmodified, clang -O3 -msimd128 -mnontrapping-fptoint -mbulk-memory -msign-ext, generic C paths as Debian's amd64
 * build takes) with the glue scripts/wasm/lame-encoder.c, embedded in lame-encoder-wasm.ts.
 * Browser-safe: WebAssembly APIs only, no file or network access, no `node:` module.
 *
 * One instance serves every call. `lame_init_params` (a few milliseconds) runs once per
 * (input rate, bitrate): the encoder state it leaves is the whole of the module's arena, which is
 * saved and written back before each clip of the same settings, so each clip starts from exactly
 * the state a fresh encoder has, and no memory is kept or grows across calls.
 */
import { concatBytes } from '../util/bytes.js';
import { embeddedWasmModule } from '../util/wasm-module.js';
import { LAME_ENCODER_WASM_BASE64 } from './lame-encoder-wasm.js';

const lameModule = embeddedWasmModule(LAME_ENCODER_WASM_BASE64);

interface LameExports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  setup(inRate: number, bitrate: number): number;
  encode(gfp: number, pcm: number, n: number, out: number, size: number): number;
  flush(gfp: number, out: number, size: number): number;
  alloc(bytes: number): number;
  begin(top: number): void;
  arena_base(): number;
  arena_top(): number;
}

/** An encoder state saved right after `lame_init_params`. */
interface SavedState {
  gfp: number;
  top: number;
  bytes: Uint8Array;
}

/** Samples per `encode` call: bounds the module's memory for long signals (about 0.7 MB). */
const CHUNK = 1152 * 64;
/** Output room for one chunk, as LAME's documentation asks (1.25 n + 7200), rounded up. */
const OUT_BYTES = Math.ceil(1.25 * CHUNK) + 7200;
/** Saved states kept (one per input rate and bitrate, least recently used dropped first). */
const MAX_SAVED = 8;

/** The WebAssembly imports the module has (wasi-libc's stdio and exit, never reached in use). */
function wasiStubs(): WebAssembly.Imports {
  const EBADF = 8;
  return {
    wasi_snapshot_preview1: {
      fd_close: () => EBADF,
      fd_seek: () => EBADF,
      fd_write: () => EBADF,
      proc_exit: (code: number) => {
        throw new Error(`LAME WebAssembly module exited with code ${code}`);
      },
    },
  };
}

/** A LAME encoder instance: see {@link createLameWasmEncoder}. */
export interface LameWasmEncoder {
  /**
   * Encodes a mono signal (full scale +-1) at `sampleRate` Hz as CBR `bitrate` kbps, exactly as
   * `lame -t -b B` encodes the same samples read from a 16-bit WAV file. Synchronous, so calls
   * cannot interleave. Throws a `RangeError` when LAME refuses the settings.
   */
  encode(signal: Float32Array, sampleRate: number, bitrate: number): Uint8Array;
  /** Size of the module's memory in bytes (it grows only for settings not met before). */
  memoryBytes(): number;
}

/**
 * Instantiates the module (compiling it on first use). Rejects where WebAssembly is unavailable.
 *
 * @internal
 * @example
 * const lame = await createLameWasmEncoder();
 * const mp3 = lame.encode(signal, 44100, 128);
 */
export async function createLameWasmEncoder(): Promise<LameWasmEncoder> {
  const module = await lameModule.compile();
  const instance = await WebAssembly.instantiate(module, wasiStubs());
  const x = instance.exports as unknown as LameExports;
  x._initialize();
  const base = x.arena_base();
  const saved = new Map<string, SavedState>();

  const stateFor = (sampleRate: number, bitrate: number): SavedState => {
    const key = `${sampleRate}/${bitrate}`;
    let state = saved.get(key);
    if (state) {
      saved.delete(key); // re-inserted below: most recently used last
      new Uint8Array(x.memory.buffer, base, state.bytes.length).set(state.bytes);
      x.begin(state.top);
    } else {
      const gfp = x.setup(sampleRate, bitrate);
      if (gfp === 0) throw new RangeError(`LAME cannot encode sampleRate ${sampleRate} Hz at ${bitrate} kbps`);
      const top = x.arena_top();
      state = { gfp, top, bytes: new Uint8Array(x.memory.buffer, base, top - base).slice() };
      if (saved.size >= MAX_SAVED) saved.delete(saved.keys().next().value as string);
    }
    saved.set(key, state);
    return state;
  };

  return {
    encode(signal, sampleRate, bitrate) {
      const { gfp } = stateFor(sampleRate, bitrate);
      const pcm = x.alloc(CHUNK * 4);
      const out = x.alloc(OUT_BYTES);
      if (pcm === 0 || out === 0) throw new Error('LAME WebAssembly module: out of memory');
      const parts: Uint8Array[] = [];
      const take = (n: number, what: string): void => {
        if (n < 0) throw new Error(`LAME ${what} failed (error code ${n})`);
        parts.push(new Uint8Array(x.memory.buffer, out, n).slice());
      };
      for (let i = 0; i < signal.length; i += CHUNK) {
        const part = signal.subarray(i, Math.min(signal.length, i + CHUNK));
        new Float32Array(x.memory.buffer, pcm, part.length).set(part);
        take(x.encode(gfp, pcm, part.length, out, OUT_BYTES), 'encode');
      }
      take(x.flush(gfp, out, OUT_BYTES), 'flush');
      return concatBytes(parts);
    },
    memoryBytes: () => x.memory.buffer.byteLength,
  };
}
