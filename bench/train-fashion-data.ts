/**
 * The Fashion-MNIST images of the time-to-answer sweep, picked exactly as the PyTorch peer
 * (`../shared/peers/pytorch_fashion_sweep.py`) picks them: a Fisher-Yates shuffle of all indices
 * driven by the LCG s = (s * 1103515245 + 12345) mod 2^31 (train seed 17, test seed 29), the
 * first `count` of the shuffled order, in that order. Data: Debian's `dataset-fashion-mnist`.
 */
import { existsSync } from 'node:fs';
import type { LabeledImages } from '../src/noise/types.js';
import { loadIdxDataset } from '../src/node/loaders/idx.js';

/** Where Debian's `dataset-fashion-mnist` puts the four IDX files. */
export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

/** The install hint printed when the data or the peer's Python packages are missing. */
export const FASHION_INSTALL = 'apt-get install dataset-fashion-mnist python3-torch python3-pil python3-numpy';

/** The peer's pick: the first `count` indices of its LCG-driven Fisher-Yates shuffle of 0..total-1. */
export function peerPick(total: number, count: number, seed: number): number[] {
  let s = BigInt(seed);
  const rnd = (): number => {
    s = (s * 1103515245n + 12345n) % 2147483648n;
    return Number(s) / 2147483648;
  };
  const order = Array.from({ length: total }, (_, i) => i);
  for (let i = total - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, count);
}

/** The sweep's train (3,000) and test (1,000) images, or null when the data set is not installed. */
export async function loadFashionSweepData(train = 3000, test = 1000): Promise<{ train: LabeledImages; test: LabeledImages } | null> {
  if (!existsSync(FASHION_DIR)) return null;
  const all = await loadIdxDataset(FASHION_DIR);
  const pick = (set: LabeledImages, count: number, seed: number): LabeledImages => {
    const ids = peerPick(set.labels.length, count, seed);
    return { images: ids.map((i) => set.images[i]), labels: ids.map((i) => set.labels[i]) };
  };
  return { train: pick(all.train, train, 17), test: pick(all.test, test, 29) };
}
