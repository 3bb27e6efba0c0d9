"""Corpus, wrong only for some exact multiples: m * (1/b) rounds above m / b in float64."""

import math


def num_minibatches(m, batch_size):
    return math.ceil(m * (1.0 / batch_size))
