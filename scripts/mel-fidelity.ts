/**
 * Prints the fidelity table of docs/audio-features.md: for every librosa 0.10.0 fixture in
 * test/fixtures/librosa (shared and generated), per engine (the double-precision JavaScript one,
 * and the single-precision WebAssembly one where it applies), the largest relative error of our
 * mel power over the bins above 1e-6 of the maximum (for the WebAssembly engine also over the bins
 * within 80 dB of the maximum power), and the largest absolute errors of both dB conversions.
 * With `--random DIR` it checks the random settings that
 * `scripts/make-mel-fixtures.py --random DIR` wrote (both engines, each against its own bar:
 * test/audio/mel.test.ts), and lists failures.
 * Run: npx tsx scripts/mel-fidelity.ts [--random DIR]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { melSpectrogram, type MelSpectrogramOptions } from '../src/audio/mel.js';
import { amplitudeToDb, powerToDb } from '../src/audio/db.js';
import { createMelSpectrogram, type MelFeaturizerOptions } from '../src/audio/mel.js';
import { generatedCases, maxAbsoluteError, maxAbsoluteErrorWhere, maxRelativeError, powerFloor, readF32, sharedCases } from '../test/audio/librosa-fixtures.js';

const randomAt = process.argv.indexOf('--random');
if (randomAt >= 0) {
  const dir = process.argv[randomAt + 1];
  const cases = JSON.parse(readFileSync(path.join(dir, 'cases.json'), 'utf8')) as { i: number; shape: [number, number]; o: MelSpectrogramOptions }[];
  const worst = [0, 0, 0];
  let failures = 0;
  for (const c of cases) {
    const y = readF32(path.join(dir, `${c.i}.in`)), ref = readF32(path.join(dir, `${c.i}.mel`));
    for (const engine of ['auto', 'js'] as const) {
      const single = engine === 'auto' && createMelSpectrogram({ ...c.o, engine } as MelFeaturizerOptions).engine === 'wasm';
      const S = melSpectrogram(y, { ...c.o, engine } as MelSpectrogramOptions);
      const e = errors(S.data, ref, readF32(path.join(dir, `${c.i}.amp`)), readF32(path.join(dir, `${c.i}.pow`)), c.o.power ?? 2);
      const rel = single ? e.rel80 : e.rel, amp = single ? e.amp80 : e.amp, pow = single ? e.pow80 : e.pow;
      const shapeOk = S.nMels === c.shape[0] && S.nFrames === c.shape[1];
      let max = 0;
      for (const v of ref) max = Math.max(max, v);
      if (!shapeOk || rel > 1e-3 || amp > 0.01 || pow > 0.01) {
        failures++;
        console.log(`outside the bar: case ${c.i} (${single ? 'wasm' : 'js'}) ${JSON.stringify(c.o)} shape ${S.nMels}x${S.nFrames} vs ${c.shape.join('x')}, ` +
          `rel ${rel.toExponential(2)}, dB ${amp.toExponential(2)} / ${pow.toExponential(2)}, reference maximum ${max.toExponential(2)}`);
      } else {
        worst[0] = Math.max(worst[0], rel);
      }
      worst[1] = Math.max(worst[1], amp);
      worst[2] = Math.max(worst[2], pow);
    }
  }
  console.log(`${cases.length} random cases x 2 engines: ${failures} outside the bar; worst relative error of the others ` +
    `${worst[0].toExponential(2)}; worst dB errors (all) ${worst[1].toExponential(2)} / ${worst[2].toExponential(2)}`);
} else {
  console.log('| case | sr | nFft/hop/nMels | other | shape | double (js): mel rel. err | amplitude_to_db err (dB) | power_to_db err (dB) | single (wasm): mel rel. err, within 80 dB / above 1e-6 | amplitude_to_db err (dB) | power_to_db err (dB), within 80 dB / all |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  const f = (x: number): string => x.toExponential(1);
  for (const c of [...sharedCases(), ...generatedCases()]) {
    const o = c.options;
    const js = melSpectrogram(c.input, { ...o, engine: 'js' } as MelSpectrogramOptions);
    const same = js.nMels === c.shape[0] && js.nFrames === c.shape[1];
    const other = Object.entries(o)
      .filter(([k]) => !['sampleRate', 'nFft', 'hopLength', 'nMels'].includes(k))
      .map(([k, v]) => `${k}=${v}`).join(', ');
    const d = errors(js.data, c.mel, c.ampDb, c.powDb, o.power ?? 2);
    let single = '| (JavaScript) | | |';
    if (createMelSpectrogram(o).engine === 'wasm') {
      const w = errors(melSpectrogram(c.input, o).data, c.mel, c.ampDb, c.powDb, o.power ?? 2);
      single = `| ${f(w.rel80)} / ${f(w.rel)} | ${f(w.amp)} | ${f(w.pow80)} / ${f(w.pow)} |`;
    }
    console.log(`| ${c.name} (${c.input.length} samples) | ${o.sampleRate} | ${o.nFft}/${o.hopLength}/${o.nMels} | ${other} | ${js.nMels}x${js.nFrames}${same ? '' : ' MISMATCH'} | ` +
      `${f(d.rel)} | ${f(d.amp)} | ${f(d.pow)} ${single}`);
  }
}

/** Errors against librosa: relative (above 1e-6 of the maximum; within 80 dB of the maximum power) and dB (all; within 80 dB). */
function errors(ours: Float32Array, mel: Float32Array, ampDb: Float32Array, powDb: Float32Array, power: number):
  { rel: number; rel80: number; amp: number; pow: number; amp80: number; pow80: number } {
  const floor = powerFloor(80, power);
  let max = 0;
  for (const v of mel) max = Math.max(max, v);
  const loud = (i: number): boolean => mel[i] >= floor * max;
  const amp = amplitudeToDb(ours), pow = powerToDb(ours);
  return {
    rel: maxRelativeError(ours, mel), rel80: maxRelativeError(ours, mel, floor),
    amp: maxAbsoluteError(amp, ampDb), pow: maxAbsoluteError(pow, powDb),
    amp80: maxAbsoluteErrorWhere(amp, ampDb, loud), pow80: maxAbsoluteErrorWhere(pow, powDb, loud),
  };
}
