import math
def d_sin_x_plus_x2(x):
    return math.cos(x + x**2)
