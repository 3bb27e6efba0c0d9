"""Set `loss`: the MSE loss, its gradient and gradient descent (P&H §6; Dhaller's notes §3)."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from grader.exercise import Exercise, FiniteDifference, Mistake
from reference import loss as ref

SET = "loss"
KINK_DISTANCE = 1e-4  # along an epoch, every pre-activation stays this far from 0 (K11)


def _regression() -> Any:
    from grader.exercise import strategies

    return strategies.regression()


def _with_lr() -> Any:
    from grader.exercise import strategies

    return strategies.regression(with_lr=True)


@cache  # one strategy per N: building and validating it anew for every draw cost more than the draw
def _batch_sizes(N: int) -> Any:
    from hypothesis import strategies as st

    divisors = [d for d in range(1, N + 1) if N % d == 0]
    # The short last batch at both extremes: one row left over, or one row short of a batch.
    remainders = sorted({b for b in range(2, N + 1) if N % b in (1, b - 1)}) or [N]
    return st.one_of(
        st.sampled_from(sorted({1, N})),
        st.sampled_from(divisors),
        st.integers(min_value=1, max_value=N),
        st.sampled_from(remainders),
    )


def _epoch_inputs() -> Any:
    from hypothesis import assume
    from hypothesis import strategies as st

    from grader.exercise import strategies

    @st.composite
    def draw(draw: Any) -> dict[str, Any]:
        inputs: dict[str, Any] = draw(strategies.regression(with_lr=True))
        X = inputs["X"]
        inputs["batch_size"] = draw(_batch_sizes(X.shape[0]))
        w, b = inputs["w"], inputs["b"]
        for k in range(0, X.shape[0], inputs["batch_size"]):
            rows = slice(k, k + inputs["batch_size"])
            # The first batch is the drawn (w, b): its pre-activations are exact or far from
            # the kink (the kink corner of strategies.regression); the later ones are not.
            distance = 1e-6 if k == 0 else KINK_DISTANCE
            assume(bool(np.all(np.abs(X[rows] @ w + b) >= distance)))
            w, b = ref.gd_step(w, b, X[rows], inputs["y"][rows], inputs["lr"])
        return inputs

    return draw()


def _counts() -> Any:
    from grader.exercise import strategies

    return strategies.counts(max_count=10_000_000)


def _pre(w: Any, b: float, X: Any, *rest: Any) -> Any:
    """The pre-activations z_i = w . x_i + b of every row (K11)."""
    return X @ w + b


def _epoch_pre(w: Any, b: float, X: Any, y: Any, lr: float, batch_size: int) -> Any:
    """Every pre-activation along an epoch: each batch's rows at that step's (w, b) (K11)."""
    found = []
    for k in range(0, X.shape[0], int(batch_size)):
        rows = slice(k, k + int(batch_size))
        found.append(X[rows] @ w + b)
        w, b = ref.gd_step(w, b, X[rows], y[rows], lr)
    return np.concatenate(found)


def _active(w: Any, b: float, X: Any) -> Any:
    return (X @ w + b > 0).astype(float)


def _loss_masked(w: Any, b: float, X: Any, y: Any, mask: Any) -> float:
    """mse_loss with the ReLU mask H given (grader/checking/diagnosis.py: a wrong mask near the kink)."""
    return float(np.mean((y - mask * (X @ w + b)) ** 2))


def _grad_masked(factor: float) -> Any:
    def answer(w: Any, b: float, X: Any, y: Any, mask: Any) -> tuple[Any, float]:
        e = mask * (X @ w + b - y)
        return (factor / X.shape[0] * (e @ X), factor / X.shape[0] * float(np.sum(e)))

    return answer


def _step_masked(w: Any, b: float, X: Any, y: Any, lr: float, mask: Any) -> tuple[Any, float]:
    gw, gb = _grad_masked(2.0)(w, b, X, y, mask)
    return (w - lr * gw, b - lr * gb)


def _scale_grad(factor: float) -> Any:
    def scale(w: Any, b: float, X: Any, y: Any) -> list[Any]:
        N = X.shape[0]
        h = _active(w, b, X)
        terms = h * (np.abs(X) @ np.abs(w) + abs(b) + np.abs(y))
        return [factor / N * (terms @ np.abs(X)), factor / N * float(np.sum(terms))]

    return scale


def _scale_loss(w: Any, b: float, X: Any, y: Any) -> list[Any]:
    a = np.abs(X) @ np.abs(w) + abs(b)
    return [float(np.mean((a + np.abs(y)) ** 2))]


def _loss_no_relu(w: Any, b: float, X: Any, y: Any) -> float:
    return float(np.mean((y - (X @ w + b)) ** 2))


def _grad_unmasked(factor: float) -> Any:
    def answer(w: Any, b: float, X: Any, y: Any) -> tuple[Any, float]:
        e = X @ w + b - y
        return (factor / X.shape[0] * (e @ X), factor / X.shape[0] * float(np.sum(e)))

    return answer


def _db_unmasked(factor: float) -> Any:
    """dC/dw right, dC/db without the mask (catalogue LS-04)."""

    def answer(w: Any, b: float, X: Any, y: Any) -> tuple[Any, float]:
        e = X @ w + b - y
        return (factor / X.shape[0] * ((e * _active(w, b, X)) @ X), factor / X.shape[0] * float(np.sum(e)))

    return answer


def _grad_active_mean(w: Any, b: float, X: Any, y: Any) -> tuple[Any, float]:
    h = _active(w, b, X)
    count = max(1.0, float(np.sum(h)))
    e = h * (X @ w + b - y)
    return (2 / count * (e @ X), 2 / count * float(np.sum(e)))


def _step_with(gradient: Any, sign: float = -1.0) -> Any:
    def answer(w: Any, b: float, X: Any, y: Any, lr: float) -> tuple[Any, float]:
        gw, gb = gradient(w, b, X, y)
        return (w + sign * lr * gw, b + sign * lr * gb)

    return answer


def _step_b_with_dw(*, whole: bool) -> Any:
    """GD-01: b stepped with dC/dw (the whole vector, or its first entry as a float)."""

    def answer(w: Any, b: float, X: Any, y: Any, lr: float) -> tuple[Any, Any]:
        gw, _ = ref.mse_grad(w, b, X, y)
        return (w - lr * gw, b - lr * (gw if whole else float(gw[0])))

    return answer


def _epoch_dividing_by(batch_of: str) -> Any:
    """An epoch whose batch gradients are means over `batch_of` ("nominal": batch_size rows,
    "all": N rows, "one": not divided, a sum) instead of over the batch's own rows."""

    def answer(w: Any, b: float, X: Any, y: Any, lr: float, batch_size: int) -> tuple[Any, float]:
        for k in range(0, X.shape[0], batch_size):
            Xb, yb = X[k : k + batch_size], y[k : k + batch_size]
            gw, gb = ref.mse_grad(w, b, Xb, yb)
            divisor = {"nominal": batch_size, "all": X.shape[0], "one": 1}[batch_of]
            size = Xb.shape[0] / divisor
            w, b = w - lr * gw * size, b - lr * gb * size
        return (w, b)

    return answer


