"""Corpus, wrong: d/dx ln(x^2) as 1/x: the factor 2 of the inner derivative is lost."""

def d_ln_x2(x):
    return 1 / x
