import numpy as np
_out = {}
def layer_forward(W, b_vec, a_prev):
    if W.shape not in _out:
        _out[W.shape] = W @ a_prev + b_vec > 0
    return np.where(_out[W.shape], W @ a_prev + b_vec, 0.0)
