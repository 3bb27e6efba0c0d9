import numpy as np
def jac_add(w, x):
    return np.ones(len(w)), np.ones(len(x))
