"""Corpus, wrong only near the kink: each step's mask is z > 1e-3 (K3)."""


def sgd_epoch(w, b, X, y, lr, batch_size):
    for k in range(0, len(y), batch_size):
        Xb, yb = X[k : k + batch_size], y[k : k + batch_size]
        z = Xb @ w + b
        e = (z - yb) * (z > 1e-3)
        w = w - lr * 2 / len(yb) * (Xb.T @ e)
        b = b - lr * 2 / len(yb) * float(e.sum())
    return w, b
