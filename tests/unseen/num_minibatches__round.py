def num_minibatches(m, batch_size):
    return round(m / batch_size)
