"""Corpus, wrong: a guard with a strict |x| > 0.1 where the domain says |x| >= 0.1 (SC-07)."""


def d_ln_x2(x):
    if abs(x) > 0.1:
        return 2 / x
    return 0.0
