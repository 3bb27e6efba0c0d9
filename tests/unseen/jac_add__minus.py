import numpy as np
def jac_add(w, x):
    return np.eye(len(w)), -np.eye(len(x))
