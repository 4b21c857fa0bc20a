#!/usr/bin/env python3
"""A labeled dataset of real photos cut into patches, for the two-seed check of issue 15.

Eight photos of Debian's python3-skimage data folder (class = the photo), RGB, cut into 32x32
patches at seeded random positions: training patches from the left 70% of each photo, test
patches from the right 30% (no pixel is in both). 150 train and 60 test patches per class
(1,200 / 480), written as PNG to OUT/train/CLASS/ and OUT/test/CLASS/, so that
`helmholtz-ml estimate --data folder:OUT` reads them.

    /usr/bin/python3 scripts/make-photo-patches.py /tmp/photo-patches
"""
import os
import random
import sys

from PIL import Image

DATA = '/usr/lib/python3/dist-packages/skimage/data/'
PHOTOS = ['astronaut.png', 'chelsea.png', 'coffee.png', 'motorcycle_left.png', 'ihc.png', 'rocket.jpg', 'hubble_deep_field.jpg', 'motorcycle_right.png']
SIZE, TRAIN, TEST, SPLIT = 32, 150, 60, 0.7


def main(out: str) -> None:
    rng = random.Random(15)
    for name in PHOTOS:
        image = Image.open(os.path.join(DATA, name)).convert('RGB')
        width, height = image.size
        cut = int(width * SPLIT)
        label = os.path.splitext(name)[0]
        for part, count, lo, hi in (('train', TRAIN, 0, cut - SIZE), ('test', TEST, cut, width - SIZE)):
            folder = os.path.join(out, part, label)
            os.makedirs(folder, exist_ok=True)
            for i in range(count):
                x, y = rng.randint(lo, hi), rng.randint(0, height - SIZE)
                image.crop((x, y, x + SIZE, y + SIZE)).save(os.path.join(folder, f'{i:04d}.png'))
    print(f'{len(PHOTOS)} classes, {TRAIN * len(PHOTOS)} train / {TEST * len(PHOTOS)} test patches of {SIZE}x{SIZE} in {out}')


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else '/tmp/photo-patches')
