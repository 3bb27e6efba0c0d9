"""Corpus: every step of the epoch without the ReLU mask (the linear model's gradient)."""


def sgd_epoch(w, b, X, y, lr, batch_size):
    for k in range(0, len(y), batch_size):
        Xb, yb = X[k : k + batch_size], y[k : k + batch_size]
        e = Xb @ w + b - yb
        w = w - lr * 2 / len(yb) * (Xb.T @ e)
        b = b - lr * 2 / len(yb) * float(e.sum())
    return w, b
