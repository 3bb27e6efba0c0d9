import numpy as np
def neuron(w, b, x):
    return float(np.dot(w, x) + b)
