#!/usr/bin/python3
"""Regenerates test/fixtures/jpeg-decode/: JPEG files of every kind decodeJpeg meets, written
by cjpeg (libjpeg-turbo 2.1.5) and Pillow 9.4, with the pixels Pillow decodes from each (as a
SHA-256), or the error decodeJpeg must give. Run with Debian's Python (python3-pil,
python3-numpy, python3-skimage, libjpeg-turbo-progs):

    /usr/bin/python3 scripts/make-jpeg-decode-fixtures.py
"""
import hashlib
import io
import json
import os
import subprocess
import tempfile

import numpy as np
import PIL
from PIL import Image
from skimage import data as skdata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'jpeg-decode')


def sha(b):
    return hashlib.sha256(b).hexdigest()


def cjpeg(pixels, args):
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, 'in.ppm' if pixels.ndim == 3 else 'in.pgm')
        Image.fromarray(pixels).save(src)
        return subprocess.run(['cjpeg'] + args + [src], capture_output=True, check=True, cwd=d).stdout


def pillow_decode(data):
    im = Image.open(io.BytesIO(data))
    im.load()
    return im.mode, np.asarray(im)


def segments(data):
    """(marker, start, end) of each marker segment before the first SOS, SOS included."""
    out = []
    p = 2
    while p < len(data):
        m = data[p + 1]
        length = (data[p + 2] << 8) | data[p + 3]
        out.append((m, p, p + 2 + length))
        if m == 0xDA:
            break
        p += 2 + length
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith('.jpg') or f.endswith('.raw'):
            os.remove(os.path.join(OUT, f))
    photo = skdata.astronaut()
    cat = skdata.chelsea()
    rgb = {
        'photo-37x23': photo[120:143, 180:217],
        'photo-64x48': cat[60:108, 120:184],
        'photo-9x40': photo[200:240, 300:309],
        'photo-4x4': cat[90:94, 150:154],
        'photo-3x5': photo[250:255, 250:253],
    }
    gray = skdata.camera()[100:131, 200:233]
    cases = []

    def add(name, data, expect='pixels', note=''):
        path = name + '.jpg'
        with open(os.path.join(OUT, path), 'wb') as fh:
            fh.write(data)
        case = {'name': name, 'file': path, 'expect': expect, 'note': note}
        if expect in ('pixels', 'close'):
            mode, px = pillow_decode(data)
            case.update({'mode': mode, 'width': px.shape[1], 'height': px.shape[0], 'pixelsSha256': sha(px.tobytes())})
            if expect == 'close':
                case['raw'] = name + '.raw'
                with open(os.path.join(OUT, case['raw']), 'wb') as fh:
                    fh.write(px.tobytes())
        cases.append(case)

    variants = [
        ('baseline', ['-quality', '60']),
        ('restart-1mcu', ['-quality', '60', '-restart', '1B']),
        ('restart-3mcu', ['-quality', '60', '-restart', '3B']),
        ('restart-1row', ['-quality', '60', '-restart', '1']),
        ('s1x2', ['-quality', '60', '-sample', '1x2']),
        ('s4x1', ['-quality', '60', '-sample', '4x1']),
        ('s1x4', ['-quality', '60', '-sample', '1x4']),
        ('s4x2', ['-quality', '60', '-sample', '4x2']),
        ('s2x1', ['-quality', '60', '-sample', '2x1']),
        ('s1x1', ['-quality', '60', '-sample', '1x1']),
        ('s-mixed', ['-quality', '60', '-sample', '2x2,2x1,1x2']),
        ('q1-16bit-tables', ['-quality', '1']),
        ('q100', ['-quality', '100']),
        ('rgb-adobe', ['-quality', '80', '-rgb']),
        ('optimized', ['-quality', '70', '-optimize']),
    ]
    for base, px in rgb.items():
        for vname, args in variants:
            add(f'{base}-{vname}', cjpeg(px, args))
    for vname, args in [('baseline', ['-quality', '60']), ('restart-2mcu', ['-quality', '60', '-restart', '2B']), ('q1-16bit-tables', ['-quality', '1']), ('s2x2', ['-quality', '60', '-sample', '2x2'])]:
        add(f'gray-33x31-{vname}', cjpeg(gray, args))

    # Sequential multi-scan (one scan per component, non-interleaved).
    with tempfile.TemporaryDirectory() as d:
        script = os.path.join(d, 'scans.txt')
        with open(script, 'w') as fh:
            fh.write('0;\n1;\n2;\n')
        for base in ('photo-37x23', 'photo-64x48'):
            add(f'{base}-multiscan', cjpeg(rgb[base], ['-quality', '60', '-scans', script]))
        with open(script, 'w') as fh:
            fh.write('0;\n1 2;\n')
        add('photo-64x48-multiscan-2', cjpeg(rgb['photo-64x48'], ['-quality', '60', '-scans', script]))

    # Pillow's own writer: grayscale with EXIF (APP1) and a 4:2:2 file.
    b = io.BytesIO()
    Image.fromarray(rgb['photo-64x48']).save(b, 'JPEG', quality=75, subsampling=1, exif=b'Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00')
    add('pillow-64x48-422-exif', b.getvalue())

    # Extra segments: a comment (COM) and an unknown APP9 after SOI, fill bytes before a marker.
    data = cjpeg(rgb['photo-37x23'], ['-quality', '70'])
    com = b'helmholtz-ml fixture'
    app9 = bytes(range(40))
    extra = b'\xff\xfe' + (len(com) + 2).to_bytes(2, 'big') + com + b'\xff\xe9' + (len(app9) + 2).to_bytes(2, 'big') + app9 + b'\xff\xff'
    add('photo-37x23-com-app9', data[:2] + extra + data[2:])

    # Motion-JPEG style: no DHT segments (decoders must use the standard tables).
    data = cjpeg(rgb['photo-37x23'], ['-quality', '60'])
    keep = bytearray(data[:2])
    segs = segments(data)
    for m, s, e in segs:
        if m != 0xC4:
            keep += data[s:e]
    keep += data[segs[-1][2]:]
    add('photo-37x23-no-dht', bytes(keep), note='DHT segments removed; standard tables apply')

    # Damaged but decodable by libjpeg (warnings only).
    data = bytearray(cjpeg(rgb['photo-64x48'], ['-quality', '60', '-restart', '1B']))
    sos_end = segments(bytes(data))[-1][2]
    rst = [i for i in range(sos_end, len(data) - 1) if data[i] == 0xFF and 0xD0 <= data[i + 1] <= 0xD7]
    data[rst[5] + 1] = 0xD0 + ((data[rst[5] + 1] - 0xD0 + 3) & 7)
    add('photo-64x48-bad-restart', bytes(data), note='one RST marker renumbered: libjpeg resynchronises')
    data = cjpeg(rgb['photo-64x48'], ['-quality', '60'])
    sos_end = segments(data)[-1][2]
    cut = sos_end + (len(data) - sos_end) // 2
    add('photo-64x48-cut-eoi', data[:cut] + b'\xff\xd9', note='scan cut in half, then EOI: the rest is gray')
    data = bytearray(cjpeg(rgb['photo-64x48'], ['-quality', '60']))
    sos_end = segments(bytes(data))[-1][2]
    for k in range(5):
        i = sos_end + 40 + 37 * k
        data[i] ^= 0x24
        if data[i] == 0xFF or data[i - 1] == 0xFF:
            data[i] ^= 0x24
    add('photo-64x48-bitflips', bytes(data), note='flipped bits in the entropy-coded data')

    # Progressive: decoded exactly (libjpeg's jdphuff.c), with restarts and odd sampling too.
    add('photo-64x48-progressive', cjpeg(rgb['photo-64x48'], ['-quality', '75', '-progressive']))
    add('photo-37x23-progressive-restart', cjpeg(rgb['photo-37x23'], ['-quality', '40', '-progressive', '-restart', '1B']))
    add('photo-9x40-progressive-s1x2', cjpeg(rgb['photo-9x40'], ['-quality', '90', '-progressive', '-sample', '1x2']))
    add('gray-33x31-progressive', cjpeg(gray, ['-quality', '75', '-progressive']))
    b = io.BytesIO()
    Image.fromarray(rgb['photo-64x48']).save(b, 'JPEG', quality=60, progressive=True)
    add('pillow-64x48-progressive', b.getvalue())
    # Progressive files whose first AC coefficients stay approximate, which libjpeg finishes
    # with block smoothing: AC never refined to Al = 0; DC only (DC interpolation too); and a
    # progressive file cut after its first scans.
    with tempfile.TemporaryDirectory() as d:
        script = os.path.join(d, 'scans.txt')
        with open(script, 'w') as fh:
            fh.write('0 1 2: 0-0, 0, 0;\n0: 1-63, 0, 1;\n1: 1-63, 0, 1;\n2: 1-63, 0, 1;\n')
        add('photo-64x48-progressive-unrefined', cjpeg(rgb['photo-64x48'], ['-quality', '75', '-scans', script]),
            note='AC never refined to Al = 0: libjpeg block smoothing')
        with open(script, 'w') as fh:
            fh.write('0 1 2: 0-0, 0, 0;\n')
        add('photo-64x48-progressive-dc-only', cjpeg(rgb['photo-64x48'], ['-quality', '75', '-scans', script]),
            note='DC only: block smoothing with DC interpolation')
    data = cjpeg(rgb['photo-64x48'], ['-quality', '75', '-progressive'])
    sos = [i for i in range(len(data) - 1) if data[i] == 0xFF and data[i + 1] == 0xDA]
    add('photo-64x48-progressive-cut', data[:sos[3]] + b'\xff\xd9', note='first 3 scans, then EOI: block smoothing')

    # Unsupported: errors.
    add('photo-37x23-arithmetic', cjpeg(rgb['photo-37x23'], ['-quality', '60', '-arithmetic']), expect='error:arithmetic')
    b = io.BytesIO()
    Image.fromarray(rgb['photo-37x23']).convert('CMYK').save(b, 'JPEG', quality=80)
    add('photo-37x23-cmyk', b.getvalue(), expect='error:4-component')
    data = bytearray(cjpeg(rgb['photo-37x23'], ['-quality', '60']))
    sof = [s for m, s, e in segments(bytes(data)) if m == 0xC0][0]
    data[sof + 4] = 12
    add('photo-37x23-12bit-header', bytes(data), expect='error:12-bit', note='precision byte patched to 12')

    # Seeded damage to real files, stored as edits (not files): the pixels Pillow decodes from
    # each damaged file (libjpeg's recovery: invalid codes, markers inside the data, bad
    # restart markers, data cut short), or 'error' where Pillow refuses it.
    rng = np.random.RandomState(2026)
    damaged = []
    bases = ['photo-64x48-baseline', 'photo-64x48-restart-1mcu', 'photo-37x23-restart-3mcu', 'photo-37x23-s-mixed',
             'photo-9x40-s4x1', 'photo-64x48-optimized', 'gray-33x31-restart-2mcu', 'photo-64x48-multiscan-2',
             'photo-64x48-progressive', 'photo-37x23-progressive-restart']
    for base in bases:
        data = open(os.path.join(OUT, base + '.jpg'), 'rb').read()
        i = data.find(b'\xff\xda')
        sos_end = i + 2 + ((data[i + 2] << 8) | data[i + 3])
        for k in range(50):
            d = bytearray(data)
            edits = []
            cut = None
            kind = k % 5
            if kind in (0, 1):
                for _ in range(int(rng.randint(1, 7))):
                    j = int(rng.randint(sos_end, len(d) - 2))
                    d[j] ^= 1 << int(rng.randint(8))
                    edits.append([j, d[j]])
            elif kind == 2:
                j = int(rng.randint(sos_end, len(d) - 2))
                d[j] = int(rng.randint(256))
                edits.append([j, d[j]])
            elif kind == 3:
                cut = int(rng.randint(sos_end, len(d) - 2))
                d = d[:cut] + b'\xff\xd9'
            else:
                j = int(rng.randint(sos_end, len(d) - 4))
                d[j] = 0xFF
                d[j + 1] = [0xD0, 0xD3, 0xD7, 0xD9, 0xC4, 0x01, 0xE1][int(rng.randint(7))]
                edits += [[j, 0xFF], [j + 1, d[j + 1]]]
            try:
                mode, px = pillow_decode(bytes(d))
                result = sha(px.tobytes())
            except Exception:
                result = 'error'
            damaged.append({'base': base + '.jpg', 'edits': edits, 'cutAndEoi': cut, 'pixelsSha256': result})

    manifest = {
        'generator': 'scripts/make-jpeg-decode-fixtures.py',
        'pillow': PIL.__version__,
        'cjpeg': subprocess.run(['cjpeg', '-version'], capture_output=True, text=True).stderr.strip(),
        'cases': cases,
        'damaged': damaged,
    }
    with open(os.path.join(OUT, 'manifest.json'), 'w') as fh:
        json.dump(manifest, fh, indent=1)
    print(len(cases), 'cases')


if __name__ == '__main__':
    main()
