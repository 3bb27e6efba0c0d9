"""One test per erratum ER-01..ER-38 of catalogue.md §2: each pins the correct statement.

Each test computes the fact the source got wrong (or, for notation-only items, the numeric
fact the item is about) with the references, sympy or numpy, at a point where the source's
version would give a different answer.  docs/errata.md lists the items and these tests.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given

from reference import (
    backprop,
    elementwise,
    jacobians,
    loss,
    misc,
    neuron,
    reductions,
    scalar,
)

from .finite_differences import (
    PIECEWISE_STEP,
    assert_close,
    assert_matches_differences,
    jacobian,
    kink_distance,
)
from .inputs import SETTINGS, networks, neurons, reals, regressions


def _symbols(names: str) -> Any:
    """Real sympy symbols."""
    import sympy

    return sympy.symbols(names, real=True)


# -- S004 §1.5 ---------------------------------------------------------------------------------


def test_er01_gradient_of_x2_plus_cos_y_has_minus_sin_y() -> None:
    """ER-01: grad(x^2 + cos y) = [2x, -sin(y)], not [2x, -sin(x)], at (1, 3) where they differ."""
    import sympy

    x, y = 1.0, 3.0
    gradient = jacobians.grad_x2_cos_y(x, y)
    assert_close(gradient, [2.0, -math.sin(y)])
    assert abs(gradient[1] - (-math.sin(x))) > 0.1
    X, Y = _symbols("x y")
    assert sympy.diff(X**2 + sympy.cos(Y), Y) == -sympy.sin(Y)


def test_er02_row_and_column_gradients_have_the_same_entries_and_k2_returns_1d() -> None:
    """ER-02: PH's 1x2 row and S004's 2x1 column hold the same entries; K2 returns shape (2,)."""
    x, y = 1.5, -0.5
    answer = jacobians.grad_3x2y(x, y)
    estimate = jacobian(lambda v: jacobians.three_x2_y(*v), (np.array([x, y]),), 0)
    row, column = estimate.reshape(1, 2), estimate.reshape(2, 1)
    assert answer.shape == (2,)
    assert jacobians.PRIMALS["grad_3x2y"].derivative().shape == (1, 2)  # PH: a row
    assert_close(answer, row.ravel())
    assert_close(answer, column.ravel())


@SETTINGS
@given(x=reals(), y=reals(0.1, 10.0))
def test_er03_outer_jacobian_of_sin_and_ln_is_diag_cos_g1_and_1_over_g2(x: float, y: float) -> None:
    """ER-03: dF/dg = diag(cos g1, 1/g2) for F = [sin g1, ln g2], since d ln(g2)/dg2 = 1/g2."""
    g = np.array([x * x + y, y**3])
    answer = jacobians.dF_dg_sin_ln(x, y)
    assert_close(answer, np.diag([math.cos(g[0]), 1.0 / g[1]]), rtol=1e-12)
    F = lambda t: np.array([math.sin(t[0]), math.log(t[1])])  # noqa: E731
    assert_matches_differences(answer, F, (g,), 0)


def test_er03_sympy_derivative_of_ln_g2_is_1_over_g2() -> None:
    """ER-03: sympy's d ln(g2)/dg2 is 1/g2, not g2."""
    import sympy

    (g2,) = _symbols("g2,")
    assert sympy.diff(sympy.log(g2), g2) == 1 / g2


@SETTINGS
@given(x=reals(), y=reals(0.1, 10.0))
def test_er04_inner_jacobian_has_3y2_in_the_corner(x: float, y: float) -> None:
    """ER-04: dg/d(x, y) = [[2x, 1], [0, 3y^2]] for g = [x^2 + y, y^3] (d y^3/dy = 3y^2, not y^3)."""
    import sympy

    answer = jacobians.dg_dxy_sin_ln(x, y)
    g = lambda v: np.array([v[0] ** 2 + v[1], v[1] ** 3])  # noqa: E731
    assert_matches_differences(answer, g, (np.array([x, y]),), 0)
    assert_close(answer[1, 1], 3 * y * y)
    (Y,) = _symbols("y,")
    assert sympy.diff(Y**3, Y) == 3 * Y**2


