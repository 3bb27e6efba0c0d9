"""Corpus, wrong: (J_f J_g)^T = J_g^T J_f^T: the denominator layout (CR-07)."""

def vector_chain(J_f, J_g):
    return J_g.T @ J_f.T
