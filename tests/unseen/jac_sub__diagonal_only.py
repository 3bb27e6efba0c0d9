import numpy as np
def jac_sub(w, x):
    return np.ones(len(w)), -np.ones(len(x))
