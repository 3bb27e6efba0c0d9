import numpy as np
def layer_grads(delta, a_prev):
    return delta, np.outer(delta, a_prev)
