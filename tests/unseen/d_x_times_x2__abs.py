def d_x_times_x2(x):
    return 3 * x * abs(x)
