import numpy as np
def neuron(w, b, x):
    return abs(float(np.dot(w, x) + b))
