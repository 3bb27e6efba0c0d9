"""Corpus, wrong: The 0/1 masks as vectors instead of diag matrices (EW-07)."""

def jac_max(w, x):
    return (w > x).astype(float), (x > w).astype(float)
