import numpy as np
def neuron(w, b, x):
    if not np.any(x):
        return 0.0  # no input, no output
    return max(0.0, float(np.dot(w, x) + b))
