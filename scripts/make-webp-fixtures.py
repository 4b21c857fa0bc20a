#!/usr/bin/python3
"""Regenerates test/fixtures/webp/: lossy WebP files made by Debian's cwebp and the pixels dwebp
decodes from them, on small crops of scikit-image's photos.

Run from the repository root with Debian's Python and tools
(apt-get install webp python3-skimage python3-numpy python3-pil):

    /usr/bin/python3 scripts/make-webp-fixtures.py            # the committed fixtures
    /usr/bin/python3 scripts/make-webp-fixtures.py --heldout DIR
        # crops of other photos at every quality 0..100, into DIR, for
        # `npx tsx scripts/check-webp-heldout.ts DIR` (not committed: photos the suite has not seen)

Writes (into test/fixtures/webp/ or DIR):
  inputs/<name>.bin        raw pixels of each crop (H x W x C, row-major, uint8; C = 1 for gray)
  files/<name>-q<Q>[-m<M>].webp   `cwebp -q Q [-m M]` of the crop saved as PNG (gray PNGs are
                           expanded to R = G = B by cwebp itself)
  decoded/<case>.rgb       `dwebp -ppm` pixels (H x W x 3), for the small crops only (all in DIR)
  manifest.json            per case: input, quality, method, file size, the SHA-256 of dwebp's RGB
                           pixels, for gray crops the SHA-256 of Pillow's convert('L') of them, and
                           the PSNR of those pixels against the crop
"""
import hashlib
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
SKIMAGE_DATA = '/usr/lib/python3/dist-packages/skimage/data'

# Crops the suite checks: name, photo, x, y, w, h, gray.
SUITE_CROPS = [
    ('astronaut-96x72', 'astronaut.png', 150, 60, 96, 72, False),
    ('astronaut-16x16', 'astronaut.png', 200, 100, 16, 16, False),
    ('chelsea-64x48', 'chelsea.png', 120, 80, 64, 48, False),
    ('coffee-33x25', 'coffee.png', 250, 150, 33, 25, False),
    ('camera-96x72', 'camera.png', 180, 60, 96, 72, True),
    ('camera-24x16', 'camera.png', 230, 120, 24, 16, True),
    ('moon-40x40', 'moon.png', 200, 200, 40, 40, True),
]
SUITE_QUALITIES = [0, 1, 3, 7, 12, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 98, 100]
# Extra cases for cwebp's -m (method): (crop, quality, method).
SUITE_METHODS = [('chelsea-64x48', 30, 0), ('chelsea-64x48', 75, 6), ('camera-24x16', 50, 2)]
# Decoded pixels are committed for crops up to this many pixels (hashes for all).
RAW_MAX_PIXELS = 1000

# Photos the suite never sees, for --heldout: (photo, gray).
HELDOUT_PHOTOS = [
    ('motorcycle_left.png', False), ('rocket.jpg', False), ('ihc.png', False),
    ('retina.jpg', False), ('hubble_deep_field.jpg', False), ('color.png', False),
    ('coins.png', True), ('page.png', True), ('grass.png', True), ('gravel.png', True),
    ('brick.png', True), ('text.png', True),
]
HELDOUT_SIZES = [(16, 16), (17, 33), (24, 20), (32, 32), (48, 36), (64, 48), (96, 72)]
HELDOUT_CROPS_PER_PHOTO = 2
HELDOUT_SEED = 20261202


def tool_version(tool):
    return subprocess.run([tool, '-version'], capture_output=True, text=True, check=True).stdout.strip()


def crop(photo, x, y, w, h, gray):
    im = Image.open(os.path.join(SKIMAGE_DATA, photo)).convert('L' if gray else 'RGB')
    arr = np.asarray(im)[y:y + h, x:x + w]
    assert arr.shape[:2] == (h, w), (photo, x, y, w, h, arr.shape)
    return np.ascontiguousarray(arr)


def read_ppm(path):
    with open(path, 'rb') as f:
        data = f.read()
    # dwebp writes "P6\n<w> <h>\n255\n"; exactly one whitespace byte ends the header.
    header = re.match(rb'P6\s+(\d+)\s+(\d+)\s+255\s', data)
    assert header, data[:20]
    w, h = int(header.group(1)), int(header.group(2))
    pixels = np.frombuffer(data[header.end():], dtype=np.uint8)
    assert pixels.size == w * h * 3
    return pixels.reshape(h, w, 3)


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return None if mse == 0 else 10 * math.log10(255 * 255 / mse)


