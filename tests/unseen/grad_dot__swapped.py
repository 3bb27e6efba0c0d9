def grad_dot(w, x):
    return w, x
