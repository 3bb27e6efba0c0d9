"""Corpus, wrong: d/dx ln(x^2) as -2/x."""

def d_ln_x2(x):
    return -2 / x
