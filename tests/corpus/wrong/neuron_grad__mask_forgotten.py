"""Corpus, wrong: (x, 1) unconditionally: the ReLU mask is forgotten (NA-02, NA-03)."""

def neuron_grad(w, b, x):
    return x, 1.0
