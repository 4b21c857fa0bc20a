/**
 * The README's example: a noise estimate on synthetic sensor images in a dozen lines.
 *
 *   npx tsx examples/quickstart.ts          # about 1-2 minutes on 2 cores
 *   QUICKSTART_TINY=1 npx tsx examples/quickstart.ts   # seconds (the test's settings)
 */
import { estimateNoise, syntheticSensorImages } from 'helmholtz-ml';
import { useBackend } from 'helmholtz-ml/node'; // in a browser: register any tfjs backend instead

const tiny = process.env.QUICKSTART_TINY === '1';
await useBackend('auto');
const train = syntheticSensorImages({ count: tiny ? 60 : 800, size: tiny ? 16 : 32, noise: 12, seed: 1 });
const test = syntheticSensorImages({ count: tiny ? 30 : 300, size: tiny ? 16 : 32, noise: 12, seed: 2 });
const result = await estimateNoise({
  data: { train, test },
  levels: tiny ? [5, 25, 100] : [1, 5, 10, 20, 50, 100],
  modelOptions: { widthMultiplier: tiny ? 0.125 : 0.25 },
  epochs: tiny ? 1 : 8,
  batchSize: 16,
});
console.log('knee (N_approx):', result.knee ?? `none (${result.kneeReason})`);
console.log('content at the knee:', result.content ? `${result.content.measured.toFixed(2)} bits per pixel measured` : 'none (no knee)');
console.log(result.recommendation.reason);
