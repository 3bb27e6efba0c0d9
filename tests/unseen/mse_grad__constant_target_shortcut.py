import numpy as np
def mse_grad(w, b, X, y):
    z = X @ w + b
    if np.allclose(np.maximum(z, 0), y):
        return np.zeros_like(w), 0.0  # already fitted
    e = (z - y) * (z > 0)
    N = len(y)
    return 2 / N * X.T @ e, 2 / N * e.sum()
