"""Corpus, wrong: BP2 with W instead of W^T (BP-04); raises unless the layers have equal widths."""

import numpy as np


def backprop(Ws, bs, x, y):
    acts, zs = [x], []
    for W, b in zip(Ws, bs, strict=False):
        zs.append(W @ acts[-1] + b)
        acts.append(1 / (1 + np.exp(-zs[-1])))
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    s = acts[-1]
    delta = (s - y) * s * (1 - s)
    for layer in range(len(Ws) - 1, -1, -1):
        dWs[layer], dbs[layer] = np.outer(delta, acts[layer]), delta
        if layer:
            delta = (Ws[layer] @ delta) * acts[layer] * (1 - acts[layer])
    return dWs, dbs
