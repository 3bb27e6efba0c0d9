"""reference.backprop: the set `backprop` (BP, MS-02) under K9, end to end."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from reference import backprop as bp
from reference.loss import mse_grad_half

from .finite_differences import assert_close, assert_matches_differences
from .inputs import FEW, NETWORKS, SETTINGS, networks, reals, regressions, vectors


def _replaced(items: list[np.ndarray], k: int, value: np.ndarray) -> list[np.ndarray]:
    """A copy of the list with item k replaced."""
    out = list(items)
    out[k] = value
    return out


@NETWORKS
@given(net=networks())
def test_backprop_matches_central_differences_for_every_weight_and_bias(net: Any) -> None:
    """BP-02..BP-06: backprop's dWs, dbs are the derivatives of C for one example."""
    Ws, bs, x, y = net
    dWs, dbs = bp.backprop(Ws, bs, x, y)
    assert len(dWs) == len(dbs) == len(Ws)
    for k in range(len(Ws)):
        assert_matches_differences(dWs[k], lambda W, k=k: bp.cost(_replaced(Ws, k, W), bs, x, y), (Ws[k],), 0)
        assert_matches_differences(dbs[k], lambda b, k=k: bp.cost(Ws, _replaced(bs, k, b), x, y), (bs[k],), 0)


@NETWORKS
@given(net=networks(batch=5))
def test_batch_backprop_matches_central_differences_of_the_batch_cost(net: Any) -> None:
    """BP-07: the batch gradients are the derivatives of the mean cost over the rows."""
    Ws, bs, X, Y = net
    dWs, dbs = bp.backprop_batch(Ws, bs, X, Y)
    for k in range(len(Ws)):
        assert_matches_differences(
            dWs[k], lambda W, k=k: bp.batch_cost(_replaced(Ws, k, W), bs, X, Y), (Ws[k],), 0
        )
        assert_matches_differences(
            dbs[k], lambda b, k=k: bp.batch_cost(Ws, _replaced(bs, k, b), X, Y), (bs[k],), 0
        )


@NETWORKS
@given(net=networks(batch=5))
def test_batch_backprop_is_the_mean_of_the_per_example_gradients(net: Any) -> None:
    """BP-07: (1/B) Delta A^T equals the mean over the rows of backprop's gradients."""
    Ws, bs, X, Y = net
    dWs, dbs = bp.backprop_batch(Ws, bs, X, Y)
    per_example = [bp.backprop(Ws, bs, x, y) for x, y in zip(X, Y, strict=True)]
    for k in range(len(Ws)):
        assert_close(dWs[k], np.mean([g[0][k] for g in per_example], axis=0), atol=1e-15)
        assert_close(dbs[k], np.mean([g[1][k] for g in per_example], axis=0), atol=1e-15)


@NETWORKS
@given(net=networks())
def test_node_errors_are_the_derivatives_of_the_cost_by_the_pre_activations(net: Any) -> None:
    """BP-01: delta^l = dC/dz^l for every layer, against central differences in z^l."""
    Ws, bs, x, y = net
    zs, _ = bp.forward(Ws, bs, x)
    for k, delta in enumerate(bp.deltas(Ws, bs, x, y)):
        assert_matches_differences(delta, lambda z, k=k: bp.cost_from_layer(Ws, bs, z, k + 1, y), (zs[k],), 0)


@NETWORKS
@given(net=networks())
def test_the_four_equations_compose_into_backprop(net: Any) -> None:
    """BP1, BP2 give backprop's deltas; BP3, BP4 (layer_grads) give its gradients."""
    Ws, bs, x, y = net
    zs, activations = bp.forward(Ws, bs, x)
    deltas = bp.deltas(Ws, bs, x, y)
    dWs, dbs = bp.backprop(Ws, bs, x, y)
    L = len(Ws)
    assert_close(deltas[-1], bp.delta_output(zs[-1], y), rtol=0, atol=0)
    assert_close(deltas[-1], (bp.sigmoid(zs[-1]) - y) * bp.sigmoid_prime(zs[-1]), atol=1e-17)
    for k in range(L - 1):
        expected = bp.delta_hidden(Ws[k + 1], deltas[k + 1], zs[k])
        assert_close(deltas[k], expected, rtol=0, atol=0)
        by_hand = (Ws[k + 1].T @ deltas[k + 1]) * bp.sigmoid_prime(zs[k])
        assert_close(expected, by_hand, atol=1e-17)
    for k in range(L):
        dW, db = bp.layer_grads(deltas[k], activations[k])
        assert dW.shape == Ws[k].shape and db.shape == bs[k].shape
        assert_close(dW, dWs[k], rtol=0, atol=0)
        assert_close(db, dbs[k], rtol=0, atol=0)
        assert_close(dW, deltas[k][:, np.newaxis] * activations[k][np.newaxis, :], atol=0)


