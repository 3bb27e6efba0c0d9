"""Corpus, wrong: W a + b: max(0, .) not applied."""

def layer_forward(W, b_vec, a_prev):
    return W @ a_prev + b_vec
