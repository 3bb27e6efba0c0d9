import numpy as np
def delta_hidden(W_next, delta_next, z):
    s = 1 / (1 + np.exp(-z))
    sp = np.where(np.abs(z) > 12, 0.0, s * (1 - s))  # saturated: no gradient
    return (W_next.T @ delta_next) * sp