@SETTINGS
@given(x=reals(), y=reals(0.1, 10.0))
def test_er05_jacobian_of_sin_and_ln_has_3_over_y_in_the_corner(x: float, y: float) -> None:
    """ER-05: J = [[2x cos(x^2+y), cos(x^2+y)], [0, 3/y]]: d ln(y^3)/dy = 3/y, not y^3 or y^6."""
    answer = jacobians.jacobian_sin_ln(x, y)
    assert_close(answer[1], [0.0, 3.0 / y], rtol=1e-14)
    assert_close(answer, jacobians.jacobian_sin_ln_chain(x, y), rtol=1e-12)
    assert_matches_differences(answer, lambda v: jacobians.vec_sin_ln(*v), (np.array([x, y]),), 0)


def test_er05_sympy_derivative_of_ln_y3_is_3_over_y() -> None:
    """ER-05: sympy's d ln(y^3)/dy simplifies to 3/y (y > 0), which is not y^3 at y = 2."""
    import sympy

    (y,) = _symbols("y,")
    derivative = sympy.diff(sympy.log(y**3), y)
    assert sympy.simplify(derivative - 3 / y) == 0
    assert derivative.subs(y, 2) == sympy.Rational(3, 2) != 2**3


# -- S004 §3.2 ---------------------------------------------------------------------------------


def test_er06_elementwise_looking_maps_can_have_full_jacobians() -> None:
    """ER-06: softmax and f = [v1 v2, v1 v2] have non-diagonal Jacobians."""
    import sympy

    z = np.array([0.0, 1.0, 2.0])
    J = misc.softmax_jacobian(z)
    assert_matches_differences(J, misc.softmax, (z,), 0)
    assert np.all(J[~np.eye(3, dtype=bool)] != 0)
    v1, v2 = _symbols("v1 v2")
    assert not sympy.Matrix([v1 * v2, v1 * v2]).jacobian([v1, v2]).is_diagonal()


def test_er07_derivative_of_v_times_a_scalar_by_the_scalar_is_an_n_by_1_jacobian() -> None:
    """ER-07: d(v x)/dx for a scalar x is the n x 1 Jacobian v (K2: shape (n,)), not a gradient."""
    v, x = np.array([1.0, -2.0, 3.0]), 0.7
    _, d_dx = elementwise.jac_scalar_mul(v, x)
    estimate = jacobian(elementwise.scalar_mul, (v, x), 1)
    assert d_dx.shape == estimate.shape == jacobians.derivative_shape(3, None) == (3,)
    assert_close(d_dx, v, rtol=0, atol=0)
    assert_close(d_dx, estimate)


def test_er08_gradient_of_a_sum_takes_column_sums_not_the_trace() -> None:
    """ER-08: entry j of d sum(A v)/dv is sum_i A_ij (column sums), not the trace in every slot."""
    A = np.array([[1.0, 2.0, 0.0], [3.0, -1.0, 4.0], [0.0, 5.0, 2.0]])
    v = np.array([0.3, -0.2, 0.9])
    answer = reductions.grad_sum_of(A)
    assert_matches_differences(answer, lambda t: float(np.sum(A @ t)), (v,), 0)
    assert_close(answer, [4.0, 6.0, 6.0], rtol=0, atol=0)
    assert not np.allclose(answer, np.full(3, np.trace(A)))
    assert_close(reductions.grad_sum_of(np.eye(3)), np.ones(3), rtol=0, atol=0)


# -- S004 §3.3 ---------------------------------------------------------------------------------


