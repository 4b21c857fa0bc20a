import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, mixToMono } from '../../src/audio/wav.js';

const ramp = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => (i / n) * 1.8 - 0.9);

describe('WAV', () => {
  it('round-trips 16-bit, 24-bit PCM and 32-bit float', () => {
    const x = ramp(1000);
    for (const [opts, tol] of [[{ bits: 16 as const }, 1 / 32768], [{ bits: 24 as const }, 1 / 8388608], [{ encoding: 'float' as const }, 0]] as const) {
      const wav = decodeWav(encodeWav([x], 22050, opts));
      expect(wav.sampleRate).toBe(22050);
      expect(wav.channelData).toHaveLength(1);
      const err = Math.max(...Array.from(x).map((v, i) => Math.abs(v - wav.channelData[0][i])));
      expect(err).toBeLessThanOrEqual(tol);
    }
  });

  it('reads 8-bit unsigned PCM and WAVE_FORMAT_EXTENSIBLE headers', () => {
    // 8-bit: build by hand from a 16-bit file's header
    const pcm16 = encodeWav([new Float32Array(4)], 8000);
    const bytes = new Uint8Array(44 + 4);
    bytes.set(pcm16.subarray(0, 44));
    const v = new DataView(bytes.buffer);
    v.setUint32(4, 36 + 4, true);
    v.setUint32(28, 8000, true);
    v.setUint16(32, 1, true);
    v.setUint16(34, 8, true);
    v.setUint32(40, 4, true);
    bytes.set([0, 128, 255, 192], 44);
    expect(Array.from(decodeWav(bytes).channelData[0])).toEqual([-1, 0, 127 / 128, 0.5]);

    const plain = encodeWav([ramp(10)], 44100, { encoding: 'float' });
    const ext = new Uint8Array(plain.length + 24);
    const ev = new DataView(ext.buffer);
    ext.set(plain.subarray(0, 20));
    ev.setUint32(16, 40, true);
    ev.setUint16(20, 0xfffe, true);
    ext.set(plain.subarray(22, 36), 22);
    ev.setUint16(36, 22, true); // cbSize
    ev.setUint16(44, 3, true); // sub-format GUID starts with IEEE float
    ext.set(plain.subarray(36), 60);
    ev.setUint32(4, ext.length - 8, true);
    expect(decodeWav(ext).channelData[0]).toEqual(ramp(10));
  });

  it('mixes stereo down to mono', () => {
    const wav = decodeWav(encodeWav([new Float32Array([0.5, 0.5]), new Float32Array([-0.5, 0.25])], 48000, { encoding: 'float' }));
    expect(Array.from(mixToMono(wav.channelData))).toEqual([0, 0.375]);
  });

  it('names the file and the reason for truncated, foreign and unsupported files', () => {
    const good = encodeWav([ramp(100)], 44100);
    expect(() => decodeWav(good.subarray(0, 60), { name: 'a.wav' })).toThrow(/a\.wav: .*truncated/);
    expect(() => decodeWav(good.subarray(0, 8), { name: 'b.wav' })).toThrow(/b\.wav: .*12-byte RIFF header/);
    expect(() => decodeWav(new TextEncoder().encode('ID3 this is an mp3 file'), { name: 'c.wav' })).toThrow(/c\.wav: .*RIFF/);
    const mulaw = Uint8Array.from(good);
    new DataView(mulaw.buffer).setUint16(20, 7, true);
    expect(() => decodeWav(mulaw, { name: 'd.wav' })).toThrow(/d\.wav: .*unsupported encoding \(format tag 7\)/);
    const noData = Uint8Array.from(good.subarray(0, 36));
    new DataView(noData.buffer).setUint32(4, 28, true);
    expect(() => decodeWav(noData, { name: 'e.wav' })).toThrow(/e\.wav: .*no data chunk/);
  });

  it('rejects bad encoder input', () => {
    expect(() => encodeWav([new Float32Array([Number.NaN])], 44100)).toThrow(/channelData\[0\].*NaN/);
    expect(() => encodeWav([new Float32Array(2), new Float32Array(3)], 44100)).toThrow(/channelData\[1\] has length 3/);
    expect(() => encodeWav([new Float32Array(2)], 0)).toThrow(/sampleRate/);
  });
});

describe('WAV chunk sizes', () => {
  const good = (): Uint8Array => encodeWav([ramp(50)], 8000);
  it('names a non-data chunk that runs past the end of the file, and a file cut inside a chunk header', () => {
    const fmt = good();
    new DataView(fmt.buffer).setUint32(16, 0xffffffff, true);
    expect(() => decodeWav(fmt, { name: 'f.wav' })).toThrow(/^f\.wav: not a readable WAV file: the "fmt " chunk declares 4294967295 bytes but only 124 remain \(truncated or corrupt file\) \(at byte 12\)/);
    const list = good();
    list.set([0x4c, 0x49, 0x53, 0x54], 36); // the data chunk's id corrupted to LIST
    expect(() => decodeWav(list, { name: 'l.wav' })).toThrow(/^l\.wav: .*no data chunk/);
    const odd = good();
    odd.set([0x01, 0x02, 0x03, 0x04], 36);
    new DataView(odd.buffer).setUint32(40, 0x80000000, true);
    expect(() => decodeWav(odd, { name: 'o.wav' })).toThrow(/^o\.wav: .*the "\\x01\\x02\\x03\\x04" chunk declares 2147483648 bytes but only 100 remain/);
    expect(() => decodeWav(good().subarray(0, 40), { name: 'h.wav' })).toThrow(/^h\.wav: .*the file ends inside a chunk header \(4 of its 8 bytes; truncated file\) \(at byte 36\)/);
  });
});
