"""Corpus, wrong: d/dx (x x^2) as x^2: only the direct path (CR-05)."""

def d_x_times_x2(x):
    return x**2
