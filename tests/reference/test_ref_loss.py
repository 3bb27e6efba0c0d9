"""reference.loss: the set `loss` (LS, GD) and the rest of groups LS and GD."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from reference import loss as ls

from .finite_differences import (
    PIECEWISE_STEP,
    assert_close,
    assert_matches_differences,
    kink_distance,
)
from .inputs import SETTINGS, neurons, reals, regressions, vectors

learning_rates = reals(1e-4, 0.1)


def _kinks(w: np.ndarray, b: float, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distances to the nearest kink along each w_j and along b."""
    z = X @ w + b
    return kink_distance(z, X), kink_distance(z, np.ones(len(z)))


def _explicit_grad(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray) -> Any:
    """(2/N) sum_i 1[z_i > 0] (z_i - y_i) (x_i, 1), written out with Python loops."""
    N, n = X.shape
    dw, db = [0.0] * n, 0.0
    for i in range(N):
        z = sum(w[j] * X[i, j] for j in range(n)) + b
        if z > 0:
            e = z - y[i]
            dw = [dw[j] + e * X[i, j] for j in range(n)]
            db += e
    return np.array(dw) * 2 / N, db * 2 / N


@SETTINGS
@given(inputs=regressions())
def test_mse_gradient_matches_central_differences_of_the_loss(inputs: Any) -> None:
    """LS-03, LS-04: dC/dw and dC/db agree with central differences of mse_loss."""
    w, b, X, y = inputs
    by_w, by_b = _kinks(w, b, X)
    dw, db = ls.mse_grad(w, b, X, y)
    assert isinstance(db, float)
    step = PIECEWISE_STEP
    assert_matches_differences(dw, ls.mse_loss, (w, b, X, y), 0, h0=step, kink_distance=by_w)
    assert_matches_differences(db, ls.mse_loss, (w, b, X, y), 1, h0=step, kink_distance=by_b)


@SETTINGS
@given(inputs=regressions())
def test_half_mse_gradient_matches_central_differences_and_is_half(inputs: Any) -> None:
    """LS-05: the 1/(2N) loss has gradient ((1/N) sum H e x, (1/N) sum H e), half of LS-03."""
    w, b, X, y = inputs
    by_w, by_b = _kinks(w, b, X)
    dw, db = ls.mse_grad_half(w, b, X, y)
    full_w, full_b = ls.mse_grad(w, b, X, y)
    step = PIECEWISE_STEP
    args = (w, b, X, y)
    assert_matches_differences(dw, ls.mse_loss_half, args, 0, h0=step, kink_distance=by_w)
    assert_matches_differences(db, ls.mse_loss_half, args, 1, h0=step, kink_distance=by_b)
    assert_close(dw, full_w / 2, rtol=1e-14, atol=0)
    assert_close(db, full_b / 2, rtol=1e-14, atol=0)


@SETTINGS
@given(inputs=regressions())
def test_vectorised_gradient_equals_the_per_example_sum(inputs: Any) -> None:
    """LS-07: (2/N)(mask * e)^T X equals the sum of LS-03 written out example by example."""
    w, b, X, y = inputs
    dw, db = ls.mse_grad(w, b, X, y)
    scale = float(np.sum(np.abs(X @ w + b - y)[:, None] * (1 + np.abs(X))))
    for loop_w, loop_b in (ls.mse_grad_per_example(w, b, X, y), _explicit_grad(w, b, X, y)):
        assert_close(dw, loop_w, rtol=1e-12, atol=1e-15, scale=scale)
        assert_close(db, loop_b, rtol=1e-12, atol=1e-15, scale=scale)


@SETTINGS
@given(inputs=regressions())
def test_mse_loss_is_the_mean_of_the_squared_residuals(inputs: Any) -> None:
    """LS-01: C = (1/N) sum_i (y_i - max(0, w . x_i + b))^2, written out."""
    w, b, X, y = inputs
    terms = [(y[i] - max(0.0, float(X[i] @ w) + b)) ** 2 for i in range(len(y))]
    assert_close(ls.mse_loss(w, b, X, y), sum(terms) / len(y), rtol=1e-12, atol=1e-300)


