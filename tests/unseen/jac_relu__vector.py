import numpy as np
def jac_relu(x):
    return (x > 0).astype(float)
