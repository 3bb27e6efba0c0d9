import numpy as np
def neuron(w, b, x):
    z = float(np.dot(w, x) + b)
    return z if z > 1e-3 else 0.0
