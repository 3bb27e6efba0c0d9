def num_minibatches(m, batch_size):
    return int(m / batch_size + 0.999)
