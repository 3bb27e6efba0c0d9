def d_x_plus_x2(x):
    if x == 0:
        return 0
    return 1 + 2 * x
