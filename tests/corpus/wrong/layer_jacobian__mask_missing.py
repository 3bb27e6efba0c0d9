"""Corpus, wrong: W: the mask diag(H(z)) is missing (LF-03)."""

def layer_jacobian(W, b_vec, a_prev):
    return W.copy()
