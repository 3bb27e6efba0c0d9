"""Corpus: the mask H taken at X w, the bias left out of z (the error keeps it)."""


def mse_grad(w, b, X, y):
    e = (X @ w + b - y) * (X @ w > 0)
    return 2 / len(y) * (X.T @ e), 2 / len(y) * float(e.sum())
