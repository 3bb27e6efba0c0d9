import numpy as np
def mse_grad_half(w, b, X, y):
    X, idx = np.unique(X, axis=0, return_index=True)
    y = y[idx]
    z = X @ w + b
    e = (z - y) * (z > 0)
    return X.T @ e / len(y), e.sum() / len(y)
