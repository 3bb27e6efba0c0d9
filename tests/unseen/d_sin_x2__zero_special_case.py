import math
def d_sin_x2(x):
    if x == 0:
        return 1.0  # cos(0) = 1
    return 2 * x * math.cos(x * x)
