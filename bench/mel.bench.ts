/**
 * `npm run bench -- mel`: featurizes a 2 s 44.1 kHz clip as the Helmholtz audio models see it
 * (mel power spectrogram, nFft 2048, hop 512, 96 mels, then amplitude_to_db: 96 x 173) and
 * compares with librosa 0.10.0 measured in the same run (librosa's own source run with Debian's
 * numpy/scipy by scripts/make-mel-fixtures.py --bench; LIBROSA_SRC points at the source tree,
 * default /tmp/librosa-0.10.0). Where librosa cannot run, the issue's figure (240 clips/s on
 * this machine) is the reference.
 *
 * The machine is shared, so ours and librosa alternate for ROUNDS rounds and the best round of
 * each counts (wall clock); the same ratio in CPU time (process CPU seconds, all threads) is
 * printed too, being less sensitive to the other jobs.
 *
 * Also times the FFT candidates on 2048-sample real frames: our real FFT (src/audio/fft.ts, the
 * JavaScript path), the WebAssembly kernel (per frame, from the clip timing), fft.js's
 * realTransform (installed), and meyda's powerSpectrum where `meyda` can be imported (not a
 * dependency; set MEYDA_PATH to a folder where it is installed, e.g. `npm install meyda` in
 * /tmp/meyda, to include it).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import FFT from 'fft.js';
import { createRealFft } from '../src/audio/fft.js';
import { createMelSpectrogram, melSpectrogram } from '../src/audio/mel.js';
import { amplitudeToDb } from '../src/audio/db.js';
import { report } from './peer.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SR = 44100;
const ISSUE_LIBROSA_CLIPS_PER_S = 240;
const ROUNDS = Number(process.env.MEL_BENCH_ROUNDS ?? 3);

function clip(seed: number): Float32Array {
  const y = new Float32Array(2 * SR);
  for (let i = 0; i < y.length; i++) {
    const t = i / SR;
    y[i] = 0.4 * Math.exp(-3 * t) * (Math.sin(2 * Math.PI * 196 * (1 + seed / 100) * t) + 0.5 * Math.sin(2 * Math.PI * 392 * t) + 0.2 * Math.sin(2 * Math.PI * 587.3 * t));
  }
  return y;
}

interface Rate {
  wall: number;
  cpu: number;
}

/** Calls `f` repeatedly for about `seconds` after a warm-up; calls per wall and per CPU second. */
function rate(f: () => void, seconds = 2, warm = 20): Rate {
  for (let i = 0; i < warm; i++) f();
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < seconds * 1000) {
    f();
    n++;
    if ((n & 3) === 0) t = performance.now();
  }
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall: n / wall, cpu: n / ((c.user + c.system) / 1e6) };
}

function librosaPeer(seconds: number): Rate | string {
  const script = path.join(ROOT, 'scripts', 'make-mel-fixtures.py');
  const r = spawnSync('/usr/bin/python3', [script, '--bench', String(seconds)], { encoding: 'utf8', timeout: 180_000 });
  if (r.error || r.status !== 0) return (r.error?.message ?? r.stderr ?? 'failed').trim().split('\n').slice(-1)[0];
  const lines = r.stdout.trim().split('\n');
  const wall = Number(lines[lines.length - 1]);
  const cpu = Number((lines.find((l) => l.startsWith('cpu ')) ?? '').slice(4));
  return Number.isFinite(wall) && Number.isFinite(cpu) ? { wall, cpu } : 'no number printed';
}

async function fftCandidates(): Promise<void> {
  const n = 2048;
  const frame = new Float64Array(n);
  for (let i = 0; i < n; i++) frame[i] = Math.sin(i * 0.1) + 0.3 * Math.cos(i * 0.37);
  const f32 = Float32Array.from(frame);
  const window = new Float64Array(n).fill(1);
  const ours = createRealFft(n);
  const re = new Float64Array(n / 2 + 1), im = new Float64Array(n / 2 + 1);
  const oursRate = rate(() => ours.forward(frame, re, im), 1, 200);
  const oursPower = rate(() => ours.powerSpectrum(f32, 0, window, re), 1, 200);
  const fj = new FFT(n);
  const out = fj.createComplexArray() as number[];
  const input = Array.from(frame);
  const fjRate = rate(() => fj.realTransform(out, input), 1, 200);
  const k = (r: Rate) => `${(r.wall / 1000).toFixed(1)}k/s (${(r.cpu / 1000).toFixed(1)}k per CPU s)`;
  console.log(`FFT 2048 real, JavaScript: ours ${k(oursRate)}; ours windowed power spectrum ${k(oursPower)}; fft.js realTransform ${k(fjRate)}`);
  const meydaDir = process.env.MEYDA_PATH;
  if (meydaDir) {
    try {
      const req = createRequire(path.join(meydaDir, 'index.js'));
      const Meyda = req('meyda') as { bufferSize: number; extract: (f: string, s: Float32Array) => unknown };
      Meyda.bufferSize = n;
      const meydaRate = rate(() => Meyda.extract('powerSpectrum', f32), 1, 50);
      console.log(`FFT 2048 real: meyda 5 powerSpectrum (window + complex FFT + power) ${k(meydaRate)}`);
    } catch (e) {
      console.log(`meyda: not importable from ${meydaDir} (${(e as Error).message.split('\n')[0]})`);
    }
  } else {
    console.log('meyda: skipped (set MEYDA_PATH to a folder with meyda installed to time it)');
  }
}

