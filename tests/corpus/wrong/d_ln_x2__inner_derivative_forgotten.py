"""Corpus, wrong: d/dx ln(x^2) as 1/x^2: the inner derivative 2x is forgotten (SC-07)."""

def d_ln_x2(x):
    return 1 / x**2
