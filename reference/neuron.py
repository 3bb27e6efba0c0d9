"""The neuron act = max(0, w . x + b) and its gradient (group NA); a ReLU layer (group LF).

A single neuron has a weight vector w of shape (n,) and a float bias b; a layer has W of shape
(n_out, n_in) and computes z = W @ a_prev + b_vec with no transpose (K6, C-6, C-7).  The mask
is 1[z > 0] on the pre-activation z, with H(0) = 0 (K3).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from reference.elementwise import heaviside

__all__ = [
    "EXERCISES",
    "LF02_A",
    "LF02_B",
    "LF02_W",
    "layer_forward",
    "layer_forward_scalar_bias",
    "layer_jacobian",
    "layer_jacobian_bias",
    "layer_jacobian_weights",
    "layer_pre_activation",
    "lf02_worked_example",
    "neuron",
    "neuron_grad",
    "neuron_grad_sigma",
    "pre_activation",
    "relu_derivative",
    "relu_network_forward",
]

Array: TypeAlias = NDArray[np.float64]

EXERCISES: Final[tuple[str, ...]] = ("neuron", "neuron_grad", "layer_forward", "layer_jacobian")

# LF-02, S004 §2.3: W = [[5, 2], [3, 6]], a = [10, 20], a scalar bias b = 6.
LF02_W: Final[tuple[tuple[float, float], tuple[float, float]]] = ((5.0, 2.0), (3.0, 6.0))
LF02_A: Final[tuple[float, float]] = (10.0, 20.0)
LF02_B: Final[float] = 6.0


def _vec(v: ArrayLike) -> Array:
    """v as a float64 array (no copy when it already is one)."""
    return np.asarray(v, dtype=np.float64)


def relu_derivative(z: float) -> float:
    """NA-01: d/dz max(0, z) = H(z), 1 if z > 0 else 0 (0 at the kink, K3)."""
    return 1.0 if z > 0.0 else 0.0


def pre_activation(w: Array, b: float, x: Array) -> float:
    """RD-06: the neuron's pre-activation z = w . x + b."""
    return float(np.dot(_vec(w), _vec(x)) + b)


# -- the exercises of the set `neuron` ---------------------------------------------------------


def neuron(w: Array, b: float, x: Array) -> float:
    """NA: the activation max(0, w . x + b)."""
    return max(0.0, pre_activation(w, b, x))


def neuron_grad(w: Array, b: float, x: Array) -> tuple[Array, float]:
    """NA-02, NA-03: (d act/dw, d act/db) = (H(z) x, H(z)), z = w . x + b."""
    h = relu_derivative(pre_activation(w, b, x))
    return h * _vec(x), h


def layer_forward(W: Array, b_vec: Array, a_prev: Array) -> Array:
    """LF-01: a = max(0, W @ a_prev + b_vec), shape (n_out,)."""
    return np.maximum(layer_pre_activation(W, b_vec, a_prev), 0.0)


def layer_jacobian(W: Array, b_vec: Array, a_prev: Array) -> Array:
    """LF-03: d a / d a_prev = diag(H(z)) @ W, shape (n_out, n_in)."""
    h = heaviside(layer_pre_activation(W, b_vec, a_prev))
    return h[:, np.newaxis] * _vec(W)


# -- the other entries of groups NA and LF -----------------------------------------------------


def neuron_grad_sigma(
    w: Array, b: float, x: Array, sigma_prime: Callable[[float], float]
) -> tuple[Array, float]:
    """NA-04, ER-09: a = sigma(sum(w * x) + b); da/dw = sigma'(z) 1^T diag(x), da/db = sigma'(z)."""
    x = _vec(x)
    dh_dw = np.diag(x)  # h = w * x
    ds_dh = np.ones(x.shape[0])  # s = sum(h)
    dz_ds = dz_db = 1.0  # z = s + b
    da_dz = sigma_prime(pre_activation(w, b, x))
    return da_dz * dz_ds * (ds_dh @ dh_dw), da_dz * dz_db


def layer_pre_activation(W: Array, b_vec: Array, a_prev: Array) -> Array:
    """LF-01, ER-38: z = W @ a_prev + b_vec (no transpose), shape (n_out,)."""
    return _vec(W) @ _vec(a_prev) + _vec(b_vec)


def layer_jacobian_bias(W: Array, b_vec: Array, a_prev: Array) -> Array:
    """LF-03: d a / d b_vec = diag(H(z)) @ I = diag(H(z)), shape (n_out, n_out)."""
    return np.diag(heaviside(layer_pre_activation(W, b_vec, a_prev)))


def layer_jacobian_weights(W: Array, b_vec: Array, a_prev: Array) -> Array:
    """LF-03: d a_i / d W_jk = H(z_i) [i = j] a_prev_k, shape (n_out, n_out, n_in)."""
    h = heaviside(layer_pre_activation(W, b_vec, a_prev))
    return np.asarray(np.einsum("ij,k->ijk", np.diag(h), _vec(a_prev)), dtype=np.float64)


def layer_forward_scalar_bias(W: Array, b: float, a_prev: Array) -> Array:
    """LF-02, MS-09: a = max(0, W @ a_prev + b) with one scalar bias b broadcast to every node."""
    return np.maximum(_vec(W) @ _vec(a_prev) + float(b), 0.0)


def lf02_worked_example() -> Array:
    """LF-02: S004's layer, max(0, [[5, 2], [3, 6]] @ [10, 20] + 6) = [96, 156]."""
    return layer_forward_scalar_bias(np.array(LF02_W), LF02_B, np.array(LF02_A))


def relu_network_forward(Ws: Sequence[Array], bs: Sequence[Array], x: Array) -> Array:
    """LF-04: a^0 = x, a^l = max(0, W^l a^(l-1) + b^l); returns a^L."""
    a = _vec(x)
    for W, b in zip(Ws, bs, strict=True):
        a = layer_forward(W, b, a)
    return a