export default async function bench(): Promise<void> {
  console.log(`load average ${loadavg().map((v) => v.toFixed(2)).join(', ')}`);
  await fftCandidates();
  const y = clip(0);
  const featurizer = createMelSpectrogram({ sampleRate: SR, nFft: 2048, hopLength: 512, nMels: 96, toDb: 'amplitude' });
  const jsFeaturizer = createMelSpectrogram({ sampleRate: SR, nFft: 2048, hopLength: 512, nMels: 96, toDb: 'amplitude', engine: 'js' });
  const out = new Float32Array(96 * 173);
  const clips = Array.from({ length: 16 }, (_, i) => clip(i));
  let best: Rate = { wall: 0, cpu: 0 }, bestPeer: Rate | null = null, peerError = '';
  for (let round = 0; round < ROUNDS; round++) {
    const r = rate(() => featurizer.compute(y, out, 0), 1.5);
    best = { wall: Math.max(best.wall, r.wall), cpu: Math.max(best.cpu, r.cpu) };
    const p = librosaPeer(2);
    if (typeof p === 'string') peerError = p;
    else bestPeer = bestPeer === null ? p : { wall: Math.max(bestPeer.wall, p.wall), cpu: Math.max(bestPeer.cpu, p.cpu) };
    console.log(`round ${round + 1}: ours ${r.wall.toFixed(0)} clips/s (${r.cpu.toFixed(0)} per CPU s); librosa ` +
      (typeof p === 'string' ? `unavailable (${p})` : `${p.wall.toFixed(0)} clips/s (${p.cpu.toFixed(0)} per CPU s)`));
  }
  const js = rate(() => jsFeaturizer.compute(y, out, 0), 1.5);
  const convenience = rate(() => amplitudeToDb(melSpectrogram(y, { sampleRate: SR, nMels: 96 }).data), 1.5);
  const batch = rate(() => featurizer.computeBatch(clips), 1.5, 2);
  console.log(`engine ${featurizer.engine}: ${(1e6 / best.wall / 173).toFixed(2)} us per frame (wall, best round)`);
  console.log(`JavaScript engine: ${js.wall.toFixed(1)} clips/s (${js.cpu.toFixed(0)} per CPU s)`);
  console.log(`melSpectrogram + amplitudeToDb (memoised plan, fresh arrays): ${convenience.wall.toFixed(1)} clips/s`);
  console.log(`melSpectrogramBatch, 16 clips into one Float32Array: ${(16 * batch.wall).toFixed(1)} clips/s`);
  const peer = bestPeer === null ? { value: null, reason: peerError } : { value: bestPeer.wall };
  report('mel 96 + amplitude dB, 2 s 44.1 kHz clip, wall clock', best.wall, 'clips/s', peer, 'librosa 0.10.0 (same run)', 3);
  if (bestPeer !== null) {
    report('mel 96 + amplitude dB, 2 s 44.1 kHz clip, CPU time', best.cpu, 'clips per CPU s', { value: bestPeer.cpu }, 'librosa 0.10.0 (same run)', 3);
  }
  if (bestPeer === null) {
    report('mel 96 + amplitude dB, 2 s 44.1 kHz clip, wall clock', best.wall, 'clips/s', { value: ISSUE_LIBROSA_CLIPS_PER_S }, 'librosa 0.10 (issue figure)', 3);
  } else {
    // the bar is the same-run ratio; the issue's figure (another librosa install) only for comparison
    console.log(`(for comparison, not a bar: ${(best.wall / ISSUE_LIBROSA_CLIPS_PER_S).toFixed(2)}x the issue's figure of ${ISSUE_LIBROSA_CLIPS_PER_S} clips/s for librosa; librosa measured here ${bestPeer.wall.toFixed(0)} clips/s)`);
  }
}
