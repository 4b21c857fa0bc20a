/**
 * Checks that the project's LAME WebAssembly build (src/audio/lame-wasm.ts) writes the same bytes
 * as Debian's `lame -t -b B` 3.100 (no Xing/LAME tag) for the fixture clips of test/fixtures/mp3,
 * at several bitrates and input sample rates (the 44.1 kHz clips are also declared as other rates,
 * so that LAME resamples differently). Also checks that a `lame -b B` file (with its tag frame, where
 * one fits) ends with our bytes, and that a second encode of the same settings (from the saved
 * state) writes the same bytes. Prints one line per case and exits 1 on any difference.
 * Needs Debian's lame (apt-get install -y lame). Usage: npx tsx scripts/check-lame-wasm.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLameWasmEncoder } from '../src/audio/lame-wasm.js';

function wav(pcm: Buffer, rate: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0); h.writeUInt32LE(36 + pcm.length, 4); h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16); h.writeUInt16LE(1, 20); h.writeUInt16LE(1, 22); h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28); h.writeUInt16LE(2, 32); h.writeUInt16LE(16, 34); h.write('data', 36);
  h.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([h, pcm]);
}

const lame = await createLameWasmEncoder();
const dir = mkdtempSync(path.join(tmpdir(), 'lame-check-'));
let bad = 0;
let cases = 0;
try {
  for (const clip of ['plucked', 'chords', 'speech', 'noisy']) {
    const raw = readFileSync(path.join('test', 'fixtures', 'mp3', `${clip}.s16`));
    const pcm = new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2);
    const signal = Float32Array.from(pcm, (v) => v / 32768);
    for (const rate of [44100, 48000, 32000, 22050, 16000, 11025, 8000]) {
      writeFileSync(path.join(dir, 'in.wav'), wav(raw, rate));
      for (const b of [8, 16, 32, 56, 64, 128, 144, 320]) {
        const r = spawnSync('lame', ['--quiet', '-t', '-b', String(b), 'in.wav', 'o.mp3'], { cwd: dir });
        if (r.status !== 0) throw new Error(`lame failed: ${r.stderr}`);
        const cli = readFileSync(path.join(dir, 'o.mp3'));
        const ours = lame.encode(signal, rate, b);
        let first = -1;
        const n = Math.min(cli.length, ours.length);
        for (let i = 0; i < n; i++) if (cli[i] !== ours[i]) { first = i; break; }
        // A second encode of the same settings starts from the saved state (not lame_init_params).
        const again = lame.encode(signal, rate, b);
        const same = first < 0 && cli.length === ours.length && Buffer.from(again).equals(Buffer.from(ours));
        let tagged = '';
        if (rate === 44100) {
          spawnSync('lame', ['--quiet', '-b', String(b), 'in.wav', 't.mp3'], { cwd: dir });
          const t = readFileSync(path.join(dir, 't.mp3'));
          tagged = Buffer.from(t.subarray(t.length - ours.length)).equals(Buffer.from(ours)) ? ', tagged file = tag frame + ours' : ', tagged file differs';
        }
        cases++;
        if (!same) bad++;
        console.log(`${clip} ${rate} Hz ${b} kbps: ${same ? 'identical' : `DIFFER (first at byte ${first}, ${cli.length} vs ${ours.length} bytes)`} ${ours.length} bytes${tagged}`);
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${cases - bad} of ${cases} identical`);
process.exit(bad === 0 ? 0 : 1);
