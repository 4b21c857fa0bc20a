/**
 * libmpg123 1.31.2 compiled to WebAssembly by this project (scripts/build-mpg123-wasm.sh: Debian's
 * mpg123 1.31.2-1+deb12u1 source with its patches, the portable C decoder with float synthesis,
 * clang -O3 -msimd128) with the glue scripts/wasm/mpg123-decoder.c, embedded in
 * mpg123-decoder-wasm.ts. Browser-safe: WebAssembly APIs only, no file or network access, no
 * `node:` module.
 *
 * One instance serves every call; each stream gets a new libmpg123 handle, which holds all of
 * libmpg123's decoder state (bit reservoir, hybrid overlap, synthesis buffers, gapless settings),
 * so a decode never depends on earlier ones. A new handle costs microseconds, not the
 * re-instantiation of a module.
 */
import { embeddedWasmModule } from '../util/wasm-module.js';
import { MPG123_DECODER_WASM_BASE64 } from './mpg123-decoder-wasm.js';

const mpg123Module = embeddedWasmModule(MPG123_DECODER_WASM_BASE64);

interface Mpg123Exports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  setup(): number;
  input(bytes: number): number;
  start(bytes: number): number;
  run(): number;
  get_status(): number;
  output(): number;
  channels(): number;
  rate(): number;
  error_at(): number;
  error_text(code: number): number;
}

/** libmpg123's MPG123_DONE: the stream has ended. */
const MPG123_DONE = -12;
/** libmpg123's MPG123_OUT_OF_MEM. */
const MPG123_OUT_OF_MEM = 7;

/** A libmpg123 error met while decoding a stream. */
export interface Mpg123Error {
  /** libmpg123's error code (`mpg123_errors`). */
  code: number;
  /** libmpg123's text for it (`mpg123_plain_strerror`). */
  message: string;
  /** Byte of the input its reader had reached. */
  inputByte: number;
}

/** What {@link Mpg123WasmDecoder.decode} returns. */
export interface Mpg123Decoded {
  /** One array per channel (the channel count of the stream's first frame); empty when none. */
  channelData: Float32Array[];
  /** Sample rate of the stream in Hz (0 when no frame was decoded). */
  sampleRate: number;
  /** The error that stopped decoding (the samples before it are kept), or null. */
  error: Mpg123Error | null;
}

/** A libmpg123 decoder instance: see {@link createMpg123WasmDecoder}. */
export interface Mpg123WasmDecoder {
  /**
   * Decodes a whole MPEG audio stream to float samples (full scale +-1), gaplessly as the mpg123
   * program does: a LAME/Xing Info frame's encoder delay and padding are removed, a stream without
   * one keeps every decoded sample. Synchronous, so calls cannot interleave.
   */
  decode(bytes: Uint8Array): Mpg123Decoded;
  /** Size of the module's memory in bytes (it grows only for a stream longer than any before). */
  memoryBytes(): number;
}

/** The WebAssembly imports the module has (wasi-libc's stdio, never reached in use). */
function wasiStubs(): WebAssembly.Imports {
  const EBADF = 8;
  return {
    wasi_snapshot_preview1: {
      fd_close: () => EBADF,
      fd_read: () => EBADF,
      fd_seek: () => EBADF,
      fd_write: () => EBADF,
    },
  };
}

/** Joins the pieces `run` handed over and splits the interleaved channels. */
function splitChannels(parts: Float32Array[], channels: number): Float32Array[] {
  let total = 0;
  for (const p of parts) total += p.length;
  let joined: Float32Array;
  if (parts.length === 1) joined = parts[0];
  else {
    joined = new Float32Array(total);
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
  }
  if (channels === 1) return [joined];
  const frames = Math.floor(total / channels);
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  for (let i = 0, k = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) out[c][i] = joined[k++];
  }
  return out;
}

/**
 * Instantiates the module (compiling it on first use). Rejects where WebAssembly is unavailable.
 *
 * @internal
 * @example
 * const mpg123 = await createMpg123WasmDecoder();
 * const { channelData, sampleRate, error } = mpg123.decode(mp3);
 */
export async function createMpg123WasmDecoder(): Promise<Mpg123WasmDecoder> {
  const module = await mpg123Module.compile();
  const instance = await WebAssembly.instantiate(module, wasiStubs());
  const x = instance.exports as unknown as Mpg123Exports;
  x._initialize();
  const text = (code: number): string => {
    const bytes = new Uint8Array(x.memory.buffer);
    let end = x.error_text(code);
    const begin = end;
    while (end < bytes.length && bytes[end] !== 0) end++;
    return String.fromCharCode(...bytes.subarray(begin, end));
  };
  if (x.setup() !== 0) throw new Error('libmpg123 WebAssembly module: out of memory');

  return {
    decode(bytes) {
      const at = x.input(bytes.length);
      let status = at === 0 && bytes.length > 0 ? MPG123_OUT_OF_MEM : 0;
      if (status === 0) {
        new Uint8Array(x.memory.buffer, at, bytes.length).set(bytes);
        status = x.start(bytes.length);
      }
      const parts: Float32Array[] = [];
      while (status === 0) {
        const n = x.run();
        if (n > 0) parts.push(new Float32Array(x.memory.buffer, x.output(), n).slice());
        status = x.get_status();
      }
      const channels = x.channels();
      const error = status === MPG123_DONE ? null : { code: status, message: text(status), inputByte: x.error_at() };
      return { channelData: channels === 0 ? [] : splitChannels(parts, channels), sampleRate: x.rate(), error };
    },
    memoryBytes: () => x.memory.buffer.byteLength,
  };
}
