def grad_dot(w, x):
    if len(w) == 1:
        return float(x[0]), float(w[0])
    return x, w
