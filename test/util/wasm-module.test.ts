import { describe, expect, it } from 'vitest';
import { decodeBase64, embeddedWasmModule } from '../../src/util/wasm-module.js';

// The smallest valid module: magic number and version, nothing else.
const EMPTY_MODULE = 'AGFzbQEAAAA=';

describe('decodeBase64', () => {
  it('decodes standard base64 with padding', () => {
    expect(Array.from(decodeBase64(EMPTY_MODULE))).toEqual([0, 97, 115, 109, 1, 0, 0, 0]);
    expect(decodeBase64('').length).toBe(0);
  });
});

describe('embeddedWasmModule', () => {
  it('compiles once and returns the same module synchronously and asynchronously', async () => {
    const embedded = embeddedWasmModule(EMPTY_MODULE);
    const module = embedded.sync();
    expect(module).toBeInstanceOf(WebAssembly.Module);
    expect(embedded.sync()).toBe(module);
    expect(await embedded.compile()).toBe(module);
  });

  it('keeps an asynchronously compiled module for later synchronous calls', async () => {
    const embedded = embeddedWasmModule(EMPTY_MODULE);
    const module = await embedded.compile();
    expect(embedded.sync()).toBe(module);
  });

  it('gives null synchronously, and rejects asynchronously, where compiling fails', async () => {
    const embedded = embeddedWasmModule('AAAAAA==');
    expect(embedded.sync()).toBeNull();
    expect(embedded.sync()).toBeNull();
    await expect(embedded.compile()).rejects.toThrow();
  });
});
