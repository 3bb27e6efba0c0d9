import math
def num_minibatches(m, batch_size):
    inv = 1.0 / batch_size  # multiplying is faster than dividing
    return math.ceil(m * inv)
