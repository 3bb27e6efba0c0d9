"""Corpus, wrong: 2/|x|: ln(x^2) = 2 ln|x| differentiated as if |x| were x (wrong for x < 0)."""

def d_ln_x2(x):
    return 2 / abs(x)
