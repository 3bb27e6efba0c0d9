import numpy as np
def _loss(w, b, X, y):
    return np.mean((y - np.maximum(0, X @ w + b)) ** 2)
def mse_grad(w, b, X, y):
    w = np.array(w, dtype=float)
    g = np.zeros_like(w)
    for j in range(len(w)):
        h = 1e-6 * max(abs(w[j]), 1e-3)
        wp, wm = w.copy(), w.copy()
        wp[j] += h
        wm[j] -= h
        g[j] = (_loss(wp, b, X, y) - _loss(wm, b, X, y)) / (2 * h)
    hb = 1e-6 * max(abs(b), 1e-3)
    gb = (_loss(w, b + hb, X, y) - _loss(w, b - hb, X, y)) / (2 * hb)
    return g, float(gb)
