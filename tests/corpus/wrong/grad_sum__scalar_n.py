"""Corpus, wrong: The gradient of sum(x) as the scalar n (RD-02)."""

def grad_sum(x):
    return float(len(x))
