"""Central finite differences in float64, and the one comparison the reference tests use.

`jacobian(f, args, wrt)` differentiates f(*args) with respect to the argument args[wrt] (a
float or an array of any shape); the result has shape f.shape + arg.shape, which is the
numerator layout of K1 with the conventions of K2 (a gradient has the argument's shape).

Steps (notes/numerics.md §2.3): for a smooth f, h_k = 1e-6 * max(1, |x_k|), where the error is
about eps |f| / h + h^2 |f'''| / 6.  A piecewise-linear or piecewise-quadratic f (ReLU, max,
the MSE of a ReLU neuron) has no truncation error between its kinks, so it takes the larger
h_k = 1e-3 * max(1, |x_k|) capped at half the distance to the nearest kink along coordinate k
(`kink_distance`): a step can never cross a kink.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

SMOOTH_STEP = 1e-6
PIECEWISE_STEP = 1e-3
RTOL = 1e-6
ATOL = 1e-7


def _replace(args: Sequence[Any], index: int, value: Any) -> list[Any]:
    """args with args[index] replaced by value."""
    new = list(args)
    new[index] = value
    return new


def jacobian(
    f: Callable[..., Any],
    args: Sequence[Any],
    wrt: int,
    *,
    h0: float = SMOOTH_STEP,
    kink_distance: Any = None,
) -> np.ndarray:
    """d f(*args) / d args[wrt] by central differences, of shape f.shape + args[wrt].shape."""
    original = args[wrt]
    scalar = np.ndim(original) == 0
    point = np.array(original, dtype=np.float64)
    steps = h0 * np.maximum(1.0, np.abs(point))
    if kink_distance is not None:
        steps = np.minimum(steps, 0.5 * np.asarray(kink_distance, dtype=np.float64))
    base = np.asarray(f(*args), dtype=np.float64)
    out = np.empty(base.shape + point.shape)
    for index in np.ndindex(point.shape):
        plus, minus = point.copy(), point.copy()
        plus[index] += steps[index]
        minus[index] -= steps[index]
        at_plus = float(plus) if scalar else plus
        at_minus = float(minus) if scalar else minus
        f_plus = np.asarray(f(*_replace(args, wrt, at_plus)), dtype=np.float64)
        f_minus = np.asarray(f(*_replace(args, wrt, at_minus)), dtype=np.float64)
        # Divide by the step actually taken, after rounding of x + h and x - h.
        out[(Ellipsis, *index)] = (f_plus - f_minus) / (plus[index] - minus[index])
    return out


def kink_distance(z: Any, dz_dtheta: Any) -> np.ndarray:
    """Along each coordinate of theta, the distance to the nearest kink z_i(theta) = 0.

    z holds k affine pre-activations (shape (k,)) and dz_dtheta their derivatives, of shape
    (k,) + theta.shape; the result has theta's shape (inf where no z_i moves).
    """
    z = np.atleast_1d(np.asarray(z, dtype=np.float64))
    slopes = np.abs(np.asarray(dz_dtheta, dtype=np.float64)).reshape(z.shape[0], -1)
    with np.errstate(divide="ignore", over="ignore"):
        distances = np.abs(z)[:, np.newaxis] / slopes
    theta_shape = np.shape(dz_dtheta)[1:]
    return np.asarray(distances.min(axis=0)).reshape(theta_shape)


def assert_close(
    actual: Any, expected: Any, *, rtol: float = RTOL, atol: float = ATOL, scale: float = 1.0
) -> None:
    """The same shape, and every entry within rtol * |expected| + atol * scale."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape, f"shape {actual.shape} != {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol * scale)


def assert_matches_differences(
    actual: Any,
    f: Callable[..., Any],
    args: Sequence[Any],
    wrt: int,
    *,
    h0: float = SMOOTH_STEP,
    kink_distance: Any = None,
    rtol: float = RTOL,
    atol: float = ATOL,
) -> None:
    """`actual` is d f / d args[wrt]: central differences agree, atol scaled by |f| and |actual|."""
    estimate = jacobian(f, args, wrt, h0=h0, kink_distance=kink_distance)
    scale = max(
        1.0,
        float(np.max(np.abs(f(*args)), initial=0.0)),
        float(np.max(np.abs(np.asarray(actual, dtype=np.float64)), initial=0.0)),
    )
    assert_close(actual, estimate, rtol=rtol, atol=atol, scale=scale)
