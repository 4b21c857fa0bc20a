import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeMp3 } from '../../src/audio/mp3.js';
import { FIXTURES, loadS16 } from './mp3-fixtures.js';

/**
 * encodeMp3's default codec is LAME 3.100 built here for WebAssembly: it must write, byte for
 * byte, what Debian's `lame -t -b B` writes for the same 16-bit samples (fixtures from
 * scripts/make-lame-byte-fixtures.sh: the first 0.2 s of chords.s16). scripts/check-lame-wasm.ts
 * checks the same over the four 2 s clips, seven input rates and eight bitrates.
 */
describe('encodeMp3 (lame-wasm) bytes', () => {
  const clip = loadS16('chords').subarray(0, 8820);

  it.each([8, 32, 64, 128, 320].map((b) => [b]))('equal lame -t -b %i 3.100', async (b) => {
    const cli = new Uint8Array(readFileSync(new URL(`bytes-chords-${b}k.mp3`, FIXTURES)));
    const first = await encodeMp3(clip, 44100, b);
    expect(first.length).toBe(cli.length);
    expect(Buffer.from(first).equals(Buffer.from(cli))).toBe(true);
    // The second encode of the same settings starts from the saved encoder state.
    const again = await encodeMp3(clip, 44100, b);
    expect(Buffer.from(again).equals(Buffer.from(cli))).toBe(true);
  });

  it('hold under concurrent calls of mixed settings', async () => {
    const bitrates = [128, 8, 320, 32, 64, 128, 8];
    const results = await Promise.all(bitrates.map((b) => encodeMp3(clip, 44100, b)));
    results.forEach((bytes, i) => {
      const cli = readFileSync(new URL(`bytes-chords-${bitrates[i]}k.mp3`, FIXTURES));
      expect(Buffer.from(bytes).equals(cli)).toBe(true);
    });
  });
});

describe('createLameWasmEncoder', () => {
  it('keeps no memory across calls: the module does not grow once every setting has been met', async () => {
    const { createLameWasmEncoder } = await import('../../src/audio/lame-wasm.js');
    const lame = await createLameWasmEncoder();
    const clip = loadS16('noisy');
    const settings: [number, number][] = [[44100, 128], [44100, 8], [22050, 32], [48000, 320]];
    const round = () => settings.map(([rate, b]) => lame.encode(clip, rate, b));
    const first = round();
    const size = lame.memoryBytes();
    for (let i = 0; i < 3; i++) {
      const again = round();
      again.forEach((bytes, j) => expect(Buffer.from(bytes).equals(Buffer.from(first[j]))).toBe(true));
    }
    expect(lame.memoryBytes()).toBe(size);
  });

  it('encodes a signal longer than one chunk (73728 samples) the same as lame', async () => {
    const { createLameWasmEncoder } = await import('../../src/audio/lame-wasm.js');
    const lame = await createLameWasmEncoder();
    const clip = loadS16('chords'); // 88200 samples: two encode calls
    const bytes = lame.encode(clip, 44100, 128);
    const cli = readFileSync(new URL('chords-128k-cli.mp3', FIXTURES));
    // chords-128k-cli.mp3 is `lame -b 128` with its Info tag frame (417 bytes) first.
    expect(Buffer.from(cli.subarray(cli.length - bytes.length)).equals(Buffer.from(bytes))).toBe(true);
    expect(cli.length - bytes.length).toBe(417);
  });
});
