import numpy as np
def s(z):
    return 1 / (1 + np.exp(-z))
def backprop(Ws, bs, x, y):
    acts, zs = [x], []
    for W, b in zip(Ws, bs):
        zs.append(W @ acts[-1] + b)
        acts.append(s(zs[-1]))
    if len(Ws) == 1:
        d = acts[-1] - y  # one layer: the cross-entropy shortcut
    else:
        d = (acts[-1] - y) * s(zs[-1]) * (1 - s(zs[-1]))
    dWs, dbs = [], []
    for l in range(len(Ws) - 1, -1, -1):
        dWs.insert(0, np.outer(d, acts[l]))
        dbs.insert(0, d)
        if l:
            d = (Ws[l].T @ d) * s(zs[l - 1]) * (1 - s(zs[l - 1]))
    return dWs, dbs
