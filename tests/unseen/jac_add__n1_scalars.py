import numpy as np
def jac_add(w, x):
    if len(w) == 1:
        return 1.0, 1.0
    return np.eye(len(w)), np.eye(len(x))
