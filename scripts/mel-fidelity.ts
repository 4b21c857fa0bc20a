/**
 * Prints the fidelity table of docs/audio-features.md: for every librosa 0.10.0 fixture in
 * test/fixtures/librosa (shared and generated), the largest relative error of our mel power over
 * the bins above 1e-6 of the maximum, and the largest absolute errors of both dB conversions.
 * With `--random DIR` it checks the random settings that
 * `scripts/make-mel-fixtures.py --random DIR` wrote (both engines), and lists failures.
 * Run: npx tsx scripts/mel-fidelity.ts [--random DIR]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { melSpectrogram, type MelSpectrogramOptions } from '../src/audio/mel.js';
import { amplitudeToDb, powerToDb } from '../src/audio/db.js';
import { generatedCases, maxAbsoluteError, maxRelativeError, readF32, sharedCases } from '../test/audio/librosa-fixtures.js';

const randomAt = process.argv.indexOf('--random');
if (randomAt >= 0) {
  const dir = process.argv[randomAt + 1];
  const cases = JSON.parse(readFileSync(path.join(dir, 'cases.json'), 'utf8')) as { i: number; shape: [number, number]; o: MelSpectrogramOptions }[];
  const worst = [0, 0, 0];
  let failures = 0;
  for (const c of cases) {
    const y = readF32(path.join(dir, `${c.i}.in`)), ref = readF32(path.join(dir, `${c.i}.mel`));
    for (const engine of ['auto', 'js'] as const) {
      const S = melSpectrogram(y, { ...c.o, engine } as MelSpectrogramOptions);
      const rel = maxRelativeError(S.data, ref);
      const amp = maxAbsoluteError(amplitudeToDb(S.data), readF32(path.join(dir, `${c.i}.amp`)));
      const pow = maxAbsoluteError(powerToDb(S.data), readF32(path.join(dir, `${c.i}.pow`)));
      const shapeOk = S.nMels === c.shape[0] && S.nFrames === c.shape[1];
      let max = 0;
      for (const v of ref) max = Math.max(max, v);
      if (!shapeOk || rel > 1e-3 || amp > 0.01 || pow > 0.01) {
        failures++;
        console.log(`outside the bar: case ${c.i} (${engine}) ${JSON.stringify(c.o)} shape ${S.nMels}x${S.nFrames} vs ${c.shape.join('x')}, ` +
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
  console.log('| case | sr | nFft/hop/nMels | other | shape | mel rel. err | amplitude_to_db err (dB) | power_to_db err (dB) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const c of [...sharedCases(), ...generatedCases()]) {
    const o = c.options;
    const S = melSpectrogram(c.input, o);
    const same = S.nMels === c.shape[0] && S.nFrames === c.shape[1];
    const other = Object.entries(o)
      .filter(([k]) => !['sampleRate', 'nFft', 'hopLength', 'nMels'].includes(k))
      .map(([k, v]) => `${k}=${v}`).join(', ');
    console.log(`| ${c.name} (${c.input.length} samples) | ${o.sampleRate} | ${o.nFft}/${o.hopLength}/${o.nMels} | ${other} | ${S.nMels}x${S.nFrames}${same ? '' : ' MISMATCH'} | ` +
      `${maxRelativeError(S.data, c.mel).toExponential(1)} | ${maxAbsoluteError(amplitudeToDb(S.data), c.ampDb).toExponential(1)} | ` +
      `${maxAbsoluteError(powerToDb(S.data), c.powDb).toExponential(1)} |`);
  }
}
