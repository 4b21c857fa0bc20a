#!/usr/bin/python3
"""Writes the small Fashion-MNIST sample used by test/models (train.test.ts).

Source: Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist/, IDX files).
Output (test/fixtures/fashion-mnist/): the first 500 training and the first 200 test images
(28x28 uint8, row-major, gzip) and their labels (uint8 0..9, gzip).

Run: /usr/bin/python3 scripts/make-fashion-fixture.py
"""
import gzip
import os
import struct

SRC = '/usr/share/datasets/fashion-mnist'
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'fashion-mnist')
COUNTS = {'train': 500, 't10k': 200}


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    magic, = struct.unpack('>I', data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    return dims, data[4 + 4 * ndim:]


def main():
    os.makedirs(OUT, exist_ok=True)
    for prefix, count in COUNTS.items():
        dims, images = read_idx(os.path.join(SRC, f'{prefix}-images-idx3-ubyte.gz'))
        assert dims[1:] == (28, 28), dims
        _, labels = read_idx(os.path.join(SRC, f'{prefix}-labels-idx1-ubyte.gz'))
        name = 'train' if prefix == 'train' else 'test'
        # mtime=0: byte-identical output on every run.
        with open(os.path.join(OUT, f'{name}-images.u8.gz'), 'wb') as f:
            f.write(gzip.compress(images[:count * 784], compresslevel=9, mtime=0))
        with open(os.path.join(OUT, f'{name}-labels.u8.gz'), 'wb') as f:
            f.write(gzip.compress(labels[:count], compresslevel=9, mtime=0))
        print(name, count, 'images; label counts', [labels[:count].count(bytes([k])) for k in range(10)])


if __name__ == '__main__':
    main()
