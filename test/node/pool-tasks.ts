/** Worker tasks used only by the tests of the pool (registered here, not in shipped code). */
import { threadId } from 'node:worker_threads';
import { registerWorkerTask } from '../../src/node/parallel.js';

/** The URL workers import to find these tasks (`entry` of `createWorkerPool`). */
export const POOL_TASKS_ENTRY = import.meta.url;

registerWorkerTask<{ scale: number }, { ms: number }, { threadId: number; spins: number }>('__spin', {
  init: (init) => async (job) => {
    const end = performance.now() + job.ms * init.scale;
    let spins = 0;
    while (performance.now() < end) spins++;
    return { threadId, spins };
  },
});

interface SharedTestData {
  train: { images: { data: Uint8Array }[]; labels: number[] };
  test: { images: { data: Uint8Array }[]; labels: number[] };
}

registerWorkerTask<{ data: SharedTestData }, { fail?: string; touch?: number }, { train: number; sum: number }>('__data', {
  init: (init) => async (job, post) => {
    if (job.fail) throw new RangeError(job.fail);
    post({ progress: init.data.train.images.length });
    if (job.touch !== undefined) init.data.train.images[0].data[0] = job.touch;
    let sum = 0;
    for (const image of init.data.test.images) for (const v of image.data) sum += v;
    return { train: init.data.train.images.length, sum };
  },
});
