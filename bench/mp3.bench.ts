/**
 * MP3 round trip speed: `mp3RoundTrip` of a 2 s 44.1 kHz clip in process, against running the
 * `lame` and `mpg123` programs on the same clip (`lame --quiet -b 128 in.wav o.mp3 && mpg123 -q
 * -w o.wav o.mp3`), measured in the same run. Bar (issue 14): at least 1.5x the CLI's clips per
 * second at 128 kbps. Also prints where the time goes: our encode and decode alone against `lame`
 * and `mpg123` alone (median milliseconds per clip), the CPU time per clip of each (less sensitive
 * to the load of a shared machine than wall clock), and the load average.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mp3RoundTrip } from '../src/audio/mp3-roundtrip.js';
import { decodeMp3, encodeMp3 } from '../src/audio/mp3.js';
import { mp3RoundTripBatchParallel } from '../src/node/mp3-pool.js';
import { report, type PeerResult } from './peer.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function loadClip(): { pcm: Int16Array; signal: Float32Array } {
  const bytes = readFileSync(path.join(here, '..', 'test', 'fixtures', 'mp3', 'plucked.s16'));
  const pcm = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  return { pcm, signal: Float32Array.from(pcm, (v) => v / 32768) };
}

function wavBytes(pcm: Int16Array, rate: number): Buffer {
  const data = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Times ours and the CLI pipeline on the same clip, interleaved run by run (ours, CLI, ours, ...)
 * so that both see the same machine load; returns clips per second of each from the median run
 * time (robust to the load spikes of a shared machine).
 */
async function interleaved(pcm: Int16Array, signal: Float32Array, bitrate: number, runs: number): Promise<{ ours: number; cli: PeerResult }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mp3-bench-'));
  try {
    writeFileSync(path.join(dir, 'in.wav'), wavBytes(pcm, 44100));
    const script = `lame --quiet -b ${bitrate} in.wav o.mp3 && mpg123 -q -w o.wav o.mp3`;
    const cliOnce = () => spawnSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' });
    await mp3RoundTrip(signal, 44100, bitrate); // warm-up: loads the WebAssembly modules
    const first = cliOnce();
    const cliOk = !first.error && first.status === 0;
    const oursMs: number[] = [];
    const cliMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      await mp3RoundTrip(signal, 44100, bitrate);
      oursMs.push(performance.now() - t);
      if (cliOk) {
        t = performance.now();
        cliOnce();
        cliMs.push(performance.now() - t);
      }
    }
    const cli: PeerResult = cliOk
      ? { value: 1000 / median(cliMs) }
      : { value: null, reason: first.error?.message ?? `exit ${first.status}: ${first.stderr.trim()}` };
    return { ours: 1000 / median(oursMs), cli };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median milliseconds of our encode and decode, and of `lame` and `mpg123` alone, at `bitrate`. */
