def d_ln_x2(x):
    return 1 / x
