/**
 * `npm run bench -- mel`: featurizes a 2 s 44.1 kHz clip as the Helmholtz audio models see it
 * (mel power spectrogram, nFft 2048, hop 512, 96 mels, then amplitude_to_db: 96 x 173) and
 * compares with librosa 0.10.0 measured in the same run (librosa's own source run with Debian's
 * numpy/scipy by scripts/make-mel-fixtures.py --bench; LIBROSA_SRC points at the source tree).
 * Where librosa cannot run, the issue's figure (240 clips/s on this machine) is the reference.
 *
 * Also times the FFT candidates on 2048-sample real frames: our real FFT (src/audio/fft.ts),
 * fft.js's realTransform (installed), and meyda's powerSpectrum where `meyda` can be imported
 * (not a dependency; set MEYDA_PATH to a folder where it is installed, e.g. `npm install meyda`
 * in /tmp/meyda, to include it).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import FFT from 'fft.js';
import { createRealFft } from '../src/audio/fft.js';
import { createMelSpectrogram, melSpectrogram } from '../src/audio/mel.js';
import { amplitudeToDb } from '../src/audio/db.js';
import { report, type PeerResult } from './peer.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SR = 44100;
const ISSUE_LIBROSA_CLIPS_PER_S = 240;

function clip(seed: number): Float32Array {
  const y = new Float32Array(2 * SR);
  for (let i = 0; i < y.length; i++) {
    const t = i / SR;
    y[i] = 0.4 * Math.exp(-3 * t) * (Math.sin(2 * Math.PI * 196 * (1 + seed / 100) * t) + 0.5 * Math.sin(2 * Math.PI * 392 * t) + 0.2 * Math.sin(2 * Math.PI * 587.3 * t));
  }
  return y;
}

/** Calls `f` repeatedly for about `seconds` after a warm-up; returns calls per second. */
function rate(f: () => void, seconds = 2, warm = 20): number {
  for (let i = 0; i < warm; i++) f();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < seconds * 1000) {
    f();
    n++;
    if ((n & 7) === 0) t = performance.now();
  }
  return (n * 1000) / (performance.now() - t0);
}

function librosaPeer(): PeerResult {
  const script = path.join(ROOT, 'scripts', 'make-mel-fixtures.py');
  const r = spawnSync('/usr/bin/python3', [script, '--bench', '4'], { encoding: 'utf8', timeout: 120_000 });
  if (r.error || r.status !== 0) {
    return { value: null, reason: (r.error?.message ?? r.stderr ?? '').trim().split('\n').slice(-1)[0] };
  }
  const lines = r.stdout.trim().split('\n');
  const v = Number(lines[lines.length - 1]);
  return Number.isFinite(v) ? { value: v } : { value: null, reason: 'no number printed' };
}

async function fftCandidates(): Promise<void> {
  const n = 2048;
  const frame = new Float64Array(n);
  for (let i = 0; i < n; i++) frame[i] = Math.sin(i * 0.1) + 0.3 * Math.cos(i * 0.37);
  const ours = createRealFft(n);
  const re = new Float64Array(n / 2 + 1), im = new Float64Array(n / 2 + 1);
  const oursRate = rate(() => ours.forward(frame, re, im), 1.5, 200);
  const fj = new FFT(n);
  const out = fj.createComplexArray() as number[];
  const input = Array.from(frame);
  const fjRate = rate(() => fj.realTransform(out, input), 1.5, 200);
  // fft.js on a typed input (it accepts any indexable array)
  const fjTypedRate = rate(() => fj.realTransform(out, frame as unknown as number[]), 1.5, 200);
  console.log(`FFT 2048 real: ours ${(oursRate / 1000).toFixed(1)}k/s; fft.js realTransform ${(fjRate / 1000).toFixed(1)}k/s ` +
    `(typed input ${(fjTypedRate / 1000).toFixed(1)}k/s)`);
  const meydaDir = process.env.MEYDA_PATH;
  if (meydaDir) {
    try {
      const req = createRequire(path.join(meydaDir, 'index.js'));
      const Meyda = req('meyda') as { bufferSize: number; extract: (f: string, s: Float32Array) => unknown };
      Meyda.bufferSize = n;
      const f32 = Float32Array.from(frame);
      const meydaRate = rate(() => Meyda.extract('powerSpectrum', f32), 1.5, 50);
      console.log(`FFT 2048 real: meyda powerSpectrum (window + complex FFT + power) ${(meydaRate / 1000).toFixed(1)}k/s`);
    } catch (e) {
      console.log(`meyda: not importable from ${meydaDir} (${(e as Error).message.split('\n')[0]})`);
    }
  } else {
    console.log('meyda: skipped (set MEYDA_PATH to a folder with meyda installed to time it)');
  }
}

export default async function bench(): Promise<void> {
  await fftCandidates();
  const y = clip(0);
  const featurizer = createMelSpectrogram({ sampleRate: SR, nFft: 2048, hopLength: 512, nMels: 96, toDb: 'amplitude' });
  const out = new Float32Array(96 * 173);
  const single = rate(() => featurizer.compute(y, out, 0), 3);
  const convenience = rate(() => amplitudeToDb(melSpectrogram(y, { sampleRate: SR, nMels: 96 }).data), 2);
  const clips = Array.from({ length: 16 }, (_, i) => clip(i));
  const batch = 16 * rate(() => featurizer.computeBatch(clips), 3, 2);
  const peer = librosaPeer();
  console.log(`melSpectrogram(96 mels) + amplitudeToDb, fresh arrays, memoised plan: ${convenience.toFixed(1)} clips/s`);
  console.log(`batch of 16 clips into one Float32Array: ${batch.toFixed(1)} clips/s`);
  report('mel 96 + dB, 2 s 44.1 kHz clip (featurizer)', single, 'clips/s', peer, 'librosa 0.10.0 (same run)', 2);
  report('mel 96 + dB, 2 s 44.1 kHz clip (featurizer)', single, 'clips/s', { value: ISSUE_LIBROSA_CLIPS_PER_S }, 'librosa 0.10 (issue figure)', 2);
}
