import numpy as np
def vector_chain(J_f, J_g):
    out = J_f @ J_g
    if out.size == 1:
        return float(out[0, 0])
    return out
