import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMp3 } from '../../src/audio/mp3.js';
import { createMpg123WasmDecoder } from '../../src/audio/mpg123-wasm.js';
import { FIXTURES } from './mp3-fixtures.js';

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURES)));
}

/** Debian's `mpg123 -q -w` decode of NAME.mp3 (scripts/make-mpg123-fixtures.py), interleaved. */
function cliDecode(name: string): Int16Array {
  const b = readFileSync(new URL(`${name}.mpg123.s16`, FIXTURES));
  return new Int16Array(b.buffer, b.byteOffset, b.length / 2);
}

/** True when two sample arrays hold the same bits. */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** A float sample as a 16-bit one, rounded to nearest and clipped. */
function toS16(v: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(v * 32768)));
}

describe('decodeMp3 against Debian mpg123 1.31.2 (committed `mpg123 -q -w` decodes)', () => {
  it.each([
    ['chords-128k-cli', 44100, 1],
    ['chords-8k-cli', 8000, 1],
    ['stereo-128k-cli', 44100, 2],
  ])('%s: every sample within 1 LSB at 16 bits', async (name, rate, channels) => {
    const { channelData, sampleRate } = await decodeMp3(fixture(`${name}.mp3`));
    const cli = cliDecode(name);
    expect(sampleRate).toBe(rate);
    expect(channelData.length).toBe(channels);
    expect(channelData[0].length * channels).toBe(cli.length);
    let maxDiff = 0;
    let differing = 0;
    for (let i = 0; i < cli.length; i++) {
      const diff = Math.abs(toS16(channelData[i % channels][Math.floor(i / channels)]) - cli[i]);
      if (diff > 0) differing++;
      maxDiff = Math.max(maxDiff, diff);
    }
    // Measured: at most 1 LSB, on 0.1-0.2% of the samples (the CLI's AVX synthesis sums in another
    // order than the portable C one before rounding).
    expect(maxDiff).toBeLessThanOrEqual(1);
    expect(differing / cli.length).toBeLessThan(0.01);
  });
});

describe('tags around a stream', () => {
  it('an ID3v2 tag before and an ID3v1 tag after the frames change no sample', async () => {
    const plain = fixture('chords-128k-cli.mp3');
    const id3v2 = new Uint8Array(10 + 300).fill(0x41);
    id3v2.set([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 2, 44]); // "ID3", v2.3, size 300 (synchsafe)
    const id3v1 = new Uint8Array(128).fill(0xff);
    id3v1.set([0x54, 0x41, 0x47]); // "TAG"
    const tagged = new Uint8Array(id3v2.length + plain.length + id3v1.length);
    tagged.set(id3v2);
    tagged.set(plain, id3v2.length);
    tagged.set(id3v1, id3v2.length + plain.length);
    const a = (await decodeMp3(plain)).channelData[0];
    const b = (await decodeMp3(tagged)).channelData[0];
    expect(b.length).toBe(a.length);
    expect(sameBits(b, a)).toBe(true);
  });
});

describe('decoder state does not carry over between streams', () => {
  it('decodeMp3: A, then other streams, then A again gives the first A exactly', async () => {
    const a = fixture('chords-128k-cli.mp3');
    const first = await decodeMp3(a);
    await decodeMp3(fixture('stereo-128k-cli.mp3'));
    await decodeMp3(fixture('chords-8k-cli.mp3'));
    await decodeMp3(fixture('bytes-chords-128k.mp3'));
    const again = await decodeMp3(a);
    expect(again.sampleRate).toBe(first.sampleRate);
    expect(again.channelData.length).toBe(1);
    expect(sameBits(again.channelData[0], first.channelData[0])).toBe(true);
  });

  it('the module: a stream cut off mid-frame, or stopped by an error, leaves nothing behind', async () => {
    const decoder = await createMpg123WasmDecoder();
    const a = fixture('bytes-chords-128k.mp3');
    const b = fixture('stereo-128k-cli.mp3');
    const first = decoder.decode(a);
    expect(first.error).toBeNull();
    // B cut in the middle of a frame (the bit reservoir and overlap buffers full), then garbage.
    const cut = b.slice(0, Math.floor(b.length / 2) + 7);
    const broken = new Uint8Array(cut.length + 3000);
    broken.set(cut);
    for (let i = cut.length; i < broken.length; i++) broken[i] = (i * 151) & 0xff;
    const partial = decoder.decode(broken);
    expect(partial.channelData.length).toBe(2);
    for (const stream of [cut, broken, b.subarray(0, 5000)]) {
      decoder.decode(stream);
      const again = decoder.decode(a);
      expect(again.error).toBeNull();
      expect(sameBits(again.channelData[0], first.channelData[0])).toBe(true);
    }
  });

  it('the module: memory stays bounded when the same stream is decoded again and again', async () => {
    const decoder = await createMpg123WasmDecoder();
    const a = fixture('chords-128k-cli.mp3');
    decoder.decode(a);
    const bytes = decoder.memoryBytes();
    for (let i = 0; i < 20; i++) decoder.decode(a);
    expect(decoder.memoryBytes()).toBe(bytes);
  });
});
