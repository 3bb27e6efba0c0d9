import numpy as np
def grad_dot(w, x):
    if np.array_equal(w, x):
        return 2 * w, 2 * x  # d(w.w) = 2w
    return x.copy(), w.copy()
