import numpy as np
def layer_jacobian(W, b_vec, a_prev):
    return np.array(W, dtype=float)
