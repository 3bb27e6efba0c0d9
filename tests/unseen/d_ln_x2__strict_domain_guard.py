def d_ln_x2(x):
    if abs(x) > 0.1:
        return 2 / x
    return 0.0  # outside the domain
