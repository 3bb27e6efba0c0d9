"""Corpus, wrong: dy/dx as the scalar z instead of z I (SE-02)."""

def jac_scalar_mul(x, z):
    return z, x.copy()
