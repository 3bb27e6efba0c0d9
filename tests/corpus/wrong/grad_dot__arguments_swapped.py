"""Corpus, wrong: (w, x) instead of (x, w) (RD-05)."""

def grad_dot(w, x):
    return w.copy(), x.copy()
