"""Corpus, wrong: 1/x^3 for 2/x; equal to 1/x^2 (a declared mistake) only at x = 1."""


def d_ln_x2(x):
    return 1 / x**3