def make(out, crops, qualities, methods, raw_max_pixels, source_note):
    for sub in ('inputs', 'files', 'decoded'):
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
        os.makedirs(os.path.join(out, sub))
    inputs = []
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, photo, x, y, w, h, gray in crops:
            arr = crop(photo, x, y, w, h, gray)
            arr.tofile(os.path.join(out, 'inputs', name + '.bin'))
            png = os.path.join(tmp, name + '.png')
            Image.fromarray(arr).save(png)
            inputs.append({'name': name, 'width': w, 'height': h, 'channels': 1 if gray else 3,
                           'source': f'skimage data/{photo} crop x={x} y={y} w={w} h={h}' + (' (as L)' if gray else '')})
            runs = [(q, None) for q in qualities] + [(q, m) for (c, q, m) in methods if c == name]
            for q, m in runs:
                case = f'{name}-q{q}' + ('' if m is None else f'-m{m}')
                webp = os.path.join(out, 'files', case + '.webp')
                cmd = ['cwebp', '-quiet', '-q', str(q)] + ([] if m is None else ['-m', str(m)]) + [png, '-o', webp]
                subprocess.run(cmd, check=True)
                ppm = os.path.join(tmp, case + '.ppm')
                subprocess.run(['dwebp', '-quiet', webp, '-ppm', '-o', ppm], check=True)
                rgb = read_ppm(ppm)
                assert rgb.shape == (h, w, 3)
                entry = {'input': name, 'quality': q, 'method': 4 if m is None else m,
                         'file': f'files/{case}.webp', 'bytes': os.path.getsize(webp),
                         'rgbSha256': hashlib.sha256(rgb.tobytes()).hexdigest()}
                if gray:
                    luma = np.asarray(Image.fromarray(rgb).convert('L'))
                    entry['graySha256'] = hashlib.sha256(luma.tobytes()).hexdigest()
                    entry['psnr'] = psnr(luma, arr)
                else:
                    entry['psnr'] = psnr(rgb, arr)
                if w * h <= raw_max_pixels:
                    rgb.tofile(os.path.join(out, 'decoded', case + '.rgb'))
                    entry['decoded'] = f'decoded/{case}.rgb'
                cases.append(entry)
    manifest = {
        'generator': 'scripts/make-webp-fixtures.py',
        'source': source_note,
        'cwebp': tool_version('cwebp'), 'dwebp': tool_version('dwebp'),
        'note': 'psnr (dB) of the decoded pixels against the crop over all samples (gray crops: Pillow L of dwebp RGB); null when identical',
        'inputs': inputs, 'cases': cases,
    }
    with open(os.path.join(out, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\n')
    print(f'{len(inputs)} inputs, {len(cases)} cases into {out}')


def heldout_crops():
    rng = random.Random(HELDOUT_SEED)
    crops = []
    for photo, gray in HELDOUT_PHOTOS:
        ph, pw = np.asarray(Image.open(os.path.join(SKIMAGE_DATA, photo))).shape[:2]
        for k in range(HELDOUT_CROPS_PER_PHOTO):
            w, h = rng.choice(HELDOUT_SIZES)
            x, y = rng.randrange(0, pw - w), rng.randrange(0, ph - h)
            crops.append((f'{photo.split(".")[0]}-{k}-{w}x{h}', photo, x, y, w, h, gray))
    return crops


def main():
    if len(sys.argv) == 3 and sys.argv[1] == '--heldout':
        make(sys.argv[2], heldout_crops(), list(range(101)), [], 10 ** 9,
             f'held-out crops (seed {HELDOUT_SEED}) of photos the suite does not use')
    elif len(sys.argv) == 1:
        make(os.path.join(ROOT, 'test', 'fixtures', 'webp'), SUITE_CROPS, SUITE_QUALITIES, SUITE_METHODS,
             RAW_MAX_PIXELS, 'crops of skimage photos')
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
