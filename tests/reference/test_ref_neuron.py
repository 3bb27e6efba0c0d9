"""reference.neuron: the set `neuron` (NA, LF) and the rest of groups NA and LF."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from hypothesis import given

from reference import neuron as nr
from reference.backprop import sigmoid, sigmoid_prime

from .finite_differences import (
    PIECEWISE_STEP,
    assert_close,
    assert_matches_differences,
    kink_distance,
)
from .inputs import FEW, MARGIN, SETTINGS, away_from_zero, layers, neurons, reals


@SETTINGS
@given(inputs=neurons())
def test_neuron_gradient_matches_central_differences_of_the_activation(inputs: Any) -> None:
    """NA-02, NA-03: (d act/dw, d act/db) = (H(z) x, H(z)) agree with central differences."""
    w, b, x = inputs
    z = float(w @ x + b)
    dw, db = nr.neuron_grad(w, b, x)
    assert isinstance(db, float)
    by_w = kink_distance(z, x[np.newaxis, :])
    by_b = kink_distance(z, [1.0])
    step = PIECEWISE_STEP
    assert_matches_differences(dw, nr.neuron, (w, b, x), 0, h0=step, kink_distance=by_w)
    assert_matches_differences(db, nr.neuron, (w, b, x), 1, h0=step, kink_distance=by_b)


@SETTINGS
@given(z=away_from_zero(MARGIN, 10.0))
def test_relu_derivative_matches_central_differences(z: float) -> None:
    """NA-01: d/dz max(0, z) is 1 for z > 0 and 0 for z < 0."""
    answer = nr.relu_derivative(z)
    relu = lambda t: max(0.0, t)  # noqa: E731
    assert_matches_differences(answer, relu, (z,), 0, h0=PIECEWISE_STEP, kink_distance=abs(z))


@SETTINGS
@given(inputs=layers())
def test_layer_jacobian_matches_central_differences_of_the_layer(inputs: Any) -> None:
    """LF-03: d a / d a_prev = diag(H(z)) @ W, shape (n_out, n_in)."""
    W, b_vec, a_prev = inputs
    z = W @ a_prev + b_vec
    answer = nr.layer_jacobian(W, b_vec, a_prev)
    assert_matches_differences(
        answer,
        nr.layer_forward,
        (W, b_vec, a_prev),
        2,
        h0=PIECEWISE_STEP,
        kink_distance=kink_distance(z, W),
    )


@SETTINGS
@given(inputs=layers())
def test_layer_jacobians_for_bias_and_weights_match_central_differences(inputs: Any) -> None:
    """LF-03: d a/d b = diag(H(z)) and d a_i/d W_jk = H(z_i) [i = j] a_prev_k."""
    W, b_vec, a_prev = inputs
    z = W @ a_prev + b_vec
    n_out = len(b_vec)
    args = (W, b_vec, a_prev)
    by_b = kink_distance(z, np.eye(n_out))
    by_W = kink_distance(z, np.einsum("ij,k->ijk", np.eye(n_out), a_prev))
    step = PIECEWISE_STEP
    jb = nr.layer_jacobian_bias(*args)
    jW = nr.layer_jacobian_weights(*args)
    assert_matches_differences(jb, nr.layer_forward, args, 1, h0=step, kink_distance=by_b)
    assert_matches_differences(jW, nr.layer_forward, args, 0, h0=step, kink_distance=by_W)


@cache
def _symbolic_layer_jacobian(n_out: int, n_in: int) -> Callable[..., Any]:
    """sympy's d max(0, W a + b)/d a for symbolic W (n_out, n_in), b, a, lambdified."""
    import sympy

    W = sympy.Matrix(n_out, n_in, sympy.symbols(f"W0:{n_out * n_in}", real=True))
    b = sympy.Matrix(sympy.symbols(f"b0:{n_out}", real=True))
    a = sympy.Matrix(sympy.symbols(f"a0:{n_in}", real=True))
    layer = (W * a + b).applyfunc(lambda z: sympy.Max(0, z))
    return sympy.lambdify([*W, *b, *a], layer.jacobian(a), modules="numpy")


@FEW
@given(inputs=layers(max_side=3))
def test_layer_jacobian_equals_the_sympy_jacobian(inputs: Any) -> None:
    """LF-03: the layer Jacobian equals sympy's Matrix.jacobian at n_out, n_in <= 3."""
    W, b_vec, a_prev = inputs
    fn = _symbolic_layer_jacobian(*W.shape)
    expected = np.array(fn(*W.ravel(), *b_vec, *a_prev), dtype=float)
    assert_close(nr.layer_jacobian(W, b_vec, a_prev), expected, rtol=1e-12, atol=1e-12)


@SETTINGS
@given(inputs=neurons())
def test_neuron_gradient_with_any_activation_follows_the_decomposition(inputs: Any) -> None:
    """NA-04: with sigma = sigmoid, (s'(z) x, s'(z)) matches differences; with ReLU it is NA-02."""
    w, b, x = inputs

    def act(w_: np.ndarray, b_: float) -> float:
        return sigmoid(float(w_ @ x + b_))

    dw, db = nr.neuron_grad_sigma(w, b, x, sigmoid_prime)
    assert_matches_differences(dw, act, (w, b), 0)
    assert_matches_differences(db, act, (w, b), 1)
    relu_w, relu_b = nr.neuron_grad_sigma(w, b, x, nr.relu_derivative)
    expected_w, expected_b = nr.neuron_grad(w, b, x)
    assert_close(relu_w, expected_w, rtol=0, atol=0)
    assert relu_b == expected_b


@SETTINGS
@given(inputs=neurons())
def test_a_neuron_is_a_layer_with_one_row(inputs: Any) -> None:
    """C-7, ER-38: max(0, w . x + b) is layer_forward with W = [w] and b_vec = [b]."""
    w, b, x = inputs
    layer = nr.layer_forward(w[np.newaxis, :], np.array([b]), x)
    assert_close(nr.neuron(w, b, x), layer[0], rtol=1e-15, atol=0)


@SETTINGS
@given(inputs=layers(), b=reals())
def test_a_scalar_bias_broadcasts_to_every_node(inputs: Any, b: float) -> None:
    """LF-02, MS-09: a scalar bias b acts as the bias vector b * 1_n."""
    W, _, a_prev = inputs
    expected = nr.layer_forward(W, np.full(W.shape[0], b), a_prev)
    assert_close(nr.layer_forward_scalar_bias(W, b, a_prev), expected, rtol=0, atol=0)


@SETTINGS
@given(first=layers())
def test_relu_network_forward_composes_the_layers(first: Any) -> None:
    """LF-04: a^2 = max(0, W^2 max(0, W^1 a^0 + b^1) + b^2)."""
    W1, b1, x = first
    W2 = np.ones((2, W1.shape[0]))
    b2 = np.array([0.5, -0.5])
    expected = nr.layer_forward(W2, b2, nr.layer_forward(W1, b1, x))
    assert_close(nr.relu_network_forward([W1, W2], [b1, b2], x), expected, rtol=0, atol=0)


def test_neuron_gradient_at_the_kink_uses_h0_equal_to_zero() -> None:
    """K3: at z = 0 exactly the reference returns (0 x, 0)."""
    dw, db = nr.neuron_grad(np.array([1.0, 2.0]), -3.0, np.array([1.0, 1.0]))
    assert_close(dw, [0.0, 0.0], rtol=0, atol=0)
    assert db == 0.0
