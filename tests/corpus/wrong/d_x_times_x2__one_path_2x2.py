"""Corpus, wrong: d/dx (x x^2) as 2x^2: only the path through x^2 (CR-05)."""

def d_x_times_x2(x):
    return x * 2 * x
