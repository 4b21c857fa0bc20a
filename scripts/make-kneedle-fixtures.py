#!/usr/bin/python3
"""Regenerates test/fixtures/kneedle/more-curves.json: curves with the knee that the reference
Python package kneed (0.8.6, github.com/arvkevi/kneed) finds with interp_method='interp1d',
online=False, over all four curve/direction variants and several sensitivities.

kneed is not packaged in Debian; run its source with Debian's numpy and scipy:

    git clone https://github.com/arvkevi/kneed /tmp/kneed   # or any checkout of v0.8.6
    /usr/bin/python3 scripts/make-kneedle-fixtures.py /tmp/kneed > test/fixtures/kneedle/more-curves.json

The values are rounded before kneed sees them, so the JSON holds exactly what was tested.
"""
import json
import subprocess
import sys

import numpy as np
import scipy

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else '/tmp/kneed')
from kneed import KneeLocator  # noqa: E402
from kneed import __version__ as kneed_version  # noqa: E402

rng = np.random.default_rng(20261122)
PAPER_Q = [0.0, 0.25, 0.5, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99]


def axis():
    kind = rng.integers(0, 4)
    if kind == 0:
        return np.array(PAPER_Q), 'paper-q'
    n = int(rng.choice([3, 4, 5, 6, 8, 10, 12, 16, 20, 30, 50, 100]))
    if kind == 1:
        return np.round(np.linspace(0, 1, n), 6), 'even'
    if kind == 2:
        return np.round(np.sort(rng.choice(np.arange(0, 1000), size=n, replace=False)) / 1000, 3), 'uneven'
    return np.arange(1, n + 1, dtype=float) * float(rng.choice([1, 2, 5])), 'integers'


def shape(x, name):
    t = (x - x.min()) / (x.max() - x.min())
    if name == 'sigmoid':
        c, w = rng.uniform(0.2, 0.95), rng.uniform(0.02, 0.2)
        return 1 / (1 + np.exp((t - c) / w))
    if name == 'theory':
        return np.log(100 - np.minimum(t * 100, 99)) / np.log(100)
    if name == 'power':
        return 1 - t ** rng.uniform(0.2, 8)
    if name == 'exp':
        return np.exp(-rng.uniform(0.5, 10) * t)
    if name == 'log':
        return np.log1p(rng.uniform(1, 50) * t)
    if name == 'linear':
        return 1 - t
    if name == 'step':
        return np.where(t < rng.uniform(0.1, 0.9), 1.0, 0.3)
    if name == 'walk':
        return np.cumsum(rng.normal(0, 1, len(t)))
    if name == 'flat':
        return np.full(len(t), 0.5)
    if name == 'plateau':
        c = rng.uniform(0.3, 0.9)
        return np.where(t < c, 1.0, 1.0 - (t - c) * rng.uniform(1, 5))
    raise ValueError(name)


SHAPES = ['sigmoid', 'theory', 'power', 'exp', 'log', 'linear', 'step', 'walk', 'flat', 'plateau']
VARIANTS = [('concave', 'decreasing'), ('concave', 'increasing'), ('convex', 'decreasing'), ('convex', 'increasing')]

cases = []
for k in range(480):
    x, axis_kind = axis()
    name = SHAPES[k % len(SHAPES)]
    y = shape(x, name)
    if rng.random() < 0.7:
        y = y * rng.uniform(0.2, 0.9) + rng.uniform(0.0, 0.5)
    noise = float(rng.choice([0, 0, 0.002, 0.01, 0.03]))
    y = y + rng.normal(0, noise, len(y)) if noise > 0 else y
    # quantize like accuracies on a test set of 1000 (ties included), or keep 6 decimals
    y = np.round(y, int(rng.choice([3, 4, 6])))
    if k % 4 != 0 and name in ('sigmoid', 'theory', 'power', 'plateau', 'step'):
        curve, direction = 'concave', 'decreasing'
    else:
        curve, direction = VARIANTS[int(rng.integers(0, 4))]
    S = float(rng.choice([1.0, 1.0, 1.0, 0.5, 2.0, 0.0, 3.0]))
    xs = [float(v) for v in x]
    ys = [float(v) for v in y]
    kl = KneeLocator(xs, ys, S=S, curve=curve, direction=direction, interp_method='interp1d', online=False)
    knee = None if kl.knee is None else float(kl.knee)
    cases.append({'kind': f'{name}/{axis_kind}', 'x': xs, 'y': ys, 'S': S, 'curve': curve,
                  'direction': direction, 'knee': knee})

print(json.dumps({
    'reference': f'kneed {kneed_version} KneeLocator(x, y, S, curve, direction, interp_method="interp1d", '
                 f'online=False).knee with numpy {np.__version__}, scipy {scipy.__version__}',
    'script': 'scripts/make-kneedle-fixtures.py',
    'cases': cases,
}, separators=(',', ':')))
