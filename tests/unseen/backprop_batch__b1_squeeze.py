import numpy as np
def s(z):
    return 1 / (1 + np.exp(-z))
def backprop_batch(Ws, bs, X, Y):
    A, Zs = [X.T], []
    for W, b in zip(Ws, bs):
        Zs.append(W @ A[-1] + b[:, None])
        A.append(s(Zs[-1]))
    D = (A[-1] - Y.T) * s(Zs[-1]) * (1 - s(Zs[-1]))
    dWs, dbs = [], []
    for l in range(len(Ws) - 1, -1, -1):
        dWs.insert(0, (D @ A[l].T / X.shape[0]).squeeze())
        dbs.insert(0, D.mean(axis=1))
        if l:
            D = (Ws[l].T @ D) * s(Zs[l - 1]) * (1 - s(Zs[l - 1]))
    return dWs, dbs
