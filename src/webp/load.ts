/**
 * Loading libwebp: the encoder and decoder WebAssembly modules of `@jsquash/webp` (libwebp 1.1.0
 * compiled by Emscripten), imported lazily on first use and kept for the life of the page or
 * process.
 *
 * Where the bytes come from:
 * - given to {@link prepareWebp} (`encoderWasm`, `decoderWasm`): used as they are;
 * - in Node.js: read from the installed package (resolved from this module as `require` would),
 *   through `process.getBuiltinModule('fs')` and `('module')` (Node 20.16 and later), so that this
 *   browser-safe module imports no `node:` module and bundlers see no Node import;
 * - elsewhere (browsers, workers): the package's own loader fetches the `.wasm` next to its
 *   script (`new URL('webp_enc_simd.wasm', import.meta.url)`, which bundlers such as Vite and
 *   webpack 5 copy as an asset).
 */
import { describe } from '../util/checks.js';

/** libwebp's encoder settings (`struct WebPConfig`) as the package takes them. */
export interface LibwebpConfig {
  quality: number;
  method: number;
}

/** The pixels the package's encoder reads: RGBA, 4 bytes a pixel. */
interface RgbaPixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** The loaded codec: libwebp's encoder and decoder. */
export interface LibwebpCodec {
  /** `WebPEncode` of RGBA pixels with `WebPConfigInit`'s defaults overridden by `config`. */
  encode(pixels: RgbaPixels, config: LibwebpConfig): Promise<ArrayBuffer>;
  /** `WebPDecodeRGBA`; rejects when libwebp cannot decode the bytes. */
  decode(bytes: ArrayBuffer): Promise<RgbaPixels>;
}

/** Options of {@link prepareWebp}. */
export interface PrepareWebpOptions {
  /**
   * The encoder module: bytes or a compiled module of `@jsquash/webp/codec/enc/webp_enc_simd.wasm`
   * (or `webp_enc.wasm`, the build without SIMD; both write the same bytes). Default: found as
   * described in the module header.
   */
  encoderWasm?: BufferSource | WebAssembly.Module;
  /** The decoder module: `@jsquash/webp/codec/dec/webp_dec.wasm`. Default: as `encoderWasm`. */
  decoderWasm?: BufferSource | WebAssembly.Module;
}

/** Emscripten's hook for instantiating the module ourselves. */
interface EmscriptenOverrides {
  instantiateWasm(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void): Record<string, never>;
}

interface EncoderPackage {
  init(overrides?: EmscriptenOverrides): Promise<unknown>;
  default(pixels: RgbaPixels, options: Partial<LibwebpConfig>): Promise<ArrayBuffer>;
}

interface DecoderPackage {
  init(overrides?: EmscriptenOverrides): Promise<unknown>;
  default(bytes: ArrayBuffer): Promise<RgbaPixels>;
}

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
  cwd?: () => string;
}

interface NodeFs {
  promises: { readFile(path: string): Promise<Uint8Array<ArrayBuffer>> };
}

interface NodeModule {
  createRequire(from: string): { resolve(specifier: string): string };
}

const ENCODER_FILE = '@jsquash/webp/codec/enc/webp_enc_simd.wasm';
const DECODER_FILE = '@jsquash/webp/codec/dec/webp_dec.wasm';

let codecPromise: Promise<LibwebpCodec> | undefined;

function nodeProcess(): NodeProcess | undefined {
  const proc = (globalThis as { process?: NodeProcess }).process;
  return typeof proc?.versions?.node === 'string' ? proc : undefined;
}

/** Reads one of the package's `.wasm` files in Node.js, resolved as `require.resolve` would. */
async function readPackageWasm(proc: NodeProcess, specifier: string): Promise<Uint8Array<ArrayBuffer>> {
  const fs = proc.getBuiltinModule?.('fs') as NodeFs | undefined;
  const nodeModule = proc.getBuiltinModule?.('module') as NodeModule | undefined;
  if (fs === undefined || nodeModule === undefined) {
    throw new Error(
      `WebP: cannot read ${specifier} in Node.js ${proc.versions?.node ?? '?'}, which lacks ` +
        'process.getBuiltinModule (Node 20.16 or later has it); read the files yourself and pass them: ' +
        'prepareWebp({ encoderWasm, decoderWasm })',
    );
  }
  // Resolve from this module: its URL in an ES module build, its file name in a CommonJS build
  // (which has no import.meta), else the working directory.
  const here = (import.meta as { url?: string }).url;
  const base =
    typeof here === 'string' && here !== '' ? here
      : typeof __filename === 'string' ? __filename
        : `${proc.cwd?.() ?? '.'}/`;
  let path: string;
  try {
    path = nodeModule.createRequire(base).resolve(specifier);
  } catch (error) {
    throw new Error(`WebP: cannot find ${specifier} from ${base} (${String(error)}); is @jsquash/webp installed?`);
  }
  return fs.promises.readFile(path);
}

