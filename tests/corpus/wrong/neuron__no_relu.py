"""Corpus, wrong: z = w.x + b returned: max(0, .) is not applied (NA-01)."""

def neuron(w, b, x):
    return float(w @ x + b)
