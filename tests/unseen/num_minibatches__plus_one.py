def num_minibatches(m, batch_size):
    return m // batch_size + 1
