import numpy as np
def jac_sub(w, x):
    return -np.eye(len(w)), np.eye(len(x))