def test_er09_neuron_gradient_keeps_the_diag_x_factor() -> None:
    """ER-09: (da/dz)(dz/ds) 1^T diag(x) = s'(z) x^T, not s'(z) 1^T."""
    w, b, x = np.array([0.5, -0.25, 1.0]), 0.1, np.array([2.0, -3.0, 0.5])
    dw, _ = neuron.neuron_grad_sigma(w, b, x, backprop.sigmoid_prime)
    slope = backprop.sigmoid_prime(float(w @ x + b))
    assert_close(dw, slope * x, rtol=1e-15)
    assert not np.allclose(dw, slope * np.ones(3))
    assert_close(reductions.ones_times_diag(x), x, rtol=0, atol=0)
    act = lambda w_: backprop.sigmoid(float(w_ @ x + b))  # noqa: E731
    assert_matches_differences(dw, act, (w,), 0)


@pytest.mark.parametrize(("z", "slope"), [(-1.0, 0.0), (-1e-300, 0.0), (0.0, 0.0), (1e-300, 1.0), (1.0, 1.0)])
def test_er10_relu_branches_are_z_at_most_0_and_z_above_0(z: float, slope: float) -> None:
    """ER-10: active branch z > 0, inactive z <= 0: exactly one fires at z = 0, giving 0."""
    assert neuron.relu_derivative(z) == slope
    x = np.array([1.5, -2.0])
    dw, db = neuron.neuron_grad(np.zeros(2), z, x)  # z = 0 . x + z exactly
    assert_close(dw, slope * x, rtol=0, atol=0)
    assert db == slope


# -- S004 §3.4-§3.8 ----------------------------------------------------------------------------


def test_er11_half_mse_squares_the_residuals() -> None:
    """ER-11: C = 1/(2m) sum (y_i - a_i)^2 = 2.5 here, where the unsquared sum gives 1.0."""
    w, b = np.array([1.0, 0.0]), 0.0
    X, y = np.array([[2.0, 0.0], [-1.0, 0.0]]), np.array([5.0, 1.0])
    assert loss.mse_loss_half(w, b, X, y) == 2.5
    dw, _ = loss.mse_grad_half(w, b, X, y)
    kinks = kink_distance(X @ w + b, X)
    args = (w, b, X, y)
    assert_matches_differences(dw, loss.mse_loss_half, args, 0, h0=PIECEWISE_STEP, kink_distance=kinks)


@SETTINGS
@given(inputs=neurons(), y=reals())
def test_er12_residual_gradient_has_the_minus_sign(inputs: Any, y: float) -> None:
    """ER-12: for v = y - a, dv/dw = -da/dw (0 if z <= 0, -x if z > 0), by differences."""
    w, b, x = inputs
    dv_dw, dv_db = loss.residual_grad(w, b, x, y)
    da_dw, da_db = neuron.neuron_grad(w, b, x)
    assert_close(dv_dw, -da_dw, rtol=0, atol=0)
    assert dv_db == -da_db
    kinks = kink_distance(float(w @ x + b), x[np.newaxis, :])
    assert_matches_differences(dv_dw, loss.residual, (w, b, x, y), 0, h0=PIECEWISE_STEP, kink_distance=kinks)


@pytest.mark.parametrize(
    ("x", "expected"),
    [(np.array([1.0, 1.0]), [1.5, 1.5]), (np.array([-1.0, 0.0]), [0.0, 0.0])],
    ids=["active z = 2", "inactive z = -2"],
)
def test_er13_per_example_gradient_is_linear_only_on_the_active_branch(
    x: np.ndarray, expected: list[float]
) -> None:
    """ER-13: d/dw 1/2 (y - a)^2 is -(y - z) x if z > 0 and 0 if z <= 0 (w = [1, 2], b = -1)."""
    w, b, y = np.array([1.0, 2.0]), -1.0, 0.5
    dw, _ = loss.mse_grad_half(w, b, x[np.newaxis, :], np.array([y]))
    assert_close(dw, expected, rtol=1e-15, atol=0)
    f = lambda w_: 0.5 * (y - neuron.neuron(w_, b, x)) ** 2  # noqa: E731
    kinks = kink_distance(float(w @ x + b), x[np.newaxis, :])
    assert_matches_differences(dw, f, (w,), 0, h0=PIECEWISE_STEP, kink_distance=kinks)


