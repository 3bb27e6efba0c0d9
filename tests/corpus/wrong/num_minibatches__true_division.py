"""Corpus, wrong: m / batch_size: a non-integer count (GD-04: 8,333.33)."""

def num_minibatches(m, batch_size):
    return m / batch_size
