"""Corpus, wrong: d/dx (x + x^2) as 2x: only the path through u1 = x^2 (CR-01, the P&H trap)."""

def d_x_plus_x2(x):
    du1_dx = 2 * x
    du2_du1 = 1
    return du2_du1 * du1_dx
