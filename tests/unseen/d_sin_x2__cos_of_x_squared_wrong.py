import math
def d_sin_x2(x):
    return 2 * x * math.cos(x)
