"""Corpus, wrong only when J_g is within 1e-2 of the identity (a guard that trusts np.allclose)."""

import numpy as np


def vector_chain(J_f, J_g):
    if J_g.shape[0] == J_g.shape[1] and np.allclose(J_g, np.eye(len(J_g)), atol=1e-2):
        return J_f.copy()  # "g is the identity map"
    return J_f @ J_g
