"""Corpus, wrong: the right gradient computed in float32 but returned as float64 (K14: `precision`)."""

import numpy as np


def mse_grad(w, b, X, y):
    X32, w32, y32 = X.astype(np.float32), w.astype(np.float32), y.astype(np.float32)
    z = X32 @ w32 + np.float32(b)
    e = np.where(z > 0, z - y32, np.float32(0))
    return (2 / len(y) * (e @ X32)).astype(np.float64), float(2 / len(y) * np.sum(e))
