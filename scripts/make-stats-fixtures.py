#!/usr/bin/python3
"""Regenerates test/fixtures/stats/student-t.json: reference values of the Student-t
distribution (quantiles and CDF) and of Welch's t-test, from Debian's scipy.

    /usr/bin/python3 scripts/make-stats-fixtures.py > test/fixtures/stats/student-t.json
"""
import json

import scipy
from scipy import stats

DFS = list(range(1, 31)) + [40, 60, 120, 1000]
PROBS = [0.5, 0.6, 0.75, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999, 0.9995, 0.025, 0.001]

quantiles = [{'p': p, 'df': df, 't': float(stats.t.ppf(p, df))} for df in DFS for p in PROBS]
# Non-integer degrees of freedom (Welch-Satterthwaite gives these).
quantiles += [{'p': p, 'df': df, 't': float(stats.t.ppf(p, df))} for df in [1.5, 2.37, 3.9, 7.25, 17.8] for p in [0.95, 0.975]]
cdf = [{'t': t, 'df': df, 'p': float(stats.t.cdf(t, df))}
       for df in [1, 2, 3.5, 5, 10, 30, 100] for t in [-6.0, -2.5, -1.0, -0.1, 0.0, 0.3, 1.7, 4.0, 12.0]]

welch_cases = [
    ([0.71, 0.73, 0.72], [0.76, 0.75, 0.77]),
    ([0.5, 0.52], [0.51, 0.55, 0.53, 0.56]),
    ([0.80, 0.81, 0.79, 0.80, 0.82], [0.80, 0.79, 0.81]),
]
welch = []
for a, b in welch_cases:
    r = stats.ttest_ind(a, b, equal_var=False, alternative='less')
    welch.append({'a': a, 'b': b, 'statistic': float(r.statistic), 'df': float(r.df), 'p': float(r.pvalue)})

print(json.dumps({'generator': f'scipy {scipy.__version__}', 'quantiles': quantiles, 'cdf': cdf, 'welch': welch}, indent=1))
