import numpy as np
def jac_max(w, x):
    # ignore differences below the contract's tie margin
    return np.diag((w - x > 1e-3) * 1.0), np.diag((x - w > 1e-3) * 1.0)
