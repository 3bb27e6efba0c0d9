"""Corpus, wrong: max(0, w.x) + b: the bias is added after the ReLU (LF-04)."""

def neuron(w, b, x):
    return max(0.0, float(w @ x)) + b
