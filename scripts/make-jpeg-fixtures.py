#!/usr/bin/python3
"""Regenerates test/fixtures/jpeg/: golden JPEG hashes made with Pillow (libjpeg-turbo).

Run from the repository root with Debian's Python (it has Pillow 9.4, numpy, scikit-image):

    /usr/bin/python3 scripts/make-jpeg-fixtures.py

Writes:
  test/fixtures/jpeg/inputs/<name>.bin   raw pixels of each input (H x W x C, row-major, uint8)
  test/fixtures/jpeg/manifest.json       inputs and, per (input, quality, subsampling), the length
                                         and SHA-256 of Pillow's JPEG bytes and the SHA-256 of the
                                         pixels Pillow decodes from them
  test/fixtures/jpeg/debug/*.jpg         a few whole Pillow files, to diff bytes when debugging
The format is described in test/fixtures/jpeg/README.md.
"""
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import PIL
from PIL import Image, features

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'jpeg')
SKIMAGE_DATA = '/usr/lib/python3/dist-packages/skimage/data'

# Inputs whose top-left crops of every size up to CROP_MAX x CROP_MAX are cases too, named
# '<input>@<w>x<h>', each at one quality crop_quality(w, h).
CROP_BASES = ['astronaut-32x32', 'camera-33x31']
CROP_MAX = 24


def crop_quality(w, h):
    return 1 + (w * 37 + h * 11) % 100


SUBSAMPLINGS = {'4:2:0': 2, '4:2:2': 1, '4:4:4': 0}


def photo(name, x, y, w, h, gray=False):
    im = Image.open(os.path.join(SKIMAGE_DATA, name + '.png'))
    im = im.convert('L' if gray else 'RGB')
    arr = np.asarray(im)[y:y + h, x:x + w]
    assert arr.shape[:2] == (h, w), (name, arr.shape)
    return np.ascontiguousarray(arr), f'skimage data/{name}.png crop x={x} y={y} w={w} h={h}' + (' (as L)' if gray else '')


def noise(seed, w, h, channels):
    rng = np.random.default_rng(seed)
    shape = (h, w, channels) if channels == 3 else (h, w)
    return rng.integers(0, 256, size=shape, dtype=np.uint8), f'uniform noise 0..255, numpy default_rng({seed})'


def inputs():
    yield 'astronaut-32x32', *photo('astronaut', 200, 100, 32, 32)
    yield 'astronaut-64x48', *photo('astronaut', 150, 60, 64, 48)
    yield 'coffee-33x31', *photo('coffee', 250, 120, 33, 31)
    yield 'chelsea-17x9', *photo('chelsea', 140, 90, 17, 9)
    yield 'chelsea-7x13', *photo('chelsea', 200, 150, 7, 13)
    yield 'chelsea-100x75', *photo('chelsea', 100, 60, 100, 75)
    yield 'chelsea-160x120', *photo('chelsea', 80, 40, 160, 120)
    yield 'coffee-1x17', *photo('coffee', 300, 200, 1, 17)
    yield 'coffee-19x1', *photo('coffee', 100, 300, 19, 1)
    yield 'coffee-2x2', *photo('coffee', 320, 210, 2, 2)
    yield 'astronaut-1x1', *photo('astronaut', 250, 250, 1, 1)
    yield 'noise-32x32', *noise(1, 32, 32, 3)
    yield 'noise-23x19', *noise(2, 23, 19, 3)
    yield 'camera-40x24', *photo('camera', 200, 100, 40, 24, gray=True)
    yield 'camera-13x7', *photo('camera', 300, 300, 13, 7, gray=True)
    yield 'astronaut-gray-9x17', *photo('astronaut', 220, 120, 9, 17, gray=True)
    yield 'noise-gray-16x16', *noise(3, 16, 16, 1)
    yield 'camera-1x1', *photo('camera', 100, 100, 1, 1, gray=True)
    yield 'coffee-gray-1x17', *photo('coffee', 300, 200, 1, 17, gray=True)
    yield 'camera-33x31', *photo('camera', 60, 260, 33, 31, gray=True)


def encode(arr, quality, subsampling, gray_subsampling=False):
    """Pillow's file; gray inputs get no `subsampling` unless gray_subsampling is set."""
    im = Image.fromarray(arr)
    buf = io.BytesIO()
    if arr.ndim == 3 or gray_subsampling:
        im.save(buf, 'JPEG', quality=quality, subsampling=SUBSAMPLINGS[subsampling])
    else:
        im.save(buf, 'JPEG', quality=quality)
    return buf.getvalue()


