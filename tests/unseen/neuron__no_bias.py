import numpy as np
def neuron(w, b, x):
    return max(0.0, float(np.dot(w, x)))