MIXED = (  # w, b, X, y with z = [2, -2, 3]: the middle example is inactive
    np.array([1.0, 2.0]),
    -1.0,
    np.array([[1.0, 1.0], [-1.0, 0.0], [2.0, 1.0]]),
    np.array([0.5, 1.0, 1.0]),
)


def test_er14_mask_stays_inside_the_sum() -> None:
    """ER-14: (1/m) sum_i 1[z_i > 0] e_i x_i; pulling the cases out (no mask) gives another vector."""
    w, b, X, y = MIXED
    z = X @ w + b
    dw, db = loss.mse_grad_half(w, b, X, y)
    unmasked = ((z - y) @ X) / len(y)
    assert not np.allclose(dw, unmasked)
    kinks = kink_distance(z, X)
    assert_matches_differences(dw, loss.mse_loss_half, MIXED, 0, h0=PIECEWISE_STEP, kink_distance=kinks)
    assert_close(db, float(np.sum((z > 0) * (z - y))) / len(y), rtol=1e-15)


def test_er15_error_term_differs_from_a_minus_y_only_where_the_mask_is_zero() -> None:
    """ER-15: e_i = z_i - y_i and a_i - y_i differ on inactive examples, where the mask zeroes both."""
    w, b, X, y = MIXED
    z = X @ w + b
    a, mask = np.maximum(z, 0.0), (z > 0).astype(float)
    assert not np.allclose(z - y, a - y)
    assert_close(mask * (z - y), mask * (a - y), rtol=0, atol=0)
    dw, _ = loss.mse_grad_half(w, b, X, y)
    assert_close(dw, (mask * (z - y)) @ X / len(y), rtol=1e-15)


def test_er16_each_example_contributes_its_own_x_i() -> None:
    """ER-16: component j is (1/m) sum_i e_i x_ij; S004's e_1 x_1 + e_2 x_1 + ... is different."""
    w, b, X, y = MIXED
    z = X @ w + b
    e = (z > 0) * (z - y)
    dw, _ = loss.mse_grad_half(w, b, X, y)
    by_hand = [sum(e[i] * X[i, j] for i in range(len(y))) / len(y) for j in range(X.shape[1])]
    assert_close(dw, by_hand, rtol=1e-15)
    same_x = np.sum(e) * X[0] / len(y)
    assert not np.allclose(dw, same_x)


@SETTINGS
@given(inputs=regressions())
def test_er17_each_gradient_entry_is_the_exact_partial_derivative(inputs: Any) -> None:
    """ER-17: entry j of dC/dw is exactly dC/dw_j (differences, exact on a quadratic, to 1e-8)."""
    w, b, X, y = inputs
    dw, _ = loss.mse_grad_half(w, b, X, y)
    kinks = kink_distance(X @ w + b, X)
    assert_matches_differences(
        dw,
        loss.mse_loss_half,
        (w, b, X, y),
        0,
        h0=PIECEWISE_STEP,
        kink_distance=kinks,
        rtol=1e-8,
        atol=1e-9,
    )


def test_er18_single_example_gradient_e_x_has_the_shape_of_w() -> None:
    """ER-18: e x^T is a 1 x n row; under K2 it is returned with w's shape (n,), here e x = [30, 40]."""
    w, b, X, y = np.array([1.0, 2.0]), 0.0, np.array([[3.0, 4.0]]), np.array([1.0])
    dw, _ = loss.mse_grad_half(w, b, X, y)
    assert dw.shape == (2,)
    assert_close(dw, [30.0, 40.0], rtol=0, atol=0)
    row = jacobian(loss.mse_loss_half, (w, b, X, y), 0).reshape(1, 2)
    assert_close(dw[np.newaxis, :], row)