/**
 * Emscripten overrides that instantiate `module` ourselves, and a promise that rejects if that
 * fails (Emscripten would otherwise wait for the instance forever).
 */
function overridesFor(module: WebAssembly.Module): { overrides: EmscriptenOverrides; failed: Promise<never> } {
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const overrides: EmscriptenOverrides = {
    instantiateWasm(imports, done) {
      WebAssembly.instantiate(module, imports).then(done, fail);
      return {};
    },
  };
  return { overrides, failed };
}

/** Compiles the given or (in Node.js) the installed module; undefined leaves it to the package. */
async function wasmModule(
  name: string,
  given: BufferSource | WebAssembly.Module | undefined,
  specifier: string,
): Promise<WebAssembly.Module | undefined> {
  if (given instanceof WebAssembly.Module) return given;
  const proc = nodeProcess();
  const bytes = given ?? (proc === undefined ? undefined : await readPackageWasm(proc, specifier));
  if (bytes === undefined) return undefined;
  try {
    return await WebAssembly.compile(bytes);
  } catch (error) {
    throw new Error(`WebP: ${name} is not a WebAssembly module libwebp can use (${String(error)})`);
  }
}

/** Runs the package's `init`, with our instantiation when a module is given. */
async function initPackage(pkg: EncoderPackage | DecoderPackage, module: WebAssembly.Module | undefined): Promise<void> {
  if (module === undefined) {
    await pkg.init();
    return;
  }
  const { overrides, failed } = overridesFor(module);
  await Promise.race([pkg.init(overrides), failed]);
}

function checkWasmOption(name: string, value: unknown): void {
  if (value === undefined || value instanceof WebAssembly.Module || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return;
  throw new TypeError(`${name} must be a WebAssembly.Module, an ArrayBuffer or a typed array, got ${describe(value)}`);
}

async function load(options: PrepareWebpOptions): Promise<LibwebpCodec> {
  const [encoder, decoder] = (await Promise.all([
    import('@jsquash/webp/encode.js'),
    import('@jsquash/webp/decode.js'),
  ])) as unknown as [EncoderPackage, DecoderPackage];
  const [encoderModule, decoderModule] = await Promise.all([
    wasmModule('options.encoderWasm', options.encoderWasm, ENCODER_FILE),
    wasmModule('options.decoderWasm', options.decoderWasm, DECODER_FILE),
  ]);
  await Promise.all([initPackage(encoder, encoderModule), initPackage(decoder, decoderModule)]);
  return {
    encode: (pixels, config) => encoder.default(pixels, config),
    decode: (bytes) => decoder.default(bytes),
  };
}

/**
 * Loads libwebp's encoder and decoder (WebAssembly) and resolves when both are ready. Calling it
 * is optional: every WebP function loads them on first use. Call it to load early, or to give the
 * `.wasm` bytes yourself (a CDN, a Node.js older than 20.16, a CommonJS bundle). Without options
 * the modules are loaded once; with options they are loaded again from what is given.
 *
 * @param options - `encoderWasm`, `decoderWasm`: bytes or compiled modules of the package's files.
 * @example
 * await prepareWebp(); // Node.js 20.16+, or a bundled browser page
 * // Elsewhere, hand over the files:
 * await prepareWebp({ encoderWasm: await (await fetch('/wasm/webp_enc_simd.wasm')).arrayBuffer(),
 *                     decoderWasm: await (await fetch('/wasm/webp_dec.wasm')).arrayBuffer() });
 */
export async function prepareWebp(options: PrepareWebpOptions = {}): Promise<void> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object, got ${describe(options)}`);
  }
  checkWasmOption('options.encoderWasm', options.encoderWasm);
  checkWasmOption('options.decoderWasm', options.decoderWasm);
  const fresh = options.encoderWasm !== undefined || options.decoderWasm !== undefined;
  if (fresh || codecPromise === undefined) {
    const loading = load(options);
    codecPromise = loading;
    loading.catch(() => {
      if (codecPromise === loading) codecPromise = undefined;
    });
  }
  await codecPromise;
}

/** The loaded codec, loading it on first use. */
export async function libwebp(): Promise<LibwebpCodec> {
  if (codecPromise === undefined) await prepareWebp();
  return codecPromise as Promise<LibwebpCodec>;
}
