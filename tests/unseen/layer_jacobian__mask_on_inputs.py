import numpy as np
def layer_jacobian(W, b_vec, a_prev):
    return W * (a_prev > 0)[None, :]
