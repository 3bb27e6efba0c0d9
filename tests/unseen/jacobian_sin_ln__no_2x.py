import math
def jacobian_sin_ln(x, y):
    c = math.cos(x**2 + y)
    return [[c, c], [0, 3 / y]]