def test_er19_a_million_examples_in_batches_of_120_make_8334_batches() -> None:
    """ER-19: 1,000,000 = 8,333 * 120 + 40: 8,334 batches (8,333 with drop-last), not all of 120."""
    assert loss.num_minibatches(1_000_000, 120) == 8334
    assert 8333 * 120 == 999_960 < 1_000_000
    sizes = loss.minibatch_sizes(1_000_000, 120)
    assert sizes[-1] == 40 and sum(sizes) == 1_000_000
    assert loss.num_minibatches_drop_last(1_000_000, 120) == 8333


def test_er20_gradient_has_one_entry_per_feature_and_batches_count_examples() -> None:
    """ER-20: with m = 5 examples of n = 2 features, dC/dw has n = 2 entries; batches count m."""
    X = np.arange(10.0).reshape(5, 2) / 10
    dw, _ = loss.mse_grad(np.array([1.0, -1.0]), 0.5, X, np.ones(5))
    assert dw.shape == (2,)
    assert loss.num_minibatches(X.shape[0], 2) == 3


# -- S004 §4 -----------------------------------------------------------------------------------


@SETTINGS
@given(net=networks())
def test_er21_output_error_is_dc_da_times_sigma_prime(net: Any) -> None:
    """ER-21: delta^L_j = (dC/da_j) s'(z_j) = dC/dz^L_j, checked by differences in z^L."""
    Ws, bs, x, y = net
    zs, activations = backprop.forward(Ws, bs, x)
    delta = backprop.delta_output(zs[-1], y)
    by_hand = (activations[-1] - y) * backprop.sigmoid_prime(zs[-1])
    assert_close(delta, by_hand, rtol=1e-14, atol=1e-300)
    L = len(Ws)
    cost = lambda z: backprop.cost_from_layer(Ws, bs, z, L, y)  # noqa: E731
    assert_matches_differences(delta, cost, (zs[-1],), 0)


def test_er22_bp2_to_bp4_give_every_gradient_of_a_two_layer_network() -> None:
    """ER-22: with BP2-BP4 (from NI), backprop matches differences for a 3-4-2 network."""
    rng = np.random.default_rng(22)
    Ws = [rng.uniform(-2, 2, (4, 3)), rng.uniform(-2, 2, (2, 4))]
    bs = [rng.uniform(-2, 2, 4), rng.uniform(-2, 2, 2)]
    x, y = rng.uniform(-3, 3, 3), rng.uniform(0, 1, 2)
    dWs, dbs = backprop.backprop(Ws, bs, x, y)
    for k in range(2):

        def by_W(W: np.ndarray, k: int = k) -> float:
            return backprop.cost([W if j == k else Ws[j] for j in range(2)], bs, x, y)

        def by_b(b: np.ndarray, k: int = k) -> float:
            return backprop.cost(Ws, [b if j == k else bs[j] for j in range(2)], x, y)

        assert_matches_differences(dWs[k], by_W, (Ws[k],), 0)
        assert_matches_differences(dbs[k], by_b, (bs[k],), 0)


# -- S000, S001, S002 --------------------------------------------------------------------------


def test_er23_relu_has_no_derivative_at_zero_and_0_is_a_convention() -> None:
    """ER-23: at z = 0 max(0, z) has one-sided slopes 0 and 1; the reference's 0 is a subgradient."""
    import sympy

    relu = lambda t: max(0.0, t)  # noqa: E731
    h = 1e-3
    left, right = (relu(0.0) - relu(-h)) / h, (relu(h) - relu(0.0)) / h
    assert (left, right) == (0.0, 1.0)
    assert left <= neuron.relu_derivative(0.0) <= right
    (z,) = _symbols("z,")
    assert sympy.diff(sympy.Max(0, z), z).subs(z, 0) == sympy.Rational(1, 2)  # another choice


