import math
def d_ln_sin_x3_sq(x):
    return 6 * x**2 * math.tan(x**3)
