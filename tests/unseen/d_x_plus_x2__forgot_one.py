def d_x_plus_x2(x):
    return 2 * x