def test_er24_gradient_is_along_x1_only_for_a_single_example() -> None:
    """ER-24: for N = 1 the gradient is 2 e_1 x_1; for N = 2 it is a weighted sum off x_1."""
    w, b = np.array([1.0, 1.0]), 0.0
    X, y = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0.0, 0.0])
    single, _ = loss.mse_grad_one_example(w, b, X[0], 0.0)
    assert_close(single, [2.0, 0.0], rtol=0, atol=0)  # 2 e_1 x_1 with e_1 = 1
    both, _ = loss.mse_grad(w, b, X, y)
    assert_close(both, [1.0, 1.0], rtol=0, atol=0)
    assert both[0] * X[0, 1] - both[1] * X[0, 0] != 0  # not parallel to x_1


def test_er25_hadamard_product_is_a_vector_and_the_dot_product_its_sum() -> None:
    """ER-25: w * x = [w_i x_i] is a vector; w . x = sum(w * x) is a number; they are not the same."""
    w, x = np.array([1.0, 2.0, 3.0]), np.array([4.0, -5.0, 6.0])
    product = misc.hadamard(w, x)
    assert_close(product, [4.0, -10.0, 18.0], rtol=0, atol=0)
    assert reductions.dot(w, x) == 12.0 == float(np.sum(product))
    assert product.shape == (3,) and np.ndim(reductions.dot(w, x)) == 0


def test_er26_jacobian_of_w_times_x_is_a_3_by_3_diagonal_matrix_and_1t_diag_x_is_x() -> None:
    """ER-26: for w, x of shape (3,), d(w * x)/dw = diag(x) (3 x 3) and 1^T diag(x) = x^T (1 x 3)."""
    w, x = np.array([1.0, 2.0, 3.0]), np.array([4.0, -5.0, 6.0])
    J_w, _ = elementwise.jac_mul(w, x)
    assert w.shape == (3,) and J_w.shape == (3, 3)
    assert_close(J_w, np.diag(x), rtol=0, atol=0)
    assert_matches_differences(J_w, elementwise.mul, (w, x), 0)
    assert_close(reductions.ones_times_diag(x), x, rtol=0, atol=0)


def test_er27_vector_chain_rule_is_a_jacobian_product_that_covers_the_total_derivative() -> None:
    """ER-27: PH §4.5.3's rule is the product (df/dg)(dg/dx); §4.5.2's total derivative is its 1 x 1 case."""
    A, x = np.array([[1.0, -2.0], [0.5, 3.0], [2.0, 1.0]]), np.array([0.3, -0.4])
    g = np.tanh(x)
    J = reductions.vector_chain(np.cos(A @ g)[:, np.newaxis] * A, np.diag(1 - g**2))
    assert J.shape == (3, 2)
    assert_matches_differences(J, lambda t: np.sin(A @ np.tanh(t)), (x,), 0)
    t = 1.5  # y = t * u, u = t^2: dy/du = t, dy/dt (u held) = u; du/dt = 2t, dt/dt = 1
    vector = reductions.vector_chain(np.array([[t, t * t]]), np.array([[2 * t], [1.0]]))
    total = scalar.total_derivative(np.array([t, t * t]), np.array([2 * t, 1.0]))
    assert vector.shape == (1, 1) and vector[0, 0] == total == scalar.d_x_times_x2(t)


@SETTINGS
@given(inputs=neurons())
def test_er28_the_max_differentiated_is_that_of_the_activation(inputs: Any) -> None:
    """ER-28: neuron_grad is the derivative of the activation max(0, w . x + b) itself."""
    w, b, x = inputs
    dw, db = neuron.neuron_grad(w, b, x)
    z = float(w @ x + b)
    assert_matches_differences(
        dw,
        neuron.neuron,
        (w, b, x),
        0,
        h0=PIECEWISE_STEP,
        kink_distance=kink_distance(z, x[np.newaxis, :]),
    )
    assert db == (1.0 if z > 0 else 0.0)


# -- PH ----------------------------------------------------------------------------------------


