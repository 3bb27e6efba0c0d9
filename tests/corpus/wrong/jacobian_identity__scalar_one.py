"""Corpus, wrong: The Jacobian of f(x) = x as the scalar 1 (GJ-08)."""

def jacobian_identity(x):
    return 1.0