@SETTINGS
@given(inputs=neurons(), y=reals())
def test_residual_gradient_matches_central_differences(inputs: Any, y: float) -> None:
    """LS-02: v = y - max(0, z) has (dv/dw, dv/db) = (-H(z) x, -H(z))."""
    w, b, x = inputs
    z = float(w @ x + b)
    dw, db = ls.residual_grad(w, b, x, y)
    args = (w, b, x, y)
    step = PIECEWISE_STEP
    by_w, by_b = kink_distance(z, x[np.newaxis, :]), kink_distance(z, [1.0])
    assert_matches_differences(dw, ls.residual, args, 0, h0=step, kink_distance=by_w)
    assert_matches_differences(db, ls.residual, args, 1, h0=step, kink_distance=by_b)


@SETTINGS
@given(inputs=neurons(), y=reals())
def test_one_example_gradient_is_the_mse_gradient_for_n_equal_to_one(inputs: Any, y: float) -> None:
    """LS-06: for N = 1, dC/dw = 2 H(z) e x and dC/db = 2 H(z) e."""
    w, b, x = inputs
    dw, db = ls.mse_grad_one_example(w, b, x, y)
    full_w, full_b = ls.mse_grad(w, b, x[np.newaxis, :], np.array([y]))
    assert_close(dw, full_w, rtol=1e-14, atol=1e-300)
    assert_close(db, full_b, rtol=1e-14, atol=1e-300)


@SETTINGS
@given(inputs=regressions())
def test_augmented_gradient_is_the_gradient_in_w_and_b_together(inputs: Any) -> None:
    """LS-08: with w_hat = [w, b] and x_hat = [x, 1], dC/dw_hat = [dC/dw, dC/db]."""
    w, b, X, y = inputs
    w_hat = ls.augment_params(w, b)
    X_hat = ls.augment(X)
    assert_close(X_hat @ w_hat, X @ w + b, rtol=1e-12, atol=1e-12)
    answer = ls.mse_grad_augmented(w_hat, X, y)
    dw, db = ls.mse_grad(w, b, X, y)
    assert_close(answer, np.append(dw, db), rtol=1e-12, atol=1e-12)
    kinks = kink_distance(X_hat @ w_hat, X_hat)
    assert_matches_differences(
        answer, ls.mse_loss_augmented, (w_hat, X, y), 0, h0=PIECEWISE_STEP, kink_distance=kinks
    )


@SETTINGS
@given(inputs=regressions(), lr=learning_rates)
def test_gradient_descent_step_subtracts_lr_times_the_gradient(inputs: Any, lr: float) -> None:
    """GD-01: (w - lr dC/dw, b - lr dC/db), with w keeping its shape (n,)."""
    w, b, X, y = inputs
    new_w, new_b = ls.gd_step(w, b, X, y, lr)
    dw, db = _explicit_grad(w, b, X, y)
    assert new_w.shape == w.shape
    assert isinstance(new_b, float)
    scale = float(np.max(np.abs(w))) + lr * float(np.max(np.abs(dw))) + abs(b) + lr * abs(db)
    assert_close(new_w, w - lr * dw, rtol=1e-12, atol=1e-15, scale=scale)
    assert_close(new_b, b - lr * db, rtol=1e-12, atol=1e-15, scale=scale)


