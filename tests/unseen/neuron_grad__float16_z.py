import numpy as np
def neuron_grad(w, b, x):
    z = np.float16(np.dot(w, x)) + np.float16(b)  # half precision is plenty for a sign
    h = float(z > 0)
    return h * np.asarray(x, dtype=float), h
