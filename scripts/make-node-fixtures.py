#!/usr/bin/python3
"""Regenerates test/fixtures/node/: tiny CIFAR-10 batches, IDX files and an image folder, each
with malformed variants, for the Node loader tests. Run: /usr/bin/python3 scripts/make-node-fixtures.py

Pixel values follow formulas the tests recompute:
- CIFAR record r of batch b (b = 0 for test_batch): label (r + b) % 10, channel k pixel (y, x)
  = (7 * r + 3 * k + y * 32 + x + 11 * b) % 256 (planes R, G, B).
- IDX image i, pixel (y, x) of a 4 x 3 image = (i * 12 + y * 3 + x) * 5 % 256; label i % 3.
- Image folder: 8 x 6 RGB images (file n in class-then-name order); PNG pixels exact:
  R = (x * 30 + n) % 256, G = (y * 40 + 7 + n) % 256, B = ((x + y) * 10 + 14 + n) % 256;
  the third file of each class is a quality-95 JPEG of the same formula.
"""
import gzip
import os
import shutil
import struct

import numpy as np
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'node')


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


def gz(data):
    # mtime=0 so the bytes do not change between runs
    return gzip.compress(data, compresslevel=9, mtime=0)


def cifar_batch(b, count):
    out = bytearray()
    for r in range(count):
        out.append((r + b) % 10)
        for k in range(3):
            for y in range(32):
                for x in range(32):
                    out.append((7 * r + 3 * k + y * 32 + x + 11 * b) % 256)
    return bytes(out)


def make_cifar():
    d = os.path.join(ROOT, 'cifar10')
    for b in range(1, 6):
        write(os.path.join(d, f'data_batch_{b}.bin'), cifar_batch(b, 2))
    write(os.path.join(d, 'test_batch.bin'), cifar_batch(0, 3))
    names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']
    write(os.path.join(d, 'batches.meta.txt'), ('\n'.join(names) + '\n\n').encode())
    # Truncated: the second record of data_batch_2 stops 100 bytes early.
    bad = os.path.join(ROOT, 'cifar10-truncated')
    for b in range(1, 6):
        data = cifar_batch(b, 2)
        write(os.path.join(bad, f'data_batch_{b}.bin'), data[:-100] if b == 2 else data)
    write(os.path.join(bad, 'test_batch.bin'), cifar_batch(0, 3))
    # Bad label: record 1 of test_batch has label 12.
    bad = os.path.join(ROOT, 'cifar10-badlabel')
    for b in range(1, 6):
        write(os.path.join(bad, f'data_batch_{b}.bin'), cifar_batch(b, 2))
    data = bytearray(cifar_batch(0, 3))
    data[3073] = 12
    write(os.path.join(bad, 'test_batch.bin'), bytes(data))
    # Missing test_batch.bin.
    bad = os.path.join(ROOT, 'cifar10-missing')
    for b in range(1, 6):
        write(os.path.join(bad, f'data_batch_{b}.bin'), cifar_batch(b, 1))


def idx_images(n, h=4, w=3):
    pixels = bytes(((i * h * w + p) * 5) % 256 for i in range(n) for p in range(h * w))
    return b'\x00\x00\x08\x03' + struct.pack('>III', n, h, w) + pixels


def idx_labels(n):
    return b'\x00\x00\x08\x01' + struct.pack('>I', n) + bytes(i % 3 for i in range(n))


def make_idx():
    d = os.path.join(ROOT, 'idx')
    write(os.path.join(d, 'train-images-idx3-ubyte.gz'), gz(idx_images(6)))
    write(os.path.join(d, 'train-labels-idx1-ubyte.gz'), gz(idx_labels(6)))
    write(os.path.join(d, 't10k-images-idx3-ubyte'), idx_images(3))
    write(os.path.join(d, 't10k-labels-idx1-ubyte'), idx_labels(3))
    b = os.path.join(ROOT, 'idx-bad')
    write(os.path.join(b, 'bad-magic-idx3-ubyte'), b'\x01\x02' + idx_images(2)[2:])
    write(os.path.join(b, 'bad-type-idx3-ubyte'), b'\x00\x00\x0d' + idx_images(2)[3:])
    write(os.path.join(b, 'truncated-idx3-ubyte.gz'), gz(idx_images(2)[:-5]))
    write(os.path.join(b, 'extra-idx3-ubyte'), idx_images(2) + b'\x00\x00')
    write(os.path.join(b, 'short-header-idx3-ubyte'), idx_images(2)[:9])
    write(os.path.join(b, 'labels5-idx1-ubyte'), idx_labels(5))
    write(os.path.join(b, 'corrupt-idx3-ubyte.gz'), gz(idx_images(2))[:20] + b'\xff' * 12)


