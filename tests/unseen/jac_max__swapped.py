import numpy as np
def jac_max(w, x):
    return np.diag((x > w) * 1.0), np.diag((w > x) * 1.0)
