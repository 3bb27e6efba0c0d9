def grad_3x2y(x, y):
    return [3 * x * y, 3 * x**2]
