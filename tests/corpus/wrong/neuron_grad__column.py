"""Corpus, wrong: The right d act/dw as an (n, 1) column (NA-02: x as a column; K2)."""

def neuron_grad(w, b, x):
    h = 1.0 if w @ x + b > 0 else 0.0
    return (h * x).reshape(-1, 1), h
