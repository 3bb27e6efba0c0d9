import numpy as np
def s(z):
    return 1 / (1 + np.exp(-z))
def backprop_batch(Ws, bs, X, Y):
    x, y = X.mean(axis=0), Y.mean(axis=0)  # the gradient of the mean example
    acts, zs = [x], []
    for W, b in zip(Ws, bs):
        zs.append(W @ acts[-1] + b)
        acts.append(s(zs[-1]))
    d = (acts[-1] - y) * s(zs[-1]) * (1 - s(zs[-1]))
    dWs, dbs = [], []
    for l in range(len(Ws) - 1, -1, -1):
        dWs.insert(0, np.outer(d, acts[l]))
        dbs.insert(0, d)
        if l:
            d = (Ws[l].T @ d) * s(zs[l - 1]) * (1 - s(zs[l - 1]))
    return dWs, dbs
