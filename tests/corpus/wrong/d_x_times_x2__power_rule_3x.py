"""Corpus, wrong: d/dx x^3 as 3x: the power rule misapplied (CR-05)."""

def d_x_times_x2(x):
    return 3 * x