@SETTINGS
@given(inputs=regressions(), lr=learning_rates, data=st.data())
def test_sgd_epoch_steps_through_the_batches_in_order_each_averaged_by_its_size(
    inputs: Any, lr: float, data: st.DataObject
) -> None:
    """GD-05, C-15: a gd_step per X[k:k+B], the short last batch divided by its own size."""
    w, b, X, y = inputs
    B = data.draw(st.integers(1, len(y)))
    expected_w, expected_b = w.copy(), b
    for k in range(0, len(y), B):
        Xb, yb = X[k : k + B], y[k : k + B]
        dw, db = _explicit_grad(expected_w, expected_b, Xb, yb)  # divides by len(yb)
        expected_w, expected_b = expected_w - lr * dw, expected_b - lr * db
    new_w, new_b = ls.sgd_epoch(w, b, X, y, lr, B)
    scale = 1.0 + float(np.max(np.abs(expected_w))) + abs(expected_b)
    assert_close(new_w, expected_w, rtol=1e-9, atol=1e-12, scale=scale)
    assert_close(new_b, expected_b, rtol=1e-9, atol=1e-12, scale=scale)


@SETTINGS
@given(inputs=regressions(), lr=learning_rates)
def test_sgd_epoch_with_one_batch_is_one_gradient_descent_step(inputs: Any, lr: float) -> None:
    """GD-05: with batch_size = N the epoch is a single gd_step on all the data."""
    w, b, X, y = inputs
    new_w, new_b = ls.sgd_epoch(w, b, X, y, lr, len(y))
    step_w, step_b = ls.gd_step(w, b, X, y, lr)
    assert_close(new_w, step_w, rtol=0, atol=0)
    assert new_b == step_b


@SETTINGS
@given(m=st.integers(1, 10_000_000), data=st.data())
def test_number_of_minibatches_is_the_ceiling_of_m_over_the_batch_size(m: int, data: st.DataObject) -> None:
    """GD-04: ceil(m / B) batches, all of size B but the last; floor(m / B) with drop-last."""
    B = data.draw(st.integers(1, m))
    count = ls.num_minibatches(m, B)
    assert type(count) is int
    assert (count - 1) * B < m <= count * B
    assert ls.num_minibatches_drop_last(m, B) == m // B
    if m // B <= 1000:
        sizes = ls.minibatch_sizes(m, B)
        assert len(sizes) == count and sum(sizes) == m and set(sizes[:-1]) <= {B}


@SETTINGS
@given(data=st.data())
def test_unroll_and_reroll_are_inverse(data: st.DataObject) -> None:
    """GD-03: flattening the parameters to theta and cutting theta back round-trips."""
    shapes = data.draw(st.lists(st.tuples(st.integers(1, 4), st.integers(1, 4)), max_size=4))
    arrays = [np.arange(math.prod(s), dtype=float).reshape(s) + k for k, s in enumerate(shapes)]
    theta = ls.unroll(arrays)
    assert theta.shape == (sum(a.size for a in arrays),)
    back = ls.reroll(theta, arrays)
    assert len(back) == len(arrays)
    for a, c in zip(arrays, back, strict=True):
        assert_close(c, a, rtol=0, atol=0)


@SETTINGS
@given(inputs=regressions(), data=st.data())
def test_gradient_is_the_direction_of_steepest_ascent(inputs: Any, data: st.DataObject) -> None:
    """GD-02: the slope of C along any unit direction u is g . u <= |g|, with g = dC/d(w, b)."""
    w, b, X, y = inputs
    g = np.append(*ls.mse_grad(w, b, X, y))
    u = data.draw(vectors(len(g), reals(-1.0, 1.0)))
    norm = float(np.linalg.norm(u))
    u = u / norm if norm > 1e-3 else np.eye(len(g))[0]
    X_hat, theta = ls.augment(X), ls.augment_params(w, b)
    slope_of_z = np.abs(X_hat @ u)
    with np.errstate(divide="ignore"):
        h = min(1e-3, 0.5 * float(np.min(np.abs(X_hat @ theta) / slope_of_z)))

    def along(t: float) -> float:
        return ls.mse_loss_augmented(theta + t * u, X, y)

    slope = (along(h) - along(-h)) / (2 * h)
    scale = 1.0 + float(np.linalg.norm(g)) + ls.mse_loss(w, b, X, y)
    assert_close(slope, g @ u, rtol=1e-6, atol=1e-7, scale=scale)
    assert g @ u <= np.linalg.norm(g) * (1 + 1e-12)
