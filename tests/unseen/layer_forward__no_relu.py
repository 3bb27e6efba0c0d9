import numpy as np
def layer_forward(W, b_vec, a_prev):
    return W @ a_prev + b_vec
