import numpy as np
def jac_max(w, x):
    return (w > x).astype(float), (x > w).astype(float)