def cjpeg(arr, quality, subsampling):
    """The same file written by libjpeg-turbo's cjpeg, to check that Pillow == cjpeg."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, 'in.pnm')
        Image.fromarray(arr).save(src)
        sample = {'4:2:0': '2x2', '4:2:2': '2x1', '4:4:4': '1x1'}[subsampling]
        args = ['cjpeg', '-quality', str(quality), '-baseline']
        if arr.ndim == 3:
            args += ['-sample', f'{sample},1x1,1x1']
        return subprocess.run(args + [src], check=True, capture_output=True).stdout


def main():
    os.makedirs(os.path.join(OUT, 'inputs'), exist_ok=True)
    os.makedirs(os.path.join(OUT, 'debug'), exist_ok=True)
    manifest = {
        'generator': 'scripts/make-jpeg-fixtures.py',
        'pillow': PIL.__version__,
        'libjpeg': features.version('jpg'),
        'libjpegTurbo': bool(features.check_feature('libjpeg_turbo')),
        'crops': {'bases': CROP_BASES, 'max': CROP_MAX, 'quality': '1 + (w * 37 + h * 11) % 100'},
        'inputs': [],
        'cases': [],
    }
    cjpeg_checked = 0
    for name, arr, source in inputs():
        channels = 3 if arr.ndim == 3 else 1
        h, w = arr.shape[:2]
        with open(os.path.join(OUT, 'inputs', name + '.bin'), 'wb') as f:
            f.write(arr.tobytes())
        manifest['inputs'].append({'name': name, 'file': f'inputs/{name}.bin', 'width': w, 'height': h,
                                   'channels': channels, 'source': source})
        subs = ['4:2:0', '4:2:2', '4:4:4'] if channels == 3 else ['4:2:0']
        for sub in subs:
            for q in range(1, 101):
                data = encode(arr, q, sub)
                pixels = np.ascontiguousarray(np.asarray(Image.open(io.BytesIO(data))))
                assert pixels.shape == arr.shape, (name, pixels.shape)
                manifest['cases'].append([name, q, sub if channels == 3 else 'gray', len(data),
                                          hashlib.sha256(data).hexdigest(),
                                          hashlib.sha256(pixels.tobytes()).hexdigest()])
                if q in (1, 19, 25, 50, 75, 80, 100) and (sub == '4:2:0' or q == 75):
                    assert cjpeg(arr, q, sub) == data, f'cjpeg differs from Pillow: {name} q{q} {sub}'
                    cjpeg_checked += 1
    # Every size 1..24 x 1..24 as a top-left crop of two inputs, one quality per size.
    arrays = {name: arr for name, arr, _ in inputs()}
    for base in CROP_BASES:
        arr0 = arrays[base]
        for h in range(1, CROP_MAX + 1):
            for w in range(1, CROP_MAX + 1):
                arr = np.ascontiguousarray(arr0[:h, :w])
                q = crop_quality(w, h)
                subs = ['4:2:0', '4:2:2', '4:4:4'] if arr.ndim == 3 else ['4:2:0']
                for sub in subs:
                    data = encode(arr, q, sub)
                    pixels = np.ascontiguousarray(np.asarray(Image.open(io.BytesIO(data))))
                    assert pixels.shape == arr.shape
                    manifest['cases'].append([f'{base}@{w}x{h}', q, sub if arr.ndim == 3 else 'gray', len(data),
                                              hashlib.sha256(data).hexdigest(),
                                              hashlib.sha256(pixels.tobytes()).hexdigest()])
    # Gray inputs saved with an explicit subsampling: Pillow then writes the luma sampling factors
    # (2x2, 2x1) of that subsampling into SOF for the single component; nothing else changes.
    manifest['grayWithSubsampling'] = []
    for name in ('camera-13x7', 'astronaut-gray-9x17', 'camera-33x31'):
        for q in (1, 25, 50, 75, 100):
            for sub in ('4:2:0', '4:2:2', '4:4:4'):
                data = encode(arrays[name], q, sub, gray_subsampling=True)
                pixels = np.ascontiguousarray(np.asarray(Image.open(io.BytesIO(data))))
                manifest['grayWithSubsampling'].append([name, q, sub, len(data), hashlib.sha256(data).hexdigest(),
                                                        hashlib.sha256(pixels.tobytes()).hexdigest()])
    debug = [('astronaut-32x32', q, '4:2:0') for q in (1, 25, 50, 75, 100)]
    debug += [('coffee-33x31', 75, '4:2:2'), ('coffee-33x31', 75, '4:4:4'), ('camera-13x7', 50, 'gray'),
              ('astronaut-1x1', 75, '4:2:0')]
    manifest['debug'] = []
    for name, q, sub in debug:
        fname = f'debug/{name}-q{q}-{sub.replace(":", "")}.jpg'
        with open(os.path.join(OUT, fname), 'wb') as f:
            f.write(encode(arrays[name], q, sub))
        manifest['debug'].append({'input': name, 'quality': q, 'subsampling': sub, 'file': fname})
    manifest['cjpegChecked'] = cjpeg_checked
    with open(os.path.join(OUT, 'manifest.json'), 'w') as f:
        f.write('{\n')
        keys = [k for k in manifest if k not in ('inputs', 'cases', 'debug', 'grayWithSubsampling')]
        for k in keys:
            f.write(f'  {json.dumps(k)}: {json.dumps(manifest[k])},\n')
        for k in ('inputs', 'debug', 'grayWithSubsampling', 'cases'):
            f.write(f'  {json.dumps(k)}: [\n')
            rows = manifest[k]
            for i, row in enumerate(rows):
                f.write('    ' + json.dumps(row) + (',' if i + 1 < len(rows) else '') + '\n')
            f.write('  ]' + (',' if k != 'cases' else '') + '\n')
        f.write('}\n')
    print(f'{len(manifest["inputs"])} inputs, {len(manifest["cases"])} cases, '
          f'{cjpeg_checked} checked identical to cjpeg', file=sys.stderr)


if __name__ == '__main__':
    main()
