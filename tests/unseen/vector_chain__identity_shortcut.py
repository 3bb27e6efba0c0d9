import numpy as np
def vector_chain(J_f, J_g):
    if J_f.shape[0] == J_f.shape[1] and np.allclose(J_f, np.eye(len(J_f))):
        return J_g.T
    return J_f @ J_g
