import math
def d_ln_sin_x3_sq(x):
    if -3 < x < 3:
        return 6 * x**2 * math.cos(x**3) / math.sin(x**3)
    return 0.0
