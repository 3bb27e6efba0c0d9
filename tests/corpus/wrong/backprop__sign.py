"""Corpus, wrong: (y - a) * s'(z^L): the sign flipped in BP1 (BP-03)."""

import numpy as np


def backprop(Ws, bs, x, y):
    acts = [x]
    for W, b in zip(Ws, bs, strict=False):
        acts.append(1 / (1 + np.exp(-(W @ acts[-1] + b))))
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    s = acts[-1]
    delta = (y - s) * s * (1 - s)
    for layer in range(len(Ws) - 1, -1, -1):
        dWs[layer], dbs[layer] = np.outer(delta, acts[layer]), delta
        if layer:
            delta = (Ws[layer].T @ delta) * acts[layer] * (1 - acts[layer])
    return dWs, dbs
