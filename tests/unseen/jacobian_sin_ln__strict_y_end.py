import math
def jacobian_sin_ln(x, y):
    c = math.cos(x**2 + y)
    return [[2 * x * c, c], [0, 3 / y if y > 0.1 else 0.0]]
