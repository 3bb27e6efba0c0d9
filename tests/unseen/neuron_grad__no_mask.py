import numpy as np
def neuron_grad(w, b, x):
    return np.array(x, dtype=float), 1.0
