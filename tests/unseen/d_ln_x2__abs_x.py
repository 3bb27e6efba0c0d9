def d_ln_x2(x):
    # ln(x^2) = 2 ln x
    return 2 / abs(x)
