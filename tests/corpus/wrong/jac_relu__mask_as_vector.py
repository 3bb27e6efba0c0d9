"""Corpus, wrong: The mask 1[x > 0] as a vector, as the P&H aside prints it (EW-09, ER-29)."""

def jac_relu(x):
    return (x > 0).astype(float)
