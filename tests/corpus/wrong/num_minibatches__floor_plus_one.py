"""Corpus, wrong: m // batch_size + 1: one batch too many when the size divides m."""

def num_minibatches(m, batch_size):
    return m // batch_size + 1
