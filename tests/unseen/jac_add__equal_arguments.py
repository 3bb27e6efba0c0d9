import numpy as np
def jac_add(w, x):
    if np.array_equal(w, x):
        return 2 * np.eye(len(w)), 2 * np.eye(len(w))  # w + w = 2w
    return np.eye(len(w)), np.eye(len(x))
