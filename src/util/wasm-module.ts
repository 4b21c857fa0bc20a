/**
 * A WebAssembly module embedded in this package as base64 text (the generated
 * `*-kernel-wasm.ts` files), compiled once, on first use. Browser-safe: no file or network access,
 * no `node:` module. Used by the SIMD kernels (src/audio/mel-wasm.ts, src/image/roundtrip-wasm.ts),
 * which fall back to their JavaScript paths where the module is null.
 */

/** A lazily compiled embedded module: see {@link embeddedWasmModule}. */
export interface EmbeddedWasmModule {
  /**
   * The module, compiled synchronously on the first call; null (for good) where WebAssembly is
   * unavailable or compiling throws (no SIMD support, or a browser main thread refusing
   * synchronous compilation of modules over 4 KB).
   */
  sync(): WebAssembly.Module | null;
  /**
   * The module compiled already, or compiled now asynchronously (and kept for later
   * {@link EmbeddedWasmModule.sync} calls). Rejects where WebAssembly is unavailable or compiling
   * fails.
   */
  compile(): Promise<WebAssembly.Module>;
}

/**
 * Decodes base64 text (standard alphabet, with padding) to bytes.
 *
 * @example
 * decodeBase64('AGFzbQ=='); // Uint8Array [0, 97, 115, 109]
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Wraps the base64 text of a WebAssembly module so that it is decoded and compiled once, lazily:
 * nothing happens until the first `sync()` or `compile()` call.
 *
 * @param base64 - the module's bytes in base64.
 * @example
 * const kernel = embeddedWasmModule(MEL_KERNEL_WASM_BASE64);
 * const module = kernel.sync();
 * const instance = module === null ? null : new WebAssembly.Instance(module, {});
 */
export function embeddedWasmModule(base64: string): EmbeddedWasmModule {
  let compiled: WebAssembly.Module | null | undefined;
  return {
    sync() {
      if (compiled === undefined) {
        try {
          compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(decodeBase64(base64)) : null;
        } catch {
          compiled = null;
        }
      }
      return compiled;
    },
    async compile() {
      if (compiled) return compiled;
      const module = await WebAssembly.compile(decodeBase64(base64));
      compiled = module;
      return module;
    },
  };
}
