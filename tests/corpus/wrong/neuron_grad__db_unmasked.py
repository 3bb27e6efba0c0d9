"""Corpus, wrong: d act/dw masked but d act/db = 1 unconditionally (NA-03)."""

def neuron_grad(w, b, x):
    h = 1.0 if w @ x + b > 0 else 0.0
    return h * x, 1.0
