/**
 * Checks encodeJpeg against Pillow on whole scikit-image photos (too big for committed fixtures):
 * writes Pillow's files with Debian's /usr/bin/python3 into a temporary folder, encodes the same
 * pixels here and compares bytes. Run: `npx tsx scripts/check-jpeg-large.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeJpeg, type ChromaSubsampling } from '../src/image/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'jpeg-large-'));
const python = String.raw`
import io, json, sys
import numpy as np
from PIL import Image
out = sys.argv[1]
meta = []
for name, ext in [('astronaut', 'png'), ('chelsea', 'png'), ('coffee', 'png'), ('camera', 'png'), ('hubble_deep_field', 'jpg')]:
    im = Image.open(f'/usr/lib/python3/dist-packages/skimage/data/{name}.{ext}')
    im = im.convert('L' if name == 'camera' else 'RGB')
    a = np.asarray(im)
    open(f'{out}/{name}.bin', 'wb').write(a.tobytes())
    for q in (3, 19, 25, 50, 77, 95, 100):
        for sub in ((0, 1, 2) if a.ndim == 3 else (None, 0, 1, 2)):
            b = io.BytesIO()
            if sub is None: im.save(b, 'JPEG', quality=q)
            else: im.save(b, 'JPEG', quality=q, subsampling=sub)
            open(f'{out}/{name}-{q}-{sub}.jpg', 'wb').write(b.getvalue())
            meta.append([name, a.shape[1], a.shape[0], 1 if a.ndim == 2 else 3, q, sub])
json.dump(meta, open(f'{out}/meta.json', 'w'))
`;
try {
  const r = spawnSync('/usr/bin/python3', ['-c', python, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as [string, number, number, 1 | 3, number, number | null][];
  const subs: ChromaSubsampling[] = ['4:4:4', '4:2:2', '4:2:0'];
  let ok = 0;
  for (const [name, width, height, channels, q, sub] of meta) {
    const data = new Uint8Array(readFileSync(path.join(dir, `${name}.bin`)));
    const ref = readFileSync(path.join(dir, `${name}-${q}-${sub === null ? "None" : sub}.jpg`));
    const ours = encodeJpeg({ width, height, channels, data }, q, sub === null ? {} : { subsampling: subs[sub] });
    if (Buffer.from(ours).equals(ref)) ok++;
    else console.log(`DIFFERENT: ${name} ${width}x${height} q${q} subsampling=${sub}`);
  }
  console.log(`${ok} / ${meta.length} byte-identical with Pillow`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
