import math
def d_sin_x2(x):
    return x * x * math.cos(x**2)
