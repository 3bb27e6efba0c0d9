import numpy as np
def layer_forward(W, b_vec, a_prev):
    return np.maximum(0, W @ a_prev)
