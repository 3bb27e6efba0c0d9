"""Backpropagation through sigmoid layers (group BP, Nielsen ch. 2) and the sigmoid (MS-02).

Under K9: layers l = 1..L, Ws[l-1] of shape (n_l, n_(l-1)), bs[l-1] of shape (n_l,),
a^0 = x, z^l = W^l a^(l-1) + b^l, a^l = s(z^l) with s the sigmoid in every layer, and the
per-example cost C = 1/2 sum_j (a^L_j - y_j)^2; a batch's cost is the mean over its rows.
Python lists index layers from 0, so Ws[0] is W^1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, TypeAlias, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from reference.symbolic import Primal

__all__ = [
    "EXERCISES",
    "SIGMOID",
    "backprop",
    "backprop_batch",
    "batch_cost",
    "cost",
    "cost_from_layer",
    "cost_gradient",
    "delta_hidden",
    "delta_output",
    "delta_output_general",
    "deltas",
    "forward",
    "layer_grads",
    "network_jacobian",
    "network_output",
    "relu_neuron_backprop",
    "sigmoid",
    "sigmoid_prime",
]

Array: TypeAlias = NDArray[np.float64]
Grads: TypeAlias = tuple[list[NDArray[np.float64]], list[NDArray[np.float64]]]

EXERCISES: Final[tuple[str, ...]] = (
    "sigmoid_prime",
    "delta_output",
    "delta_hidden",
    "layer_grads",
    "backprop",
    "backprop_batch",
)

SIGMOID: Final[Primal] = Primal("1/(1+exp(-z))", ("z",))


def _vec(v: ArrayLike) -> Array:
    """v as a float64 array (no copy when it already is one)."""
    return np.asarray(v, dtype=np.float64)


@overload
def sigmoid(z: float) -> float: ...
@overload
def sigmoid(z: Array) -> Array: ...
def sigmoid(z: float | Array) -> float | Array:
    """MS-02: s(z) = 1/(1 + exp(-z)) element-wise, without overflow for large |z|."""
    arr = _vec(z)
    e = np.exp(-np.abs(arr))  # in (0, 1]: never overflows
    s = np.where(arr >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))
    return float(s) if np.ndim(z) == 0 else s


@overload
def sigmoid_prime(z: float) -> float: ...
@overload
def sigmoid_prime(z: Array) -> Array: ...
def sigmoid_prime(z: float | Array) -> float | Array:
    """MS-02: s'(z) = s(z)(1 - s(z)) element-wise, the shape of z."""
    # s(z)(1 - s(z)) = e/(1 + e)^2 with e = exp(-|z|): the same value, with no cancellation in
    # 1 - s(z) when z is large.
    e = np.exp(-np.abs(_vec(z)))
    d = e / ((1.0 + e) * (1.0 + e))
    return float(d) if np.ndim(z) == 0 else d


# -- the forward pass and the cost (K9) --------------------------------------------------------


def forward(Ws: Sequence[Array], bs: Sequence[Array], x: Array) -> tuple[list[Array], list[Array]]:
    """LF-04 with s: (zs, activations), zs = [z^1..z^L] and activations = [a^0 = x, a^1..a^L]."""
    a = _vec(x).copy()
    zs: list[Array] = []
    activations = [a]
    for W, b in zip(Ws, bs, strict=True):
        z = _vec(W) @ a + _vec(b)
        a = sigmoid(z)
        zs.append(z)
        activations.append(a)
    return zs, activations


def network_output(Ws: Sequence[Array], bs: Sequence[Array], x: Array) -> Array:
    """LF-04: the network's output a^L."""
    return forward(Ws, bs, x)[1][-1]


def cost(Ws: Sequence[Array], bs: Sequence[Array], x: Array, y: Array) -> float:
    """K9, BP-03: the per-example cost C = 1/2 sum_j (a^L_j - y_j)^2."""
    r = network_output(Ws, bs, x) - _vec(y)
    return float(0.5 * np.dot(r, r))


def batch_cost(Ws: Sequence[Array], bs: Sequence[Array], X: Array, Y: Array) -> float:
    """K9, BP-07: the mean of the per-example costs over the rows of X (B, n_0) and Y (B, n_L)."""
    X, Y = _vec(X), _vec(Y)
    return float(np.mean([cost(Ws, bs, x, y) for x, y in zip(X, Y, strict=True)]))


def cost_gradient(a_L: Array, y: Array) -> Array:
    """BP-03: the gradient of C = 1/2 sum (a - y)^2 with respect to a^L, a^L - y."""
    return _vec(a_L) - _vec(y)


# -- the exercises of the set `backprop` -------------------------------------------------------


def delta_output(z_L: Array, y: Array) -> Array:
    """BP1 (BP-02, BP-03): delta^L = (s(z^L) - y) * s'(z^L), shape (n_L,)."""
    z_L = _vec(z_L)
    return delta_output_general(cost_gradient(sigmoid(z_L), y), z_L)