@SETTINGS
@given(net=networks())
def test_output_delta_of_any_cost_is_its_gradient_times_the_sigmoid_slope(net: Any) -> None:
    """BP-02, BP-03: delta^L = grad_a C * s'(z^L), and grad_a C = a - y for the 1/2 cost."""
    Ws, bs, x, y = net
    zs, activations = bp.forward(Ws, bs, x)
    a = activations[-1]
    assert_matches_differences(bp.cost_gradient(a, y), lambda t: 0.5 * float(np.sum((t - y) ** 2)), (a,), 0)
    general = bp.delta_output_general(bp.cost_gradient(a, y), zs[-1])
    assert_close(general, bp.delta_output(zs[-1], y), rtol=1e-15, atol=1e-300)


@SETTINGS
@given(net=networks())
def test_network_jacobian_is_the_product_of_the_layer_jacobians(net: Any) -> None:
    """BP-00, CR-07: d a^L/dx = diag(s'(z^L)) W^L ... diag(s'(z^1)) W^1, by differences."""
    Ws, bs, x, _ = net
    answer = bp.network_jacobian(Ws, bs, x)
    assert_matches_differences(answer, lambda t: bp.network_output(Ws, bs, t), (x,), 0)


@SETTINGS
@given(z=st.integers(1, 6).flatmap(lambda n: vectors(n, reals(-20.0, 20.0))))
def test_sigmoid_prime_matches_differences_sympy_and_s_times_one_minus_s(z: np.ndarray) -> None:
    """MS-02: s'(z) = s(z)(1 - s(z)) element-wise, by differences, sympy and the identity."""
    answer = bp.sigmoid_prime(z)
    assert answer.shape == z.shape
    jac = np.diag(answer)
    assert_matches_differences(jac, bp.sigmoid, (z,), 0)
    derivative = bp.SIGMOID.derivative_function()
    expected = np.array([derivative(float(t)) for t in z])
    assert_close(answer, expected, rtol=1e-12, atol=1e-300)
    s = bp.sigmoid(z)
    assert_close(answer, s * (1 - s), rtol=1e-6, atol=1e-15)


@SETTINGS
@given(z=reals(-30.0, 30.0))
def test_sigmoid_equals_the_sympy_primal_and_takes_floats_to_floats(z: float) -> None:
    """MS-02: sigmoid and sigmoid_prime of a float are floats equal to sympy's values."""
    assert type(bp.sigmoid(z)) is float and type(bp.sigmoid_prime(z)) is float
    assert_close(bp.sigmoid(z), bp.SIGMOID.function()(z), rtol=1e-14, atol=1e-300)


def test_sigmoid_does_not_overflow_for_large_arguments() -> None:
    """MS-02: s(+-1000) and s'(+-1000) raise no overflow, division or invalid-value error."""
    z = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s, d = bp.sigmoid(z), bp.sigmoid_prime(z)
    assert_close(s, [0.0, np.exp(-40.0) / (1 + np.exp(-40.0)), 0.5, 1 / (1 + np.exp(-40.0)), 1.0])
    assert d[2] == 0.25 and d[0] == d[-1] == 0.0 and d[1] == d[3] > 0


@FEW
@given(inputs=regressions())
def test_relu_neuron_backprop_equals_the_half_mse_gradient(inputs: Any) -> None:
    """BP-08: BP1 and BP4 for one ReLU neuron under the 1/2-MSE, averaged, are LS-05."""
    w, b, X, y = inputs
    dw, db = bp.relu_neuron_backprop(w, b, X, y)
    expected_w, expected_b = mse_grad_half(w, b, X, y)
    scale = 1.0 + float(np.max(np.abs(expected_w))) + abs(expected_b)
    assert_close(dw, expected_w, rtol=1e-12, atol=1e-15, scale=scale)
    assert_close(db, expected_b, rtol=1e-12, atol=1e-15, scale=scale)
