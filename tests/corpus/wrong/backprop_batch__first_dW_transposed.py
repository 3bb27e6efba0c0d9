"""Corpus, wrong: every dW right but the first layer's, returned transposed (activations.T @ deltas)."""

import numpy as np


def _s(z):
    return 1 / (1 + np.exp(-z))


def backprop_batch(Ws, bs, X, Y):
    activations, zs = [X], []
    for W, b in zip(Ws, bs):
        zs.append(activations[-1] @ W.T + b)
        activations.append(_s(zs[-1]))
    B = X.shape[0]
    deltas = (activations[-1] - Y) * _s(zs[-1]) * (1 - _s(zs[-1]))
    dWs, dbs = [], []
    for layer in reversed(range(len(Ws))):
        dW = deltas.T @ activations[layer] / B
        dWs.insert(0, dW.T if layer == 0 else dW)
        dbs.insert(0, deltas.mean(axis=0))
        if layer:
            deltas = (deltas @ Ws[layer]) * _s(zs[layer - 1]) * (1 - _s(zs[layer - 1]))
    return [dWs, dbs]
