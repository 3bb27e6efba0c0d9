"""reference.reductions: the set `reductions` (RD, CR-07), the rest of group RD, and CR-08."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference import reductions as rd

from .finite_differences import assert_close, assert_matches_differences
from .inputs import SETTINGS, matrices, reals, sizes, vector_pairs, vectors

any_vector = st.integers(1, 6).flatmap(vectors)


@SETTINGS
@given(x=any_vector)
def test_gradient_of_sum_matches_central_differences(x: np.ndarray) -> None:
    """RD-02: d sum(x)/dx = ones, shape (n,)."""
    assert_matches_differences(rd.grad_sum(x), rd.sum_x, (x,), 0)


@SETTINGS
@given(x=any_vector, z=reals())
def test_gradients_of_sum_of_x_times_z_match_central_differences(x: np.ndarray, z: float) -> None:
    """RD-03: d sum(x z)/dx = z ones (n,) and d sum(x z)/dz = sum(x), a float."""
    dx, dz = rd.grad_sum_xz(x, z)
    assert isinstance(dz, float)
    assert_matches_differences(dx, rd.sum_xz, (x, z), 0)
    assert_matches_differences(dz, rd.sum_xz, (x, z), 1)


@SETTINGS
@given(pair=vector_pairs())
def test_gradients_of_the_dot_product_match_central_differences(
    pair: tuple[np.ndarray, np.ndarray],
) -> None:
    """RD-05: d(w . x)/dw = x and d(w . x)/dx = w."""
    dw, dx = rd.grad_dot(*pair)
    assert_matches_differences(dw, rd.dot, pair, 0)
    assert_matches_differences(dx, rd.dot, pair, 1)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_gradients_of_the_dot_product_equal_sympy(n: int) -> None:
    """RD-05: sympy's gradient of sum_i w_i x_i is (x, w)."""
    import sympy

    w = sympy.Matrix(sympy.symbols(f"w0:{n}", real=True))
    x = sympy.Matrix(sympy.symbols(f"x0:{n}", real=True))
    y = (w.T * x)[0, 0]
    values = np.arange(1.0, 2 * n + 1)
    subs = dict(zip([*w, *x], values, strict=True))
    by_w = np.array([float(sympy.diff(y, s).subs(subs)) for s in w])
    by_x = np.array([float(sympy.diff(y, s).subs(subs)) for s in x])
    dw, dx = rd.grad_dot(values[:n], values[n:])
    assert_close(dw, by_w, rtol=0)
    assert_close(dx, by_x, rtol=0)


@st.composite
def chains(draw: Any) -> Any:
    """A composition f(g(x)) = sin(A tanh(B x)) with A (m, k), B (k, n), and x (n,)."""
    m, k, n = draw(sizes()), draw(sizes()), draw(sizes())
    A = draw(matrices(m, k, reals(-2.0, 2.0)))
    B = draw(matrices(k, n, reals(-2.0, 2.0)))
    return A, B, draw(vectors(n, reals(-2.0, 2.0)))


@SETTINGS
@given(chain=chains())
def test_vector_chain_rule_matches_central_differences_of_the_composition(chain: Any) -> None:
    """CR-07: (df/dg)(dg/dx), an (m, k) @ (k, n) product, is d f(g(x))/dx of shape (m, n)."""
    A, B, x = chain
    g = np.tanh(B @ x)
    J_g = (1 - g**2)[:, np.newaxis] * B
    J_f = np.cos(A @ g)[:, np.newaxis] * A
    answer = rd.vector_chain(J_f, J_g)
    assert answer.shape == (A.shape[0], B.shape[1])
    assert_matches_differences(answer, lambda t: np.sin(A @ np.tanh(B @ t)), (x,), 0)


@SETTINGS
@given(data=st.data())
def test_gradient_of_a_sum_is_the_column_sums_of_the_jacobian(data: st.DataObject) -> None:
    """RD-01: d sum(A x + sin(x))/dx = 1^T (A + diag(cos x)), the column sums."""
    m, n = data.draw(sizes()), data.draw(sizes())
    A, x = data.draw(matrices(m, n)), data.draw(vectors(n))
    J = A + np.eye(m, n) * np.cos(x)
    answer = rd.grad_sum_of(J)
    assert_matches_differences(answer, lambda t: float(np.sum(A @ t + np.eye(m, n) @ np.sin(t))), (x,), 0)


@SETTINGS
@given(v=any_vector)
def test_gradient_of_sum_of_2v_matches_central_differences(v: np.ndarray) -> None:
    """RD-04: d sum(2v)/dv = 2 ones."""
    assert_matches_differences(rd.grad_sum_2v(v), rd.sum_2v, (v,), 0)


@SETTINGS
@given(pair=vector_pairs(), b=reals())
def test_gradients_of_the_affine_map_match_central_differences(
    pair: tuple[np.ndarray, np.ndarray], b: float
) -> None:
    """RD-06: d(w . x + b)/dw = x and d(w . x + b)/db = 1."""
    w, x = pair
    dw, db = rd.grad_affine(w, b, x)
    assert_matches_differences(dw, rd.affine, (w, b, x), 0)
    assert_matches_differences(db, rd.affine, (w, b, x), 1)


@SETTINGS
@given(pair=vector_pairs())
def test_gradients_of_the_sum_of_w_plus_x_match_central_differences(
    pair: tuple[np.ndarray, np.ndarray],
) -> None:
    """RD-07: d sum(w + x)/dw = d sum(w + x)/dx = ones."""
    dw, dx = rd.grad_sum_add(*pair)
    assert_matches_differences(dw, rd.sum_add, pair, 0)
    assert_matches_differences(dx, rd.sum_add, pair, 1)


@SETTINGS
@given(x=any_vector)
def test_ones_times_diag_of_x_is_x(x: np.ndarray) -> None:
    """RD-08: 1^T diag(x) = x^T."""
    assert_close(rd.ones_times_diag(x), x, rtol=0, atol=0)


@SETTINGS
@given(x=any_vector)
def test_diagonal_chain_matches_central_differences_of_the_composition(x: np.ndarray) -> None:
    """CR-08: f_i = sin(g_i), g_i = x_i^2: diag(cos g) diag(2x) = diag(2x cos(x^2))."""
    answer = rd.diagonal_chain(np.cos(x**2), 2 * x)
    assert_close(answer, np.diag(np.cos(x**2)) @ np.diag(2 * x), rtol=1e-15, atol=0)
    assert_matches_differences(answer, lambda t: np.sin(t**2), (x,), 0)
