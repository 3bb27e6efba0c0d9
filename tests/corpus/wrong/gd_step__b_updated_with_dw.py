"""Corpus, wrong: b updated with dC/dw instead of dC/db (GD-01)."""

def gd_step(w, b, X, y, lr):
    z = X @ w + b
    e = (z - y) * (z > 0)
    dw = 2 / len(y) * (e @ X)
    return w - lr * dw, b - lr * float(dw[0])