def folder_pixels(n, w=8, h=6):
    y, x = np.mgrid[0:h, 0:w]
    a = np.zeros((h, w, 3), dtype=np.uint8)
    a[:, :, 0] = (x * 30 + n) % 256
    a[:, :, 1] = (y * 40 + 7 + n) % 256
    a[:, :, 2] = ((x + y) * 10 + 14 + n) % 256
    return a


def make_folder():
    d = os.path.join(ROOT, 'folder')
    shutil.rmtree(d, ignore_errors=True)
    n = 0
    for cls in ['circle', 'square', 'triangle']:
        for j in range(3):
            os.makedirs(os.path.join(d, cls), exist_ok=True)
            a = folder_pixels(n)
            if j == 2:
                Image.fromarray(a).save(os.path.join(d, cls, f'{j}.jpg'), quality=95)
            else:
                Image.fromarray(a).save(os.path.join(d, cls, f'{j}.png'))
            n += 1
        write(os.path.join(d, cls, 'notes.txt'), b'not an image: skipped\n')
    # Grayscale folder (auto channels -> 1).
    g = os.path.join(ROOT, 'folder-gray')
    shutil.rmtree(g, ignore_errors=True)
    for cls in ['a', 'b']:
        os.makedirs(os.path.join(g, cls), exist_ok=True)
        for j in range(2):
            Image.fromarray((folder_pixels(j)[:, :, 0])).save(os.path.join(g, cls, f'{j}.png'))
    # Mixed sizes.
    m = os.path.join(ROOT, 'folder-mixed')
    shutil.rmtree(m, ignore_errors=True)
    for cls in ['a', 'b']:
        os.makedirs(os.path.join(m, cls), exist_ok=True)
        Image.fromarray(folder_pixels(0)).save(os.path.join(m, cls, '0.png'))
    big = np.zeros((12, 20, 3), dtype=np.uint8)
    big[:, :, 0] = 200
    big[:, 5:15, 1] = 100
    Image.fromarray(big).save(os.path.join(m, 'b', '1.png'))
    # Corrupt JPEG (cut in the middle of the entropy-coded data) and a non-image with .jpg name.
    c = os.path.join(ROOT, 'folder-corrupt')
    shutil.rmtree(c, ignore_errors=True)
    os.makedirs(os.path.join(c, 'a'), exist_ok=True)
    os.makedirs(os.path.join(c, 'b'), exist_ok=True)
    Image.fromarray(folder_pixels(0)).save(os.path.join(c, 'a', '0.png'))
    Image.fromarray(folder_pixels(1)).save('/tmp/_fixture.jpg', quality=95)
    with open('/tmp/_fixture.jpg', 'rb') as f:
        data = f.read()
    write(os.path.join(c, 'b', 'cut.jpg'), data[: len(data) // 2])
    # Cut inside the entropy-coded scan of a larger noisy image (headers intact).
    s = os.path.join(ROOT, 'folder-cutscan')
    shutil.rmtree(s, ignore_errors=True)
    os.makedirs(os.path.join(s, 'a'), exist_ok=True)
    noisy = np.random.RandomState(0).randint(0, 256, size=(24, 24, 3)).astype(np.uint8)
    Image.fromarray(noisy).save('/tmp/_fixture.jpg', quality=90)
    with open('/tmp/_fixture.jpg', 'rb') as f:
        data = f.read()
    write(os.path.join(s, 'a', 'cut-scan.jpg'), data[: int(len(data) * 0.8)])
    t = os.path.join(ROOT, 'folder-notimage')
    shutil.rmtree(t, ignore_errors=True)
    os.makedirs(os.path.join(t, 'a'), exist_ok=True)
    Image.fromarray(folder_pixels(0)).save(os.path.join(t, 'a', '0.png'))
    write(os.path.join(t, 'a', 'fake.jpg'), b'GIF89a not really a jpeg')
    # An empty class folder.
    e = os.path.join(ROOT, 'folder-emptyclass')
    shutil.rmtree(e, ignore_errors=True)
    os.makedirs(os.path.join(e, 'a'), exist_ok=True)
    os.makedirs(os.path.join(e, 'b'), exist_ok=True)
    Image.fromarray(folder_pixels(0)).save(os.path.join(e, 'a', '0.png'))
    write(os.path.join(e, 'b', 'README'), b'no images here\n')


if __name__ == '__main__':
    make_cifar()
    make_idx()
    make_folder()
    print('fixtures written to', os.path.normpath(ROOT))
