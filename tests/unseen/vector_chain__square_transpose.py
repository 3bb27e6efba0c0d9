import numpy as np
def vector_chain(J_f, J_g):
    if J_f.shape[0] == J_f.shape[1]:
        return J_f.T @ J_g  # square: orientation does not matter
    return J_f @ J_g
