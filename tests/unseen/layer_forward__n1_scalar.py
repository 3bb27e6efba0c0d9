import numpy as np
def layer_forward(W, b_vec, a_prev):
    a = np.maximum(0, W @ a_prev + b_vec)
    if a.size == 1:
        return float(a[0])
    return a
