import math
def d_sin_x2(x):
    return 2 * abs(x) * math.cos(x * x)
