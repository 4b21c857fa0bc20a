import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../../src/audio/wav.js';
import { loadWavFolder, loadWavFolderDataset } from '../../../src/node/loaders/wav-folder.js';

const root = mkdtempSync(path.join(tmpdir(), 'wavfolder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tone = (f: number, rate: number, seconds: number): Float32Array =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * f * i) / rate));

function makeFolder(name: string, files: Record<string, Uint8Array>): string {
  const dir = path.join(root, name);
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), bytes);
  }
  return dir;
}

describe('loadWavFolder', () => {
  it('reads the IDMT layout: mono and stereo, 16/24-bit and float, resampled to one rate', async () => {
    const dir = makeFolder('ok', {
      'NoFX/a.wav': encodeWav([tone(440, 44100, 0.5)], 44100),
      'NoFX/b.wav': encodeWav([tone(440, 22050, 0.5), tone(440, 22050, 0.5)], 22050, { bits: 24 }),
      'Tremolo/c.wav': encodeWav([tone(220, 48000, 0.5)], 48000, { encoding: 'float' }),
      'Tremolo/notes.txt': new Uint8Array([1, 2, 3]),
    });
    const set = await loadWavFolder(dir, { sampleRate: 44100 });
    expect(set.classNames).toEqual(['NoFX', 'Tremolo']);
    expect(set.labels).toEqual([0, 0, 1]);
    expect(set.sampleRate).toBe(44100);
    for (const s of set.signals) expect(Math.abs(s.length - 22050)).toBeLessThanOrEqual(1);
    // resampled 22.05 kHz stereo keeps its 440 Hz tone at full level
    const b = set.signals[1];
    let peak = 0;
    for (let i = 2000; i < b.length - 2000; i++) peak = Math.max(peak, Math.abs(b[i]));
    expect(peak).toBeGreaterThan(0.49);
    expect(peak).toBeLessThan(0.51);
    const cut = await loadWavFolder(dir, { duration: 0.25 });
    expect(cut.signals.every((s) => s.length === 11025)).toBe(true);
  });

  it('splits into train and test by class, 75/25 by default', async () => {
    const files: Record<string, Uint8Array> = {};
    for (const c of ['A', 'B']) for (let i = 0; i < 8; i++) files[`${c}/${i}.wav`] = encodeWav([tone(100 + i, 8000, 0.01)], 8000);
    const data = await loadWavFolderDataset(makeFolder('split', files), { sampleRate: 8000, seed: 3 });
    expect(data.train.signals).toHaveLength(12);
    expect(data.test.signals).toHaveLength(4);
    expect(data.test.labels.filter((l) => l === 0)).toHaveLength(2);
  });

  it('names the file for truncated or unsupported WAVs, and the folder when it is empty', async () => {
    const good = encodeWav([tone(440, 8000, 0.1)], 8000);
    const truncated = makeFolder('bad1', { 'X/t.wav': good.subarray(0, 100) });
    await expect(loadWavFolder(truncated)).rejects.toThrow(/X[/\\]t\.wav: .*truncated/);
    const alaw = Uint8Array.from(good);
    new DataView(alaw.buffer).setUint16(20, 6, true);
    await expect(loadWavFolder(makeFolder('bad2', { 'X/u.wav': alaw }))).rejects.toThrow(/u\.wav: .*unsupported encoding/);
    await expect(loadWavFolder(makeFolder('bad3', { 'X/readme.txt': new Uint8Array(1) }))).rejects.toThrow(/X: no \.wav\/\.wave files/);
    await expect(loadWavFolder(path.join(root, 'missing'))).rejects.toThrow(/cannot read directory/);
    const bogusRate = Uint8Array.from(good);
    new DataView(bogusRate.buffer).setUint32(24, 0x10000000 + 8000, true); // resampling from it ran for minutes
    await expect(loadWavFolder(makeFolder('bad4', { 'X/r.wav': bogusRate }), { sampleRate: 8000 })).rejects.toThrow(
      /X[/\\]r\.wav: the fmt chunk declares a sample rate of 268443456 Hz, expected 1000 to 768000 Hz/,
    );
  });
});
