"""Corpus: d/dy e^y written as e^x, one entry of the Jacobian taken at the wrong variable."""

import numpy as np


def jacobian_2x_y3(x, y):
    return np.array([[2.0, 3 * y**2], [-13.0, np.exp(x)]])