def test_er29_relu_jacobian_is_the_n_by_n_matrix_whose_diagonal_is_phs_vector() -> None:
    """ER-29: d max(0, x)/dx is the (n, n) matrix diag(1[x > 0]); PH's 0/1 vector is its diagonal."""
    x = np.array([1.5, -0.5, 2.0, -3.0])
    J = elementwise.jac_relu(x)
    assert J.shape == (4, 4)
    assert_close(np.diag(J), [1.0, 0.0, 1.0, 0.0], rtol=0, atol=0)
    kinks = kink_distance(x, np.eye(4))
    assert_matches_differences(J, elementwise.relu, (x,), 0, h0=PIECEWISE_STEP, kink_distance=kinks)


def test_er30_paper_gradient_keeps_the_mask_inside_the_sum() -> None:
    """ER-30: dC/dw = (2/N) sum_i 1[z_i > 0] e_i x_i and dC/db likewise, not the cases outside Σ."""
    w, b, X, y = MIXED
    z = X @ w + b
    dw, db = loss.mse_grad(w, b, X, y)
    assert not np.allclose(dw, 2 * ((z - y) @ X) / len(y))
    assert not math.isclose(db, 2 * float(np.sum(z - y)) / len(y))
    step = PIECEWISE_STEP
    assert_matches_differences(dw, loss.mse_loss, MIXED, 0, h0=step, kink_distance=kink_distance(z, X))
    assert_matches_differences(
        db, loss.mse_loss, MIXED, 1, h0=step, kink_distance=kink_distance(z, np.ones(3))
    )


def test_er31_error_term_is_prediction_minus_target() -> None:
    """ER-31: e_i = prediction - target gives the gradient (by differences); target - prediction flips it."""
    w, b, X, y = MIXED
    z = X @ w + b
    dw, _ = loss.mse_grad(w, b, X, y)
    flipped = 2 * (((z > 0) * (y - z)) @ X) / len(y)
    assert_close(dw, -flipped, rtol=1e-15)
    estimate = jacobian(loss.mse_loss, MIXED, 0, h0=PIECEWISE_STEP, kink_distance=kink_distance(z, X))
    assert_close(dw, estimate)
    assert not np.allclose(flipped, estimate)


def test_er32_gradient_step_keeps_w_a_vector() -> None:
    """ER-32: w - lr (dC/dw)^T keeps shape (n,); a column w minus the row gradient broadcasts to (n, n)."""
    w, b, X, y = MIXED
    lr = 0.1
    new_w, _ = loss.gd_step(w, b, X, y, lr)
    dw, _ = loss.mse_grad(w, b, X, y)
    assert new_w.shape == w.shape == (2,)
    assert_close(new_w, w - lr * dw, rtol=1e-15)
    assert (w.reshape(2, 1) - lr * dw.reshape(1, 2)).shape == (2, 2)


def test_er33_augmented_input_is_a_vector_x_and_1() -> None:
    """ER-33: x_hat = [x, 1] and w_hat = [w, b] are (n+1)-vectors with w_hat . x_hat = w . x + b."""
    w, b, X, y = MIXED
    X_hat, w_hat = loss.augment(X), loss.augment_params(w, b)
    assert X_hat.shape == (3, 3) and w_hat.shape == (3,)
    assert_close(X_hat[:, -1], np.ones(3), rtol=0, atol=0)
    assert_close(X_hat @ w_hat, X @ w + b, rtol=0, atol=0)
    dw, db = loss.mse_grad(w, b, X, y)
    assert_close(loss.mse_grad_augmented(w_hat, X, y), np.append(dw, db), rtol=1e-15)


def test_er34_derivative_of_x_plus_x2_at_1_is_3_not_the_secant_4() -> None:
    """ER-34: with u2 = x + u1, du2/du1 = 1; dy/dx = 1 + 2x = 3 at x = 1, while dy/dx_secant = 4."""
    import sympy

    x, u1 = _symbols("x u1")
    assert sympy.diff(x + u1, u1) == 1
    assert scalar.d_x_plus_x2(1.0) == 3.0 == scalar.d_x_plus_x2_total(1.0)
    assert scalar.secant_x_plus_x2(1.0, 1.0) == 4.0


