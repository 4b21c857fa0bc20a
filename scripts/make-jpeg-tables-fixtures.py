#!/usr/bin/python3
"""Regenerates test/fixtures/jpeg-tables/: JPEG files written by cjpeg (libjpeg-turbo 2.1.5) with
user-supplied quantization tables (`-qtables FILE -baseline`), and the pixels djpeg decodes from
each, for the `tables` option of encodeJpeg / jpegRoundTrip. Run with Debian's Python and
libjpeg-turbo-progs (apt-get install libjpeg-turbo-progs):

    /usr/bin/python3 scripts/make-jpeg-tables-fixtures.py

Inputs are a few of test/fixtures/jpeg/inputs/*.bin (RGB and gray, odd sizes included). Tables
are written to cjpeg's -qtables file in natural row-major order (cjpeg's own order: the file lists
64 values per table, row by row, table 0 = luma, 1 = chroma). cjpeg scales -qtables by the
-quality factor (jpeg_quality_scaling: 100% when -quality is absent or 50); this script passes no
-quality and checks that `-quality 50` writes the same bytes, and that `-quality 75` (50%) does not.

Writes test/fixtures/jpeg-tables/manifest.json ({ libjpegTurbo, tables, cases }) and one .jpg per
case; the format is in test/fixtures/jpeg-tables/README.md.
"""
import hashlib
import json
import os
import subprocess
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INPUTS = os.path.join(ROOT, 'test', 'fixtures', 'jpeg')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'jpeg-tables')

IMAGES = ['astronaut-32x32', 'coffee-33x31', 'chelsea-17x9', 'noise-23x19', 'camera-40x24', 'astronaut-gray-9x17']
# cjpeg -sample for each subsampling (luma factors; chroma 1x1)
SAMPLE = {'4:2:0': '2x2,1x1,1x1', '4:2:2': '2x1,1x1,1x1', '4:4:4': '1x1,1x1,1x1'}

ANNEX_K_LUMA = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
]
ANNEX_K_CHROMA = [
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
    47, 66, 99, 99, 99, 99, 99, 99] + [99] * 32


def tables():
    """name -> (luma, chroma), natural order, integers 1..255."""
    rc = [(r, c) for r in range(8) for c in range(8)]
    rng = np.random.default_rng(2024)
    t = {}
    t['ones'] = ([1] * 64, [1] * 64)
    t['max'] = ([255] * 64, [255] * 64)
    t['random'] = (rng.integers(1, 256, 64).tolist(), rng.integers(1, 256, 64).tolist())
    t['random-small'] = (rng.integers(1, 13, 64).tolist(), rng.integers(1, 13, 64).tolist())
    same = rng.integers(1, 100, 64).tolist()
    t['same-luma-chroma'] = (same, list(same))
    t['ramp'] = ([1 + 6 * (r + c) for r, c in rc], [min(255, 2 + 12 * (r + c)) for r, c in rc])
    t['inverse-ramp'] = ([1 + 6 * (14 - r - c) for r, c in rc], [min(255, 2 + 12 * (14 - r - c)) for r, c in rc])
    t['dc-fine'] = ([1] + [255] * 63, [2] + [200] * 63)
    # asymmetric in row/column, so a transposed (or zigzag-for-natural) table would show
    t['rows-only'] = ([1 + 30 * r for r, c in rc], [1 + 5 * c for r, c in rc])
    t['annex-k'] = (ANNEX_K_LUMA, ANNEX_K_CHROMA)
    for name, (l, c) in t.items():
        assert len(l) == 64 and len(c) == 64 and all(1 <= v <= 255 for v in l + c), name
    return t


def sha(b):
    return hashlib.sha256(b).hexdigest()


def read_input(manifest, name):
    inp = next(i for i in manifest['inputs'] if i['name'] == name)
    with open(os.path.join(INPUTS, inp['file']), 'rb') as fh:
        data = fh.read()
    return inp, data


def pnm(inp, data):
    magic = b'P6' if inp['channels'] == 3 else b'P5'
    return magic + b'\n%d %d\n255\n' % (inp['width'], inp['height']) + data


