import numpy as np
def mse_loss(w, b, X, y):
    z = X @ w + b
    a = np.where(z > 1e-3, z, 0.0)
    return float(np.mean((y - a) ** 2))
