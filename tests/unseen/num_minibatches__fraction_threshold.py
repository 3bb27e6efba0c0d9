def num_minibatches(m, batch_size):
    q = m / batch_size
    return int(q) + (1 if q - int(q) > 1e-6 else 0)