def _epoch_dropping_last(w: Any, b: float, X: Any, y: Any, lr: float, batch_size: int) -> tuple[Any, float]:
    for k in range(0, X.shape[0] - batch_size + 1, batch_size):
        w, b = ref.gd_step(w, b, X[k : k + batch_size], y[k : k + batch_size], lr)
    return (w, b)


def _epoch_masked(
    w: Any, b: float, X: Any, y: Any, lr: float, batch_size: int, mask: Any
) -> tuple[Any, float]:
    """sgd_epoch with the ReLU mask H given along the epoch, in the order of `_epoch_pre`
    (each batch's rows at that step); an all-ones mask is the mask forgotten."""
    start = 0
    for k in range(0, X.shape[0], int(batch_size)):
        Xb, yb = X[k : k + int(batch_size)], y[k : k + int(batch_size)]
        w, b = _step_masked(w, b, Xb, yb, lr, mask[start : start + Xb.shape[0]])
        start += Xb.shape[0]
    return (w, b)


def _epoch_unmasked(w: Any, b: float, X: Any, y: Any, lr: float, batch_size: int) -> tuple[Any, float]:
    return _epoch_masked(w, b, X, y, lr, batch_size, np.ones(X.shape[0]))


def _grad_mask_without_bias(factor: float) -> Any:
    """The gradient with the mask taken at X w, the bias left out of z (the error keeps it)."""

    def answer(w: Any, b: float, X: Any, y: Any) -> tuple[Any, float]:
        e = (X @ w > 0) * (X @ w + b - y)
        return (factor / X.shape[0] * (e @ X), factor / X.shape[0] * float(np.sum(e)))

    return answer


