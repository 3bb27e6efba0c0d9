"""Corpus, wrong: the formula answer "1/x^2" for d/dx ln(x^2): the inner derivative 2x is forgotten."""

d_ln_x2 = "1/x^2"
