"""The worked numbers printed in the sources (S002, S004, PH), recomputed by the references."""

from __future__ import annotations

import math

import numpy as np

from reference import backprop, elementwise, jacobians, loss, neuron, reductions, scalar

from .finite_differences import assert_close


def test_s004_layer_gives_96_and_156_after_relu() -> None:
    """LF-02: W = [[5, 2], [3, 6]], a = [10, 20], b = 6: Wa = [90, 150], ReLU(Wa + b) = [96, 156]."""
    W, a = np.array(neuron.LF02_W), np.array(neuron.LF02_A)
    assert_close(W @ a, [90.0, 150.0], rtol=0, atol=0)
    assert_close(neuron.lf02_worked_example(), [96.0, 156.0], rtol=0, atol=0)
    assert_close(neuron.layer_forward(W, np.full(2, 6.0), a), [96.0, 156.0], rtol=0, atol=0)


def test_transposed_layer_gives_the_wrong_110_and_140() -> None:
    """LF-02: the classic mistake W^T a gives [110, 140], which the reference does not."""
    W, a = np.array(neuron.LF02_W), np.array(neuron.LF02_A)
    assert_close(W.T @ a, [110.0, 140.0], rtol=0, atol=0)
    assert not np.allclose(neuron.layer_pre_activation(W, np.zeros(2), a), W.T @ a)


def test_a_million_examples_in_batches_of_120_make_8334_minibatches() -> None:
    """GD-04: 1,000,000 = 8,333 * 120 + 40, so 8,334 batches, or 8,333 when dropping the last."""
    assert loss.num_minibatches(1_000_000, 120) == 8334
    assert loss.num_minibatches_drop_last(1_000_000, 120) == 8333
    sizes = loss.minibatch_sizes(1_000_000, 120)
    assert len(sizes) == 8334 and sizes[-1] == 40 and sizes.count(120) == 8333


def test_derivative_of_x_plus_x2_at_1_is_3_while_the_secant_is_4() -> None:
    """CR-03: at x = 1 with dx = 1, y goes from 2 to 6 (dy = 4), but dy/dx = 3."""
    assert scalar.x_plus_x2(1.0) == 2.0 and scalar.x_plus_x2(2.0) == 6.0
    assert scalar.secant_x_plus_x2(1.0, 1.0) == 4.0
    assert scalar.d_x_plus_x2(1.0) == 3.0 == scalar.d_x_plus_x2_total(1.0)


def test_vector_of_ln_x2_and_sin_4x_has_derivative_2_over_x_and_4_cos_4x() -> None:
    """CR-06 (S002's inner terms x^2 and 4x): d/dx [ln(x^2), sin(4x)] = [2/x, 4 cos(4x)]."""
    for x in (-2.5, 0.3, 1.0, 7.0):
        assert_close(jacobians.d_ln_x2_sin_kx(x, 4.0), [2 / x, 4 * math.cos(4 * x)])
    assert_close(jacobians.d_ln_x2_sin_3x(1.0), [2.0, 3 * math.cos(3.0)])


def test_ph_scalar_rule_examples() -> None:
    """SC-01..SC-08: d 99 = 0, d 3x = 3, x^3 -> 3x^2, x^2 +- 3x -> 2x +- 3, x^2 x -> 3x^2, 9(x + x^2)."""
    x = 2.0
    assert scalar.d_constant(x) == 0.0
    assert scalar.d_constant_multiple(3.0, 1.0) == 3.0
    assert scalar.d_power(x, 3.0) == 12.0
    assert scalar.d_sum(2 * x, 3.0) == 7.0 and scalar.d_difference(2 * x, 3.0) == 1.0
    assert scalar.d_product(x * x, 2 * x, x, 1.0) == 12.0 == scalar.d_x_times_x2(x)
    assert scalar.d_ln_x2(x) == 1.0 == scalar.d_chain(1 / x**2, 2 * x)
    assert scalar.d_9_x_plus_x2(x) == 45.0 == 9 * (1 + 2 * x)


def test_ph_partials_of_3x2y() -> None:
    """SC-09, GJ-02: at (x, y) = (2, 5), d/dx 3x^2 y = 6yx = 60 and d/dy = 3x^2 = 12."""
    assert scalar.partials_3x2y(2.0, 5.0) == (60.0, 12.0)
    assert_close(jacobians.grad_3x2y(2.0, 5.0), [60.0, 12.0], rtol=0, atol=0)


def test_ph_jacobian_example_at_a_point() -> None:
    """GJ-04: at (x, y) = (1, 2) the Jacobian of [3x^2 y, 2x + y^8] is [[12, 3], [2, 1024]]."""
    assert_close(jacobians.jacobian_3x2y_2x_y8(1.0, 2.0), [[12.0, 3.0], [2.0, 1024.0]], rtol=0)


def test_s004_jacobian_of_2x_plus_y3_and_exp_y_minus_13x() -> None:
    """GJ-06: S004's final matrix [[2, 3y^2], [-13, e^y]], at (0, 0) [[2, 0], [-13, 1]]."""
    assert_close(jacobians.jacobian_2x_y3(0.0, 0.0), [[2.0, 0.0], [-13.0, 1.0]], rtol=0)
    assert_close(jacobians.jacobian_2x_y3(3.0, 1.0), [[2.0, 3.0], [-13.0, math.e]])


def test_s004_broadcast_of_2v_and_its_sum() -> None:
    """SE-05, RD-04: d(2v)/dv = 2I and d sum(2v)/dv = 2 1^T, for v of size 3."""
    v = np.array([1.0, -2.0, 3.0])
    assert_close(elementwise.jac_double(v), 2 * np.eye(3), rtol=0, atol=0)
    assert_close(reductions.grad_sum_2v(v), [2.0, 2.0, 2.0], rtol=0, atol=0)


def test_ph_single_example_gradient_is_2_e_x() -> None:
    """LS-06: w = [1, 2], b = 0, x = [3, 4], y = 1: z = 11, e = 10, dC/dw = 2 e x = [60, 80]."""
    dw, db = loss.mse_grad(np.array([1.0, 2.0]), 0.0, np.array([[3.0, 4.0]]), np.array([1.0]))
    assert_close(dw, [60.0, 80.0], rtol=0, atol=0)
    assert db == 20.0
    half_w, _ = loss.mse_grad_half(np.array([1.0, 2.0]), 0.0, np.array([[3.0, 4.0]]), np.array([1.0]))
    assert_close(half_w, [30.0, 40.0], rtol=0, atol=0)


def test_sigmoid_slope_at_zero_is_a_quarter() -> None:
    """MS-02: s(0) = 1/2, so s'(0) = 1/2 * 1/2 = 1/4."""
    assert backprop.sigmoid(0.0) == 0.5 and backprop.sigmoid_prime(0.0) == 0.25
