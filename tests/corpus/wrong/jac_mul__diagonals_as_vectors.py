"""Corpus, wrong: The diagonals x and w as vectors instead of diag matrices (EW-02, K4)."""

def jac_mul(w, x):
    return x.copy(), w.copy()
