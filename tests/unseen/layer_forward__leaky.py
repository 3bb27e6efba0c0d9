import numpy as np
def layer_forward(W, b_vec, a_prev):
    z = W @ a_prev + b_vec
    return np.maximum(0.01 * z, z)
