import math
def d_ln_sin_x3_sq(x):
    return -6 * x**2 * math.cos(x**3) / math.sin(x**3)