def test_er35_the_four_step_derivatives_of_ln_sin_x3_squared() -> None:
    """ER-35: du1/dx = 3x^2, du2/du1 = cos u1, du3/du2 = 2 u2, du4/du3 = 1/u3; product 6x^2 cot(x^3)."""
    import sympy

    x, u1, u2, u3 = _symbols("x u1 u2 u3")
    assert sympy.diff(x**3, x) == 3 * x**2
    assert sympy.diff(sympy.sin(u1), u1) == sympy.cos(u1)
    assert sympy.diff(u2**2, u2) == 2 * u2
    assert sympy.diff(sympy.log(u3), u3) == 1 / u3
    at = 1.2
    expected = scalar.PRIMALS["d_ln_sin_x3_sq"].derivative_function()(at)
    assert_close(scalar.d_ln_sin_x3_sq_steps(at), expected, rtol=1e-12)
    assert_close(scalar.d_ln_sin_x3_sq(at), 6 * at**2 / math.tan(at**3), rtol=1e-12)


def test_er36_row_i_of_an_elementwise_op_pairs_f_i_with_g_i() -> None:
    """ER-36: y_2 = f_2(w) g_2(x); row 2 of dy/dw is the gradient of f_2(w) g_2(x), not f_n(w) g_2(x)."""
    c = np.array([1.0, 2.0, 3.0])  # f_i(w) = c_i w_i, g_i(x) = x_i^2
    w, x = np.array([0.5, -1.0, 2.0]), np.array([1.5, 2.0, -0.5])
    y = elementwise.mul(c * w, x**2)
    assert y[1] == (c[1] * w[1]) * x[1] ** 2 != (c[2] * w[2]) * x[1] ** 2
    J_w, _ = elementwise.jac_hadamard_general(c * w, np.diag(c), x**2, np.diag(2 * x))
    row_2 = jacobian(lambda t: (c[1] * t[1]) * x[1] ** 2, (w,), 0)
    assert_close(J_w[1], row_2)


def test_er37_gradient_is_2_over_n_times_a_weighted_sum_not_an_average() -> None:
    """ER-37: dC/dw = (2/N) sum_active e_i x_i = [4/3, 2/3] here, not the weighted mean [2/3, 1/3]."""
    w, b = np.array([1.0, 1.0]), 0.0
    X, y = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]), np.array([-1.0, 0.0, 0.0])
    dw, _ = loss.mse_grad(w, b, X, y)  # z = [1, 1, -2], masked e = [2, 1, 0]
    assert_close(dw, [4 / 3, 2 / 3], rtol=1e-15)
    weighted_mean = (2 * X[0] + 1 * X[1]) / 3
    assert not np.allclose(dw, weighted_mean)


def test_er38_a_neuron_is_w_dot_x_and_a_layer_is_w_times_a_with_no_transpose() -> None:
    """ER-38: one neuron is max(0, w . x + b) with w a vector; a layer is W a (W^T a is wrong)."""
    w, b, x = np.array([1.0, -2.0, 0.5]), 0.25, np.array([2.0, 0.5, 1.0])
    assert neuron.neuron(w, b, x) == 1.75 == neuron.layer_forward(w[np.newaxis, :], np.array([b]), x)[0]
    W = np.array([[1.0, 0.0, 2.0], [-1.0, 3.0, 0.5]])  # (n_l, n_{l-1}) = (2, 3)
    assert neuron.layer_pre_activation(W, np.zeros(2), x).shape == (2,)
    with pytest.raises(ValueError):
        _ = W.T @ x
    square = np.array(neuron.LF02_W)
    assert not np.allclose(
        neuron.layer_pre_activation(square, np.zeros(2), np.array(neuron.LF02_A)),
        square.T @ np.array(neuron.LF02_A),
    )
