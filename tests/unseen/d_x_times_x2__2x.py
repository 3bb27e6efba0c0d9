def d_x_times_x2(x):
    return 2 * x