def delta_hidden(W_next: Array, delta_next: Array, z: Array) -> Array:
    """BP2 (BP-04): delta^l = (W^(l+1)^T @ delta^(l+1)) * s'(z^l), shape (n_l,)."""
    return (_vec(W_next).T @ _vec(delta_next)) * sigmoid_prime(_vec(z))


def layer_grads(delta: Array, a_prev: Array) -> tuple[Array, Array]:
    """BP4 and BP3 (BP-06, BP-05): (dC/dW = outer(delta, a_prev), dC/db = delta)."""
    delta = _vec(delta)
    return np.outer(delta, _vec(a_prev)), delta.copy()


def backprop(Ws: Sequence[Array], bs: Sequence[Array], x: Array, y: Array) -> Grads:
    """BP-02..BP-06: (dWs, dbs), the gradients of C for one example, one entry per layer."""
    zs, activations = forward(Ws, bs, x)
    dWs: list[Array] = []
    dbs: list[Array] = []
    for k, delta in enumerate(_deltas(Ws, zs, y)):
        dW, db = layer_grads(delta, activations[k])
        dWs.append(dW)
        dbs.append(db)
    return dWs, dbs


def backprop_batch(Ws: Sequence[Array], bs: Sequence[Array], X: Array, Y: Array) -> Grads:
    """BP-07: the gradients of the batch cost, (1/B) Delta^l (A^(l-1))^T and (1/B) Delta^l 1_B."""
    # Examples as columns, as in the catalogue: A^l is (n_l, B), Delta^l is (n_l, B).
    A = _vec(X).T
    B = A.shape[1]
    Zs: list[Array] = []
    As = [A]
    for W, b in zip(Ws, bs, strict=True):
        Z = _vec(W) @ A + _vec(b)[:, np.newaxis]
        A = sigmoid(Z)
        Zs.append(Z)
        As.append(A)
    Delta = (As[-1] - _vec(Y).T) * sigmoid_prime(Zs[-1])
    dWs: list[Array] = [np.zeros(0)] * len(Zs)
    dbs: list[Array] = [np.zeros(0)] * len(Zs)
    for k in range(len(Zs) - 1, -1, -1):  # k = l - 1
        dWs[k] = (Delta @ As[k].T) / B
        dbs[k] = Delta.sum(axis=1) / B
        if k > 0:
            Delta = (_vec(Ws[k]).T @ Delta) * sigmoid_prime(Zs[k - 1])
    return dWs, dbs


# -- the other entries of group BP -------------------------------------------------------------


def delta_output_general(grad_a: Array, z_L: Array) -> Array:
    """BP-02, ER-21: delta^L = grad_a C * s'(z^L), for any cost (element-wise activation)."""
    return _vec(grad_a) * sigmoid_prime(_vec(z_L))


def _deltas(Ws: Sequence[Array], zs: Sequence[Array], y: Array) -> list[Array]:
    """BP1 at the output, then BP2 down the layers: [delta^1, ..., delta^L]."""
    out = [delta_output(zs[-1], y)]
    for k in range(len(zs) - 2, -1, -1):
        out.append(delta_hidden(Ws[k + 1], out[-1], zs[k]))
    return out[::-1]


def deltas(Ws: Sequence[Array], bs: Sequence[Array], x: Array, y: Array) -> list[Array]:
    """BP-01: the node errors delta^l = dC/dz^l for l = 1..L, by BP1 then BP2."""
    zs, _ = forward(Ws, bs, x)
    return _deltas(Ws, zs, y)


def cost_from_layer(Ws: Sequence[Array], bs: Sequence[Array], z: Array, layer: int, y: Array) -> float:
    """BP-01: C as a function of z^layer (layer in 1..L): a^layer = s(z), then the layers above."""
    a = sigmoid(_vec(z))
    for W, b in zip(Ws[layer:], bs[layer:], strict=True):
        a = sigmoid(_vec(W) @ a + _vec(b))
    r = a - _vec(y)
    return float(0.5 * np.dot(r, r))


def network_jacobian(Ws: Sequence[Array], bs: Sequence[Array], x: Array) -> Array:
    """BP-00, CR-07: d a^L / d x = diag(s'(z^L)) W^L ... diag(s'(z^1)) W^1, shape (n_L, n_0)."""
    zs, _ = forward(Ws, bs, x)
    J = np.eye(_vec(x).shape[0])
    for W, z in zip(Ws, zs, strict=True):
        J = (sigmoid_prime(z)[:, np.newaxis] * _vec(W)) @ J
    return J


def relu_neuron_backprop(w: Array, b: float, X: Array, y: Array) -> tuple[Array, float]:
    """BP-08: ReLU neuron, 1/2-MSE: delta_i = (a_i - y_i) H(z_i); means of delta_i x_i, delta_i."""
    X, y = _vec(X), _vec(y)
    z = X @ _vec(w) + float(b)
    a = np.maximum(z, 0.0)
    delta = (a - y) * np.asarray(z > 0.0, dtype=np.float64)  # BP1 with s = ReLU, s'(0) = 0
    return (delta @ X) / X.shape[0], float(np.mean(delta))