def parse_pnm(b):
    """Pixels of a binary PPM/PGM as written by djpeg (no comments)."""
    fields = []
    p = 0
    while len(fields) < 4:
        while b[p:p + 1].isspace():
            p += 1
        q = p
        while not b[q:q + 1].isspace():
            q += 1
        fields.append(b[p:q])
        p = q
    return b[p + 1:], int(fields[1]), int(fields[2])


def run(args, cwd):
    return subprocess.run(args, capture_output=True, check=True, cwd=cwd).stdout


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith('.jpg'):
            os.remove(os.path.join(OUT, f))
    with open(os.path.join(INPUTS, 'manifest.json')) as fh:
        manifest = json.load(fh)
    version = subprocess.run(['cjpeg', '-version'], capture_output=True, text=True).stderr.strip()
    all_tables = tables()
    cases = []
    with tempfile.TemporaryDirectory() as d:
        for tname, (luma, chroma) in all_tables.items():
            qfile = os.path.join(d, tname + '.txt')
            with open(qfile, 'w') as fh:
                for tbl in (luma, chroma):
                    for r in range(8):
                        fh.write(' '.join(str(v) for v in tbl[r * 8:r * 8 + 8]) + '\n')
                    fh.write('\n')
            for name in IMAGES:
                inp, data = read_input(manifest, name)
                src = os.path.join(d, 'in.ppm' if inp['channels'] == 3 else 'in.pgm')
                with open(src, 'wb') as fh:
                    fh.write(pnm(inp, data))
                subs = list(SAMPLE) if inp['channels'] == 3 else ['gray']
                for sub in subs:
                    args = ['cjpeg', '-baseline', '-qtables', qfile]
                    if sub != 'gray':
                        args += ['-sample', SAMPLE[sub]]
                    jpg = run(args + [src], d)
                    # -quality 50 scales -qtables by 100%: the same file; -quality 75 (50%) differs
                    assert run(args[:1] + ['-quality', '50'] + args[1:] + [src], d) == jpg, (tname, name, sub)
                    if tname not in ('ones',):
                        assert run(args[:1] + ['-quality', '75'] + args[1:] + [src], d) != jpg, (tname, name, sub)
                    jpath = os.path.join(d, 'out.jpg')
                    with open(jpath, 'wb') as fh:
                        fh.write(jpg)
                    pixels, w, h = parse_pnm(run(['djpeg', '-pnm', jpath], d))
                    assert (w, h) == (inp['width'], inp['height']) and len(pixels) == len(data)
                    file = f'{tname}-{name}-{sub.replace(":", "")}.jpg'
                    with open(os.path.join(OUT, file), 'wb') as fh:
                        fh.write(jpg)
                    cases.append({
                        'tables': tname, 'input': name, 'subsampling': sub, 'file': file,
                        'jpegSha256': sha(jpg), 'pixelsSha256': sha(pixels),
                    })
    out = {
        'libjpegTurbo': version,
        'command': 'cjpeg -baseline -qtables FILE [-sample 2x2|2x1|1x1,1x1,1x1] in.ppm; djpeg -pnm',
        'inputsFrom': 'test/fixtures/jpeg/manifest.json',
        'tables': {k: {'luma': v[0], 'chroma': v[1]} for k, v in all_tables.items()},
        'cases': cases,
    }
    with open(os.path.join(OUT, 'manifest.json'), 'w') as fh:
        # one table and one case per line
        fh.write('{\n')
        for key in ('libjpegTurbo', 'command', 'inputsFrom'):
            fh.write(f' {json.dumps(key)}: {json.dumps(out[key])},\n')
        fh.write(' "tables": {\n' + ',\n'.join(f'  {json.dumps(k)}: {json.dumps(v)}' for k, v in out['tables'].items()) + '\n },\n')
        fh.write(' "cases": [\n' + ',\n'.join(f'  {json.dumps(c)}' for c in cases) + '\n ]\n}\n')
    print(f'{len(cases)} cases, {version}')


if __name__ == '__main__':
    main()
