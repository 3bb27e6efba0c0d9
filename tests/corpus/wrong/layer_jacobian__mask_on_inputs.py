"""Corpus: the mask taken on the inputs a_prev, not on the outputs' z (wrong variable)."""


def layer_jacobian(W, b_vec, a_prev):
    return W * (a_prev > 0)[None, :]
