"""Corpus, wrong: J_g J_f: the factors in the wrong order; raises unless the shapes happen to fit (CR-07)."""

def vector_chain(J_f, J_g):
    return J_g @ J_f
