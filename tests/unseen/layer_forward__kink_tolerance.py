import numpy as np
def layer_forward(W, b_vec, a_prev):
    z = W @ a_prev + b_vec
    return np.where(z > 1e-3, z, 0.0)
