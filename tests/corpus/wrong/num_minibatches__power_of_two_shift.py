"""Corpus, wrong: a special case for batch sizes that are powers of two, a shift: floor, not ceil (GD-04)."""


def num_minibatches(m, batch_size):
    if batch_size & (batch_size - 1) == 0:
        return m >> (batch_size.bit_length() - 1)
    return -(-m // batch_size)
