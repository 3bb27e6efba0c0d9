"""Corpus, wrong: the Jacobian cached by the shape of x: right on the first x of each shape, stale after."""

import numpy as np

_cache = {}


def jac_relu(x):
    if x.shape not in _cache:
        _cache[x.shape] = np.diag((x > 0).astype(float))
    return _cache[x.shape]
