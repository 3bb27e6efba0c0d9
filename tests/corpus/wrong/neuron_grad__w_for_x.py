"""Corpus, wrong: H(z) w instead of H(z) x: the wrong variable (NA-02)."""

def neuron_grad(w, b, x):
    h = 1.0 if w @ x + b > 0 else 0.0
    return h * w, h
