/**
 * The WebP bar on photos the suite has not seen: our decoder against dwebp, our encoder against
 * cwebp (size within 2%, PSNR within 0.1 dB) on held-out crops at every quality 0..100.
 *
 *   /usr/bin/python3 scripts/make-webp-fixtures.py --heldout /tmp/webp-heldout
 *   npx tsx scripts/check-webp-heldout.ts /tmp/webp-heldout
 *
 * Prints the worst size ratio and PSNR difference and exits 1 if any case misses the bar.
 */
import { checkFixtureFolder, readManifest } from '../test/webp/webp-fixtures.js';

const dir = process.argv[2];
if (dir === undefined) {
  console.error('usage: npx tsx scripts/check-webp-heldout.ts DIR (made by make-webp-fixtures.py --heldout DIR)');
  process.exit(2);
}
const manifest = readManifest(dir);
const started = performance.now();
const results = await checkFixtureFolder(dir);
const seconds = (performance.now() - started) / 1000;
const qualities = new Set(manifest.cases.map((c) => c.quality));
const worstSize = results.reduce((a, b) => (Math.abs(b.sizeRatio - 1) > Math.abs(a.sizeRatio - 1) ? b : a));
const worstPsnr = results.reduce((a, b) => (Math.abs(b.psnrDiff) > Math.abs(a.psnrDiff) ? b : a));
const decodeMisses = results.filter((r) => !r.decodeExact || r.grayExact === false);
const offBar = results.filter((r) => Math.abs(r.sizeRatio - 1) > 0.02 || Math.abs(r.psnrDiff) > 0.1);
const identical = results.filter((r) => r.identical).length;
console.log(`cwebp ${manifest.cwebp}, dwebp ${manifest.dwebp}; ${manifest.inputs.length} crops (${manifest.inputs.filter((i) => i.channels === 1).length} gray), qualities ${Math.min(...qualities)}..${Math.max(...qualities)}: ${results.length} cases in ${seconds.toFixed(1)} s`);
console.log(`decoder: ${results.length - decodeMisses.length}/${results.length} exactly dwebp's pixels`);
console.log(`encoder: ${identical}/${results.length} byte-identical with cwebp`);
console.log(`worst size ratio: ${worstSize.sizeRatio.toFixed(4)} (${worstSize.name})`);
console.log(`worst PSNR difference: ${Math.abs(worstPsnr.psnrDiff).toExponential(1)} dB (${worstPsnr.name}; float rounding when both files are the same)`);
for (const r of [...decodeMisses, ...offBar].slice(0, 20)) console.log(`  miss: ${r.name} ${JSON.stringify(r)}`);
process.exit(decodeMisses.length === 0 && offBar.length === 0 ? 0 : 1);
