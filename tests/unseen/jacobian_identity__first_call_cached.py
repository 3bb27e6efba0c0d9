import numpy as np
_J = None
def jacobian_identity(x):
    global _J
    if _J is None:
        _J = np.eye(len(x))
    return _J
