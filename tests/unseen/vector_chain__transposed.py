import numpy as np
def vector_chain(J_f, J_g):
    return J_g.T @ J_f.T
