import math
def jacobian_sin_ln(x, y):
    c = math.cos(x**2 + y)
    return [[2 * x * c, c], [0, 1 / y**3]]
