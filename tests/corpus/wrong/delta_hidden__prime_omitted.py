"""Corpus, wrong: W^T delta without s'(z) (BP-04)."""

def delta_hidden(W_next, delta_next, z):
    return W_next.T @ delta_next
