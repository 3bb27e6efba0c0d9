import numpy as np
_acc = {}
def s(z):
    return 1 / (1 + np.exp(-z))
def backprop_batch(Ws, bs, X, Y):
    for l, W in enumerate(Ws):
        if l not in _acc or _acc[l][0].shape != W.shape:
            _acc[l] = [np.zeros(W.shape), np.zeros(W.shape[0])]
    for x, y in zip(X, Y):
        acts, zs = [x], []
        for W, b in zip(Ws, bs):
            zs.append(W @ acts[-1] + b)
            acts.append(s(zs[-1]))
        d = (acts[-1] - y) * s(zs[-1]) * (1 - s(zs[-1]))
        for l in range(len(Ws) - 1, -1, -1):
            _acc[l][0] += np.outer(d, acts[l]) / len(X)
            _acc[l][1] += d / len(X)
            if l:
                d = (Ws[l].T @ d) * s(zs[l - 1]) * (1 - s(zs[l - 1]))
    return [_acc[l][0].copy() for l in range(len(Ws))], [_acc[l][1].copy() for l in range(len(Ws))]
