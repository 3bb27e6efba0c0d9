"""reference.misc: the rest of group MS (Hadamard, activations, softmax, layouts, biases)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from reference import misc
from reference.backprop import delta_output, sigmoid
from reference.loss import mse_grad
from reference.symbolic import Primal

from .finite_differences import (
    PIECEWISE_STEP,
    assert_close,
    assert_matches_differences,
    kink_distance,
)
from .inputs import (
    MARGIN,
    SETTINGS,
    away_from_zero,
    matrices,
    reals,
    regressions,
    sizes,
    vector_pairs,
    vectors,
)

any_vector = st.integers(1, 6).flatmap(vectors)


@SETTINGS
@given(pair=vector_pairs())
def test_hadamard_product_is_diag_times_vector_and_sums_to_the_dot_product(
    pair: tuple[np.ndarray, np.ndarray],
) -> None:
    """MS-01: s * t = diag(s) t = [s_i t_i], and sum(s * t) = s . t."""
    s, t = pair
    product = misc.hadamard(s, t)
    assert_close(product, [a * b for a, b in zip(s, t, strict=True)], rtol=0, atol=0)
    assert_close(misc.hadamard_as_diag(s, t), product, rtol=1e-15, atol=0)
    assert_close(np.sum(product), s @ t, rtol=1e-12, atol=1e-12, scale=float(np.abs(s) @ np.abs(t)))


@SETTINGS
@given(z=st.integers(1, 6).flatmap(lambda n: vectors(n, away_from_zero(MARGIN))))
def test_relu_prime_is_the_heaviside_step(z: np.ndarray) -> None:
    """MS-03: the ReLU layer's s'(z) = H(z) element-wise, the diagonal of its Jacobian."""
    answer = np.diag(misc.relu_prime(z))
    kinks = kink_distance(z, np.eye(len(z)))
    relu = lambda t: np.maximum(t, 0.0)  # noqa: E731
    assert_matches_differences(answer, relu, (z,), 0, h0=PIECEWISE_STEP, kink_distance=kinks)


@SETTINGS
@given(z=any_vector)
def test_tanh_prime_matches_differences_and_sympy(z: np.ndarray) -> None:
    """MS-04: tanh'(z) = 1 - tanh(z)^2, by differences and by sympy's derivative of tanh."""
    answer = misc.tanh_prime(z)
    assert_matches_differences(np.diag(answer), np.tanh, (z,), 0)
    derivative = Primal("tanh(z)", ("z",)).derivative_function()
    assert_close(answer, [derivative(float(t)) for t in z], rtol=1e-9, atol=1e-15)


@SETTINGS
@given(z=any_vector)
def test_softmax_jacobian_matches_differences_and_is_full(z: np.ndarray) -> None:
    """MS-05: dp/dz = diag(p) - p p^T; its rows sum to 0 and it is not diagonal for n >= 2."""
    answer = misc.softmax_jacobian(z)
    assert_matches_differences(answer, misc.softmax, (z,), 0)
    assert_close(answer.sum(axis=1), np.zeros(len(z)), atol=1e-15)
    if len(z) >= 2:
        assert np.any(answer[~np.eye(len(z), dtype=bool)] != 0)


@SETTINGS
@given(data=st.data())
def test_denominator_layout_is_the_transpose(data: st.DataObject) -> None:
    """MS-06: the denominator-layout Jacobian of A x is A^T, the numerator one A."""
    m, n = data.draw(sizes()), data.draw(sizes())
    A, x = data.draw(matrices(m, n)), data.draw(vectors(n))
    numerator = np.asarray(A)
    assert_matches_differences(numerator, lambda t: A @ t, (x,), 0)
    assert_close(misc.to_denominator_layout(numerator), A.T, rtol=0, atol=0)


@SETTINGS
@given(pair=vector_pairs())
def test_product_of_diagonals_is_the_diagonal_of_the_products(
    pair: tuple[np.ndarray, np.ndarray],
) -> None:
    """MS-07: diag(a) diag(b) = diag(a * b), not diag(a + b)."""
    a, b = pair
    assert_close(misc.diag_product(a, b), np.diag(a * b), rtol=0, atol=0)


@SETTINGS
@given(x=reals(-3.0, 3.0), c1=reals(), c2=reals())
def test_derivative_is_linear(x: float, c1: float, c2: float) -> None:
    """MS-08: d/dx (c1 sin x + c2 e^x) = c1 cos x + c2 e^x."""
    answer = misc.d_linear_combination([c1, c2], [np.cos(x), np.exp(x)])
    f = lambda t: c1 * np.sin(t) + c2 * np.exp(t)  # noqa: E731
    assert_matches_differences(answer, f, (x,), 0)


@st.composite
def shared_bias_layers(draw: Any) -> Any:
    """(W, b, a_prev, y) for a sigmoid layer with one scalar bias, K9 ranges."""
    n_out, n_in = draw(sizes()), draw(sizes())
    W = draw(matrices(n_out, n_in, reals(-2.0, 2.0)))
    return (
        W,
        draw(reals(-2.0, 2.0)),
        draw(vectors(n_in, reals(-3.0, 3.0))),
        draw(vectors(n_out, reals(0.0, 1.0))),
    )


@SETTINGS
@given(layer=shared_bias_layers())
def test_gradient_of_a_shared_scalar_bias_is_the_sum_of_the_node_errors(layer: Any) -> None:
    """MS-09, C-12: with z = W a + b 1_n, dC/db = sum_j delta_j (not the vector delta)."""
    W, b, a_prev, y = layer
    delta = delta_output(W @ a_prev + b, y)

    def cost(b_: float) -> float:
        return 0.5 * float(np.sum((sigmoid(W @ a_prev + b_) - y) ** 2))

    answer = misc.shared_bias_grad(delta)
    assert isinstance(answer, float)
    assert_matches_differences(answer, cost, (b,), 0)


@SETTINGS
@given(inputs=regressions())
def test_examples_as_columns_give_the_same_gradient_once_transposed(inputs: Any) -> None:
    """MS-10, C-8: S004's (n, N) data matrix is K5's X transposed; the gradient is the same."""
    w, b, X, y = inputs
    assert_close(misc.rows_from_columns(X.T), X, rtol=0, atol=0)
    dw, db = misc.mse_grad_columns(w, b, X.T, y)
    expected_w, expected_b = mse_grad(w, b, X, y)
    assert_close(dw, expected_w, rtol=0, atol=0)
    assert db == expected_b
