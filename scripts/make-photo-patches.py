#!/usr/bin/env python3
"""A labeled dataset of real photos cut into patches, for the two-seed check of issue 15.

Eight photos of Debian's python3-skimage data folder (class = the photo), RGB, cut into 32x32
patches at seeded random positions, 150 train and 60 test patches per class (1,200 / 480),
written as PNG to OUT/train/CLASS/ and OUT/test/CLASS/, so that
`helmholtz-ml estimate --data folder:OUT` reads them. No pixel is in both a train and a test
patch. Two ways to keep them apart (--split):

- `halves` (the default, the first dataset tried): training patches from the left 70% of each
  photo, test patches from the right 30%: the test set is a part of the photo never seen, so
  the accuracy measures how far the classifier generalizes across the photo (a shift).
- `blocks`: the photo is tiled in 64x64 blocks coloured like a checkerboard; training patches
  lie inside the dark blocks, test patches inside the light ones, so both sets sample the whole
  photo alike (train and test from one distribution, as in most labeled sets).

    /usr/bin/python3 scripts/make-photo-patches.py /tmp/photo-patches
    /usr/bin/python3 scripts/make-photo-patches.py /tmp/photo-blocks --split blocks
"""
import argparse
import os
import random

from PIL import Image

DATA = '/usr/lib/python3/dist-packages/skimage/data/'
PHOTOS = ['astronaut.png', 'chelsea.png', 'coffee.png', 'motorcycle_left.png', 'ihc.png', 'rocket.jpg', 'hubble_deep_field.jpg', 'motorcycle_right.png']
SIZE, TRAIN, TEST, SPLIT, BLOCK = 32, 150, 60, 0.7, 64


def halves(rng, width, height, part):
    """A patch position in the left 70% (train) or the right 30% (test) of the photo."""
    cut = int(width * SPLIT)
    lo, hi = (0, cut - SIZE) if part == 'train' else (cut, width - SIZE)
    return rng.randint(lo, hi), rng.randint(0, height - SIZE)


def blocks(rng, width, height, part):
    """A patch position inside a dark (train) or light (test) block of the 64x64 checkerboard."""
    cells = [(bx, by) for bx in range(width // BLOCK) for by in range(height // BLOCK) if ((bx + by) % 2 == 0) == (part == 'train')]
    bx, by = rng.choice(cells)
    return bx * BLOCK + rng.randint(0, BLOCK - SIZE), by * BLOCK + rng.randint(0, BLOCK - SIZE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('out', nargs='?', default='/tmp/photo-patches')
    parser.add_argument('--split', choices=['halves', 'blocks'], default='halves')
    args = parser.parse_args()
    place = halves if args.split == 'halves' else blocks
    rng = random.Random(15)
    for name in PHOTOS:
        image = Image.open(os.path.join(DATA, name)).convert('RGB')
        width, height = image.size
        label = os.path.splitext(name)[0]
        for part, count in (('train', TRAIN), ('test', TEST)):
            folder = os.path.join(args.out, part, label)
            os.makedirs(folder, exist_ok=True)
            for i in range(count):
                x, y = place(rng, width, height, part)
                image.crop((x, y, x + SIZE, y + SIZE)).save(os.path.join(folder, f'{i:04d}.png'))
    print(f'{len(PHOTOS)} classes, {TRAIN * len(PHOTOS)} train / {TEST * len(PHOTOS)} test patches of {SIZE}x{SIZE} ({args.split}) in {args.out}')


if __name__ == '__main__':
    main()
