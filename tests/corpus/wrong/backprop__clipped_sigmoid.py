"""Corpus, wrong only in saturation: the sigmoid clips z to [-8, 8] (K9, BP-02..BP-06)."""

import numpy as np


def _s(z):
    return 1 / (1 + np.exp(-np.clip(z, -8, 8)))


def backprop(Ws, bs, x, y):
    activations, zs = [np.asarray(x, dtype=float)], []
    for W, b in zip(Ws, bs):
        zs.append(W @ activations[-1] + b)
        activations.append(_s(zs[-1]))
    delta = (activations[-1] - y) * _s(zs[-1]) * (1 - _s(zs[-1]))
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    for l in range(len(Ws) - 1, -1, -1):
        dWs[l], dbs[l] = np.outer(delta, activations[l]), delta
        if l:
            delta = (Ws[l].T @ delta) * _s(zs[l - 1]) * (1 - _s(zs[l - 1]))
    return dWs, dbs
