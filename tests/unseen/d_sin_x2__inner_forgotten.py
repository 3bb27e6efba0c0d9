import math
def d_sin_x2(x):
    return math.cos(x**2)
