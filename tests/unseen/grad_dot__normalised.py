def grad_dot(w, x):
    return x / len(x), w / len(w)
