import numpy as np
def layer_grads(delta, a_prev):
    if len(delta) == 1:
        return delta[0] * a_prev, delta
    return np.outer(delta, a_prev), delta