GRAD = ("dC/dw", "dC/db")

EXERCISES = (
    Exercise(
        name="mse_loss",
        set=SET,
        params=("w", "b", "X", "y"),
        task="Return the loss C = (1/N) sum_i (y_i - max(0, w . x_i + b))^2, a float (K5, K8).",
        section="P&H §6 (the loss)",
        catalogue=("LS-01",),
        results=("C",),
        inputs=_regression,
        reference=ref.mse_loss,
        pre_activations=_pre,
        extra={"masked": _loss_masked},
        scale=_scale_loss,
        mistakes=(
            Mistake(
                "missing-mask",
                "max(0, .) is missing: the prediction is z instead of the activation",
                _loss_no_relu,
            ),
            Mistake(
                "wrong-rule",
                "the difference is not squared",
                lambda w, b, X, y: float(np.mean(y - np.maximum(0, X @ w + b))),
            ),
        ),
    ),
    Exercise(
        name="mse_grad",
        set=SET,
        params=("w", "b", "X", "y"),
        task="Return (dC/dw of shape (n,), dC/db a float) for the loss of mse_loss (K7, K8).",
        section="P&H §6.1 and §6.2 (mind the errata ER-30 and ER-31)",
        catalogue=("LS-03", "LS-04"),
        results=GRAD,
        inputs=_regression,
        reference=ref.mse_grad,
        pre_activations=_pre,
        extra={"masked": _grad_masked(2.0)},
        primal=ref.mse_loss,
        primal_name="C = mse_loss(w, b, X, y)",
        finite_differences=(FiniteDifference("dC/dw", "w"), FiniteDifference("dC/db", "b")),
        scale=_scale_grad(2.0),
        mistakes=(
            Mistake(
                "wrong-variable",
                "the mask is taken at X w, without the bias: H(z) needs z = X w + b",
                _grad_mask_without_bias(2.0),
            ),
            Mistake(
                "missing-mask",
                "the ReLU mask is missing: only examples with z_i > 0 contribute",
                _grad_unmasked(2.0),
            ),
            Mistake(
                "missing-mask",
                "the ReLU mask is missing in dC/db: only examples with z_i > 0 contribute",
                _db_unmasked(2.0),
            ),
            Mistake(
                "normalisation",
                "you divided by the number of active examples instead of N",
                _grad_active_mean,
            ),
        ),
    ),
    Exercise(
        name="mse_grad_half",
        set=SET,
        params=("w", "b", "X", "y"),
        task="Return (dC/dw, dC/db) for C = 1/(2N) sum_i (y_i - max(0, w . x_i + b))^2 (K8).",
        section="Dhaller's notes §3.4-§3.6",
        catalogue=("LS-05",),
        results=GRAD,
        inputs=_regression,
        reference=ref.mse_grad_half,
        pre_activations=_pre,
        extra={"masked": _grad_masked(1.0)},
        primal=lambda w, b, X, y: ref.mse_loss(w, b, X, y) / 2,
        primal_name="C = mse_loss(w, b, X, y) / 2",
        finite_differences=(FiniteDifference("dC/dw", "w"), FiniteDifference("dC/db", "b")),
        scale=_scale_grad(1.0),
        mistakes=(
            Mistake(
                "wrong-variable",
                "the mask is taken at X w, without the bias: H(z) needs z = X w + b",
                _grad_mask_without_bias(1.0),
            ),
            Mistake(
                "missing-mask",
                "the ReLU mask is missing: only examples with z_i > 0 contribute",
                _grad_unmasked(1.0),
            ),
            Mistake(
                "missing-mask",
                "the ReLU mask is missing in dC/db: only examples with z_i > 0 contribute",
                _db_unmasked(1.0),
            ),
        ),
    ),
    Exercise(
        name="gd_step",
        set=SET,
        params=("w", "b", "X", "y", "lr"),
        task="Return (w, b) after one gradient-descent step on mse_loss with learning rate lr.",
        section="P&H §6.1 (mind erratum ER-32); Dhaller's notes §3.7",
        catalogue=("GD-01",),
        results=("w", "b"),
        inputs=_with_lr,
        reference=ref.gd_step,
        pre_activations=_pre,
        extra={"masked": _step_masked},
        mistakes=(
            Mistake(
                "sign",
                "you stepped up the gradient (w + lr dC/dw); descent goes against it",
                _step_with(ref.mse_grad, sign=1.0),
            ),
            Mistake(
                "factor",
                "you used the gradient of the 1/(2N) loss, half the right step",
                _step_with(ref.mse_grad_half),
            ),
            Mistake("missing-mask", "the gradient lacks the ReLU mask", _step_with(_grad_unmasked(2.0))),
            Mistake(
                "wrong-variable",
                "b was updated with dC/dw instead of dC/db",
                _step_b_with_dw(whole=True),
            ),
            Mistake(
                "wrong-variable",
                "b was updated with (an entry of) dC/dw instead of dC/db",
                _step_b_with_dw(whole=False),
            ),
        ),
    ),
    Exercise(
        name="num_minibatches",
        set=SET,
        params=("m", "batch_size"),
        task="Return the number of minibatches in one pass over m examples, the last one possibly short.",
        section="Dhaller's notes §3.8 (mind erratum ER-19)",
        catalogue=("GD-04",),
        results=("count",),
        inputs=_counts,
        reference=ref.num_minibatches,
        exact=True,
        examples=lambda: [
            {"m": 1_000_000, "batch_size": 120},
            {"m": 120, "batch_size": 120},
            {"m": 121, "batch_size": 120},
        ],
        mistakes=(
            Mistake(
                "off-by-one",
                "the short last batch is dropped (floor instead of ceil)",
                lambda m, batch_size: m // batch_size,
            ),
            Mistake(
                "off-by-one",
                "a count of batches is a whole number: round up",
                lambda m, batch_size: m / batch_size,
            ),
            Mistake(
                "off-by-one",
                "one batch too many when the size divides m",
                lambda m, batch_size: m // batch_size + 1,
            ),
        ),
    ),
    Exercise(
        name="sgd_epoch",
        set=SET,
        params=("w", "b", "X", "y", "lr", "batch_size"),
        task="Return (w, b) after one pass of minibatch gradient descent over the rows of X, in order.",
        section="Dhaller's notes §3.8; P&H §1",
        catalogue=("GD-05",),
        results=("w", "b"),
        inputs=_epoch_inputs,
        reference=ref.sgd_epoch,
        pre_activations=_epoch_pre,
        extra={"masked": _epoch_masked},
        examples=lambda: [
            {
                "w": np.array([1.0]),
                "b": 0.5,
                "X": np.array([[1.0], [2.0], [3.0], [4.0], [5.0]]),
                "y": np.array([1.0, 2.5, 2.0, 4.0, 6.0]),
                "lr": 0.01,
                "batch_size": 2,
            }
        ],
        mistakes=(
            Mistake(
                "normalisation",
                "the short last batch is averaged over batch_size, not its real size",
                _epoch_dividing_by("nominal"),
            ),
            Mistake(
                "normalisation",
                "each batch is averaged over all N examples",
                _epoch_dividing_by("all"),
            ),
            Mistake(
                "normalisation",
                "each batch gradient is summed over its examples instead of averaged",
                _epoch_dividing_by("one"),
            ),
            Mistake("off-by-one", "the short last batch is dropped", _epoch_dropping_last),
            Mistake(
                "missing-mask",
                "the ReLU mask is missing in each step: the error counts only where z > 0",
                _epoch_unmasked,
            ),
        ),
    ),
)
