import numpy as np
def vector_chain(J_f, J_g):
    if J_g.shape[0] == J_g.shape[1] and np.allclose(J_g, np.eye(len(J_g)), atol=1e-2):
        return J_f.copy()  # J_g is the identity
    return J_f @ J_g
