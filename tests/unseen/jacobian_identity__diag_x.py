import numpy as np
def jacobian_identity(x):
    return np.diag(x)
