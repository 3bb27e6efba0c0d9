import numpy as np
def layer_jacobian(W, b_vec, a_prev):
    return (np.diag((W @ a_prev + b_vec > 0) * 1.0) @ W).T
