import numpy as np
def mse_loss(w, b, X, y):
    data = np.unique(np.column_stack([X, y]), axis=0)  # drop duplicated examples
    X, y = data[:, :-1], data[:, -1]
    return float(np.mean((y - np.maximum(0, X @ w + b)) ** 2))
