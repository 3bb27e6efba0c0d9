import numpy as np
def jacobian_identity(x):
    if len(x) == 1:
        return 1.0
    return np.eye(len(x))
