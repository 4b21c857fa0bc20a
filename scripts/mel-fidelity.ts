/**
 * Prints the fidelity table of docs/audio-features.md: for every librosa 0.10.0 fixture in
 * test/fixtures/librosa (shared and generated), the largest relative error of our mel power over
 * the bins above 1e-6 of the maximum, and the largest absolute errors of both dB conversions.
 * Run: npx tsx scripts/mel-fidelity.ts
 */
import { melSpectrogram } from '../src/audio/mel.js';
import { amplitudeToDb, powerToDb } from '../src/audio/db.js';
import { generatedCases, maxAbsoluteError, maxRelativeError, sharedCases } from '../test/audio/librosa-fixtures.js';

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
