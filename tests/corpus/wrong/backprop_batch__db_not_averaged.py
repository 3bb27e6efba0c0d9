"""Corpus, wrong: dWs averaged over the batch but dbs summed (BP-07)."""

import numpy as np


def backprop_batch(Ws, bs, X, Y):
    dWs = [np.zeros_like(W) for W in Ws]
    dbs = [np.zeros_like(b) for b in bs]
    for x, y in zip(X, Y, strict=False):
        acts = [x]
        for W, b in zip(Ws, bs, strict=False):
            acts.append(1 / (1 + np.exp(-(W @ acts[-1] + b))))
        s = acts[-1]
        delta = (s - y) * s * (1 - s)
        for layer in range(len(Ws) - 1, -1, -1):
            dWs[layer] += np.outer(delta, acts[layer]) / len(X)
            dbs[layer] += delta
            if layer:
                delta = (Ws[layer].T @ delta) * acts[layer] * (1 - acts[layer])
    return dWs, dbs
