/**
 * Is the Fashion-MNIST accuracy gap between our sweep and the PyTorch peer the trainer's or the
 * initialization's? Trains model A at width 0.25 on the sweep's 3,000 uncompressed training
 * images (all of them, no validation split, like the peer), Adam 1e-3, batch 64, 5 epochs, and
 * prints the final-epoch test accuracy on the 1,000 test images over `SEEDS` seeds (default 4),
 * with Keras' initialization (glorot-uniform kernels, zero biases: our default) and with
 * PyTorch's (`initializer: 'pytorch'`). Then runs the same in PyTorch with its default
 * initialization and with `xavier_uniform_` kernels and zero biases (Keras'), seeds 1..SEEDS,
 * on the peer script's own data picks and model (../shared/peers/pytorch_fashion_sweep.py up to
 * its level loop, executed as it is).
 * If each initialization gives the same mean on both sides, the trainers agree and the gap is
 * the initialization's.
 *
 * `HOLDOUT=f` trains ours on the training images less a stratified `f` (as the sweep's
 * validation split, `stratifiedSplit` with seed 1), `SKIP_PEER=1` leaves out the PyTorch half.
 *
 * Run: `npx tsx bench/fashion-init-ab.ts` (needs dataset-fashion-mnist, python3-torch).
 */
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stratifiedSplit } from '../src/data/split.js';
import { imagesToTensor, labelsToOneHot } from '../src/data/tensors.js';
import { buildImageModel } from '../src/models/image.js';
import { trainClassifier } from '../src/models/train.js';
import { useBackend } from '../src/node/backend.js';
import { meanInterval } from '../src/stats/mean-interval.js';
import { PEERS_DIR } from './peer.js';
import { FASHION_INSTALL, loadFashionSweepData } from './train-fashion-data.js';

const SEEDS = Number(process.env.SEEDS ?? 4);

/** The peer script's own data picks and model `A` (everything before its level loop), then this A/B's loop. */
const PEER_SCRIPT = path.join(PEERS_DIR, 'pytorch_fashion_sweep.py');
const LEVEL_LOOP = 'for q in (1, 5, 20, 100):';

const PEER = String.raw`
import sys, torch, torch.nn as nn
src = open(sys.argv[2]).read()
exec(src[:src.index(sys.argv[3])])
a = torch.tensor(xtr[:, None] / 255., dtype=torch.float32); b = torch.tensor(xte[:, None] / 255., dtype=torch.float32)
ya, yb = torch.tensor(ytr), torch.tensor(yte)
for init in ('pytorch', 'keras'):
    for seed in range(1, int(sys.argv[1]) + 1):
        torch.manual_seed(seed); m = A()
        if init == 'keras':
            for l in m:
                if isinstance(l, nn.Conv2d): nn.init.xavier_uniform_(l.weight); nn.init.zeros_(l.bias)
        opt = torch.optim.Adam(m.parameters(), 1e-3)
        for e in range(5):
            m.train(); perm = torch.randperm(len(a))
            for i in range(0, len(a), 64):
                j = perm[i:i + 64]; opt.zero_grad(); nn.functional.cross_entropy(m(a[j]), ya[j]).backward(); opt.step()
        m.eval()
        with torch.no_grad(): print(init, seed, (m(b).argmax(1) == yb).float().mean().item(), flush=True)
`;

function summary(label: string, xs: number[]): void {
  const ci = meanInterval(xs);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`${label}: mean ${mean.toFixed(3)} (95% t interval ${ci.low.toFixed(3)} to ${ci.high.toFixed(3)}) over ${xs.map((x) => x.toFixed(3)).join(', ')}`);
}

async function main(): Promise<void> {
  const data = await loadFashionSweepData();
  if (data === null) {
    console.log(`Fashion-MNIST not installed: ${FASHION_INSTALL}`);
    return;
  }
  const backend = await useBackend('auto', { threads: process.env.THREADS ? Number(process.env.THREADS) : 'auto' });
  const holdout = Number(process.env.HOLDOUT ?? 0);
  const keep = holdout > 0 ? stratifiedSplit(data.train.labels, { testFraction: holdout, seed: 1 }).train : data.train.labels.map((_, i) => i);
  const x = imagesToTensor(keep.map((i) => data.train.images[i]));
  const y = labelsToOneHot(keep.map((i) => data.train.labels[i]), 10);
  const tx = imagesToTensor(data.test.images);
  const ty = labelsToOneHot(data.test.labels, 10);
  console.log(`backend ${backend}; model A width 0.25, ${keep.length} train${holdout > 0 ? ` (${holdout} held out)` : ' (no validation split)'} / 1000 test, Adam 1e-3, batch 64, 5 epochs, final-epoch test accuracy`);
  for (const initializer of ['keras', 'pytorch'] as const) {
    const accs: number[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const model = buildImageModel('A', { inputShape: [28, 28, 1], widthMultiplier: 0.25, seed, initializer });
      const r = await trainClassifier(model, { train: { x, y }, validation: { x: tx, y: ty }, epochs: 5, batchSize: 64, optimizer: 'adam', seed });
      accs.push(r.lastAccuracy);
      model.dispose();
    }
    summary(`ours, ${initializer} init`, accs);
  }
  tf.dispose([x, y, tx, ty]);
  if (process.env.SKIP_PEER === '1') return;
  if (!existsSync(PEER_SCRIPT) || !readFileSync(PEER_SCRIPT, 'utf8').includes(LEVEL_LOOP)) {
    console.log(`PyTorch: unavailable (${PEER_SCRIPT} missing, or without its level loop "${LEVEL_LOOP}")`);
    return;
  }
  const r = spawnSync('/usr/bin/python3', ['-c', PEER, String(SEEDS), PEER_SCRIPT, LEVEL_LOOP], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    console.log(`PyTorch: unavailable (${(r.stderr || r.error?.message || '').trim().split('\n').slice(-1)[0]})`);
    return;
  }
  for (const init of ['pytorch', 'keras']) {
    const accs = r.stdout.trim().split('\n').map((l) => l.split(' ')).filter((p) => p[0] === init).map((p) => Number(p[2]));
    summary(`PyTorch, ${init} init`, accs);
  }
}

await main();
