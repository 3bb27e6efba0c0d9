"""The domain of each built-in exercise outside the pack-declared sets, as a predicate.

What docs/exercises.md states for the inputs (K11): shapes that agree, sides 1..6 (up to 20
examples for a regression, 8 for a batch), magnitudes up to 10 unless a narrower range is
stated.  The shrinker of grader/checking/shrink.py moves a failing input only to inputs these
accept (and whose ReLU pre-activations stay 1e-6 from 0, from `Exercise.pre_activations`);
the sets `scalar` and `jacobians` get theirs from their pack declarations
(grader/pack/domain.py).  Each predicate takes the inputs in parameter order and never raises.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["DOMAINS"]

Domain = Callable[..., bool]
_Z = 38.0  # a sigmoid's pre-activation: the largest |z^l| of the set's networks (6 * 2 * 3 + 2)


def _float(x: Any, low: float = -10.0, high: float = 10.0) -> bool:
    return isinstance(x, float) and math.isfinite(x) and low <= x <= high


def _array(a: Any, ndim: int, low: float = -10.0, high: float = 10.0, top: int = 6) -> bool:
    """A float64 array of `ndim` dimensions, sides 1..top, finite entries in [low, high]."""
    return (
        isinstance(a, np.ndarray)
        and a.dtype == np.float64
        and a.ndim == ndim
        and all(1 <= side <= top for side in a.shape)
        and bool(np.all(np.isfinite(a)))
        and bool(np.all((a >= low) & (a <= high)))
    )


def _vector(a: Any, low: float = -10.0, high: float = 10.0, top: int = 6) -> bool:
    return _array(a, 1, low, high, top)


def _pair(w: Any, x: Any) -> bool:
    return _vector(w) and _vector(x) and w.shape == x.shape


def _count(v: Any, low: int, high: int) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


def _regression(w: Any, b: Any, X: Any, y: Any, *rest: Any) -> bool:
    return (
        _vector(w)
        and _float(b, -math.inf, math.inf)
        and _array(X, 2, -10.5, 10.5, top=20)
        and _vector(y, top=20)
        and X.shape == (y.shape[0], w.shape[0])
    )


def _lr(lr: Any) -> bool:
    return isinstance(lr, float) and 0 < lr <= 0.1


def _network(Ws: Any, bs: Any, x: Any, y: Any, batch: bool = False) -> bool:
    if not (isinstance(Ws, list) and isinstance(bs, list) and 1 <= len(Ws) == len(bs) <= 3):
        return False
    for k, (W, b) in enumerate(zip(Ws, bs, strict=True)):
        if not (_array(W, 2, -2, 2) and _vector(b, -2, 2) and b.shape == (W.shape[0],)):
            return False
        if k and W.shape[1] != Ws[k - 1].shape[0]:
            return False
    rows = 2 if batch else 1
    top = 8
    return (
        _array(x, rows, -3, 3, top=top)
        and _array(y, rows, 0, 1, top=top)
        and x.shape[-1] == Ws[0].shape[1]
        and y.shape[-1] == Ws[-1].shape[0]
        and x.shape[:-1] == y.shape[:-1]
    )


def _layer(W: Any, b_vec: Any, a_prev: Any) -> bool:
    return (
        _array(W, 2)
        and _vector(b_vec, -math.inf, math.inf)
        and _vector(a_prev)
        and W.shape == (b_vec.shape[0], a_prev.shape[0])
    )


def _sgd_epoch(w: Any, b: Any, X: Any, y: Any, lr: Any, batch_size: Any) -> bool:
    return _regression(w, b, X, y) and _lr(lr) and _count(batch_size, 1, X.shape[0])


DOMAINS: dict[str, Domain] = {
    "jac_add": _pair,
    "jac_sub": _pair,
    "jac_mul": _pair,
    "jac_div": lambda w, x: _pair(w, x) and bool(np.all(np.abs(x) >= 0.1)),
    "jac_max": lambda w, x: _pair(w, x) and bool(np.all(np.abs(w - x) >= 1e-3)),
    "jac_relu": lambda x: _vector(x),
    "jac_scalar_add": lambda x, z: _vector(x) and _float(z),
    "jac_scalar_mul": lambda x, z: _vector(x) and _float(z),
    "grad_sum": lambda x: _vector(x),
    "grad_sum_xz": lambda x, z: _vector(x) and _float(z),
    "grad_dot": _pair,
    "vector_chain": lambda J_f, J_g: _array(J_f, 2) and _array(J_g, 2) and J_f.shape[1] == J_g.shape[0],
    "neuron": lambda w, b, x: _pair(w, x) and _float(b, -math.inf, math.inf),
    "neuron_grad": lambda w, b, x: _pair(w, x) and _float(b, -math.inf, math.inf),
    "layer_forward": _layer,
    "layer_jacobian": _layer,
    "mse_loss": _regression,
    "mse_grad": _regression,
    "mse_grad_half": _regression,
    "gd_step": lambda w, b, X, y, lr: _regression(w, b, X, y) and _lr(lr),
    "num_minibatches": lambda m, batch_size: _count(m, 1, 10**7) and _count(batch_size, 1, m),
    "sgd_epoch": _sgd_epoch,
    "sigmoid_prime": lambda z: _vector(z, -_Z, _Z),
    "delta_output": lambda z_L, y: _vector(z_L, -_Z, _Z) and _vector(y, 0, 1) and y.shape == z_L.shape,
    "delta_hidden": lambda W_next, delta_next, z: (
        _array(W_next, 2, -2, 2)
        and _vector(delta_next)
        and _vector(z, -_Z, _Z)
        and W_next.shape == (delta_next.shape[0], z.shape[0])
    ),
    "layer_grads": lambda delta, a_prev: _vector(delta) and _vector(a_prev, -3, 3),
    "backprop": _network,
    "backprop_batch": lambda Ws, bs, X, Y: _network(Ws, bs, X, Y, batch=True),
}
