def d_x_times_x2(x):
    return x * 2 * x