async function phases(pcm: Int16Array, signal: Float32Array, bitrate: number, runs: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mp3-bench-'));
  try {
    writeFileSync(path.join(dir, 'in.wav'), wavBytes(pcm, 44100));
    const ms = { encode: [] as number[], decode: [] as number[], lame: [] as number[], mpg123: [] as number[] };
    const mp3 = await encodeMp3(signal, 44100, bitrate);
    let cliOk = true;
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      await encodeMp3(signal, 44100, bitrate);
      ms.encode.push(performance.now() - t);
      t = performance.now();
      await decodeMp3(mp3);
      ms.decode.push(performance.now() - t);
      if (!cliOk) continue;
      t = performance.now();
      const a = spawnSync('lame', ['--quiet', '-b', String(bitrate), 'in.wav', 'o.mp3'], { cwd: dir });
      ms.lame.push(performance.now() - t);
      t = performance.now();
      const b = spawnSync('mpg123', ['-q', '-w', 'o.wav', 'o.mp3'], { cwd: dir });
      ms.mpg123.push(performance.now() - t);
      cliOk = !a.error && a.status === 0 && !b.error && b.status === 0;
    }
    const f = (v: number[]) => (v.length === 0 ? 'n/a' : median(v).toFixed(1));
    console.log(`@ ${bitrate} kbps, median ms per 2 s clip: ours encodeMp3 ${f(ms.encode)}, decodeMp3 ${f(ms.decode)}; ` +
      (cliOk ? `lame ${f(ms.lame)}, mpg123 ${f(ms.mpg123)} (each a process start)` : 'lame/mpg123 unavailable'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Seconds of CPU time (user + system) in the `N`m`S`s notation of the shell's `times`. */
function shellSeconds(text: string): number {
  const m = /^(\d+)m([\d.]+)s$/.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
}

/**
 * CPU milliseconds per clip at `bitrate`: ours from `process.cpuUsage` over `runs` round trips (all
 * threads of this process, so the decoder reset that runs in the background after each decode is
 * counted: the one still running after the last call is left out, the warm-up's is counted instead), the CLI
 * from the shell's `times` (user + system of its children) after a loop of `runs` pipelines in one
 * `sh`. CPU time depends far less on the machine's load than wall clock; on an idle machine the two
 * agree.
 */
async function cpuPerClip(pcm: Int16Array, signal: Float32Array, bitrate: number, runs: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mp3-bench-'));
  try {
    writeFileSync(path.join(dir, 'in.wav'), wavBytes(pcm, 44100));
    await mp3RoundTrip(signal, 44100, bitrate);
    const c0 = process.cpuUsage();
    for (let i = 0; i < runs; i++) await mp3RoundTrip(signal, 44100, bitrate);
    const c = process.cpuUsage(c0);
    const oursMs = (c.user + c.system) / 1000 / runs;
    const loop = `for i in $(seq ${runs}); do lame --quiet -b ${bitrate} in.wav o.mp3 && mpg123 -q -w o.wav o.mp3 || exit 1; done; times`;
    const r = spawnSync('sh', ['-c', loop], { cwd: dir, encoding: 'utf8' });
    const lines = r.stdout.trim().split('\n');
    const children = (lines[lines.length - 1] ?? '').split(/\s+/).map(shellSeconds);
    const cliMs = r.status === 0 && children.length === 2 ? ((children[0] + children[1]) * 1000) / runs : Number.NaN;
    const ratio = Number.isFinite(cliMs) ? `; ratio ${(cliMs / oursMs).toFixed(2)}x (CPU time)` : '; lame/mpg123 unavailable';
    console.log(`@ ${bitrate} kbps, CPU ms per 2 s clip (user + system): ours mp3RoundTrip ${oursMs.toFixed(1)}` +
      (Number.isFinite(cliMs) ? `, lame + mpg123 processes ${cliMs.toFixed(1)}` : '') + ratio);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function oursClipsPerSecond(signal: Float32Array, bitrate: number, runs: number, codec?: 'lamejs'): Promise<number> {
  await mp3RoundTrip(signal, 44100, bitrate, { codec });
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await mp3RoundTrip(signal, 44100, bitrate, { codec });
  return runs / ((performance.now() - t0) / 1000);
}

export default async function bench(): Promise<void> {
  const { pcm, signal } = loadClip();
  const runs = Number(process.env.MP3_BENCH_RUNS ?? 30);
  console.log(`load average ${loadavg().map((v) => v.toFixed(2)).join(', ')} (${runs} runs each)`);
  for (const bitrate of [128, 32, 8]) {
    const { ours, cli } = await interleaved(pcm, signal, bitrate, runs);
    report(`mp3RoundTrip 2 s clip @ ${bitrate} kbps`, ours, 'clips/s', cli, 'lame+mpg123 CLI', bitrate === 128 ? 1.5 : undefined);
  }
  await phases(pcm, signal, 128, Math.max(5, Math.round(runs / 2)));
  await cpuPerClip(pcm, signal, 128, runs);
  const js = await oursClipsPerSecond(signal, 128, Math.max(3, Math.round(runs / 5)), 'lamejs');
  console.log(`mp3RoundTrip (codec lamejs) 2 s clip @ 128 kbps: ${js.toFixed(1)} clips/s`);

  const clips = Array.from({ length: runs }, () => signal);
  const t0 = performance.now();
  await mp3RoundTripBatchParallel(clips, 44100, 128, { workers: 2 });
  const parallel = runs / ((performance.now() - t0) / 1000);
  console.log(`mp3RoundTripBatchParallel (2 workers, ${runs} clips incl. worker start) @ 128 kbps: ${parallel.toFixed(1)} clips/s`);
}
