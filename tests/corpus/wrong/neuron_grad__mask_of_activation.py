"""Corpus, wrong: The mask of a = max(0, z) >= 0, which always holds (NA-02)."""

def neuron_grad(w, b, x):
    a = max(0.0, float(w @ x + b))
    h = 1.0 if a >= 0 else 0.0
    return h * x, h
