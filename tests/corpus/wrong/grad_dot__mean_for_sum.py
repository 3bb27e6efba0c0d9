"""Corpus: the gradients divided by n, as if y were the mean of w * x."""


def grad_dot(w, x):
    return x / len(x), w / len(w)
