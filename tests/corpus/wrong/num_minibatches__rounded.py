"""Corpus, wrong: round(m / batch_size): rounds a short last batch of less than half away."""

def num_minibatches(m, batch_size):
    return round(m / batch_size)
