"""Check the unseen corpus (tests/unseen/) against an independent derivation, without matgrade.

Written from docs/exercises.md alone.  Every correct_*.py must agree with the derivation below
on plain draws and on every corner family; every wrong file must differ from it on at least one
input inside the contract's domain.  A wrong file is `corner_only` when it agrees on all plain
draws and differs only on corner families; the label in labels.toml must say the same.

    python bench/unseen_verify.py          # exit 1 on any disagreement
"""

from __future__ import annotations

import importlib.util
import math
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "unseen"
Inputs = dict[str, Any]


# ----------------------------------------------------------------- the derivation (float64)
def H(z: Any) -> Any:
    return (np.asarray(z) > 0).astype(float)


def s(z: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def sp(z: Any) -> Any:
    return s(z) * (1.0 - s(z))


def _lossgrad(w: Any, b: float, X: Any, y: Any, k: float) -> tuple[Any, float]:
    z = X @ w + b
    e = z - y
    m = H(z) * e
    return k / len(y) * (m @ X), k / len(y) * float(m.sum())


def _backprop(Ws: list[Any], bs: list[Any], x: Any, y: Any) -> tuple[list[Any], list[Any]]:
    a = [np.asarray(x, float)]
    zs = []
    for W, b in zip(Ws, bs, strict=True):
        zs.append(W @ a[-1] + b)
        a.append(s(zs[-1]))
    d = (a[-1] - y) * sp(zs[-1])
    dWs: list[Any] = [None] * len(Ws)
    dbs: list[Any] = [None] * len(Ws)
    for k in range(len(Ws) - 1, -1, -1):
        dWs[k] = np.outer(d, a[k])
        dbs[k] = d
        if k:
            d = (Ws[k].T @ d) * sp(zs[k - 1])
    return dWs, dbs


def _sgd(w: Any, b: float, X: Any, y: Any, lr: float, batch_size: int) -> tuple[Any, float]:
    w = np.asarray(w, float).copy()
    for k in range(0, len(y), batch_size):
        gw, gb = _lossgrad(w, b, X[k:k + batch_size], y[k:k + batch_size], 2.0)
        w, b = w - lr * gw, b - lr * gb
    return w, b


REF: dict[str, Callable[..., Any]] = {
    "d_ln_x2": lambda x: 2 / x,
    "d_sin_x2": lambda x: 2 * x * math.cos(x * x),
    "d_ln_sin_x3_sq": lambda x: 6 * x**2 * math.cos(x**3) / math.sin(x**3),
    "d_x_plus_x2": lambda x: 1 + 2 * x,
    "d_sin_x_plus_x2": lambda x: math.cos(x + x * x) * (1 + 2 * x),
    "d_x_times_x2": lambda x: 3 * x * x,
    "grad_3x2y": lambda x, y: np.array([6 * x * y, 3 * x * x]),
    "grad_x2_cos_y": lambda x, y: np.array([2 * x, -math.sin(y)]),
    "jacobian_3x2y_2x_y8": lambda x, y: np.array([[6 * x * y, 3 * x * x], [2, 8 * y**7]]),
    "jacobian_2x_y3": lambda x, y: np.array([[2, 3 * y * y], [-13, math.exp(y)]]),
    "jacobian_sin_ln": lambda x, y: np.array(
        [[2 * x * math.cos(x * x + y), math.cos(x * x + y)], [0, 3 / y]]),
    "jacobian_identity": lambda x: np.eye(len(x)),
    "d_ln_x2_sin_3x": lambda x: np.array([2 / x, 3 * math.cos(3 * x)]),
    "jac_add": lambda w, x: (np.eye(len(w)), np.eye(len(w))),
    "jac_sub": lambda w, x: (np.eye(len(w)), -np.eye(len(w))),
    "jac_mul": lambda w, x: (np.diag(x), np.diag(w)),
    "jac_div": lambda w, x: (np.diag(1 / x), np.diag(-w / x**2)),
    "jac_max": lambda w, x: (np.diag((w > x) * 1.0), np.diag((x > w) * 1.0)),
    "jac_relu": lambda x: np.diag(H(x)),
    "jac_scalar_add": lambda x, z: (np.eye(len(x)), np.ones(len(x))),
    "jac_scalar_mul": lambda x, z: (z * np.eye(len(x)), np.asarray(x, float)),
    "grad_sum": lambda x: np.ones(len(x)),
    "grad_sum_xz": lambda x, z: (z * np.ones(len(x)), float(np.sum(x))),
    "grad_dot": lambda w, x: (np.asarray(x, float), np.asarray(w, float)),
    "vector_chain": lambda J_f, J_g: J_f @ J_g,
    "neuron": lambda w, b, x: max(0.0, float(w @ x + b)),
    "neuron_grad": lambda w, b, x: (H(w @ x + b) * x, float(H(w @ x + b))),
    "layer_forward": lambda W, b_vec, a_prev: np.maximum(0.0, W @ a_prev + b_vec),
    "layer_jacobian": lambda W, b_vec, a_prev: np.diag(H(W @ a_prev + b_vec)) @ W,
    "mse_loss": lambda w, b, X, y: float(np.mean((y - np.maximum(0, X @ w + b)) ** 2)),
    "mse_grad": lambda w, b, X, y: _lossgrad(w, b, X, y, 2.0),
    "mse_grad_half": lambda w, b, X, y: _lossgrad(w, b, X, y, 1.0),
    "gd_step": lambda w, b, X, y, lr: (
        w - lr * _lossgrad(w, b, X, y, 2.0)[0], b - lr * _lossgrad(w, b, X, y, 2.0)[1]),
    "num_minibatches": lambda m, batch_size: -(-m // batch_size),
    "sgd_epoch": _sgd,
    "sigmoid_prime": sp,
    "delta_output": lambda z_L, y: (s(z_L) - y) * sp(z_L),
    "delta_hidden": lambda W_next, delta_next, z: (W_next.T @ delta_next) * sp(z),
    "layer_grads": lambda delta, a_prev: (np.outer(delta, a_prev), np.asarray(delta, float)),
    "backprop": _backprop,
    "backprop_batch": lambda Ws, bs, X, Y: tuple(
        [np.mean([_backprop(Ws, bs, X[i], Y[i])[r][k] for i in range(len(X))], axis=0)
         for k in range(len(Ws))] for r in (0, 1)),
}


# ----------------------------------------------------------------- inputs: plain and corners
class Gen:
    def __init__(self, seed: int) -> None:
        self.r = np.random.default_rng(seed)

    def u(self, lo: float = -10, hi: float = 10, size: Any = None) -> Any:
        return self.r.uniform(lo, hi, size)

    def n(self, lo: int = 1, hi: int = 6) -> int:
        return int(self.r.integers(lo, hi + 1))

    def kink(self) -> float:
        """A pre-activation between 1e-6 and 1e-2 from the kink, either side."""
        t = 10 ** self.r.uniform(-5.9, -2)
        return float(t if self.r.random() < 0.5 else -t)

    def away(self, lo: float, hi: float = 10) -> float:
        v = self.u(lo, hi)
        return float(v if self.r.random() < 0.5 else -v)


def _neuron_inputs(g: Gen, kink: bool) -> Inputs:
    while True:
        n = g.n()
        w, x, b = g.u(size=n), g.u(size=n), float(g.u())
        if kink:
            w = np.round(w)
            w[0] = w[0] or 1.0
            x[0] = (g.kink() - b - w[1:] @ x[1:]) / w[0]
        z = w @ x + b
        if abs(z) >= 1e-6 and np.all(abs(x) <= 10) and (not kink or abs(z) <= 1.1e-2):
            return {"w": w, "b": b, "x": x}


def _layer_inputs(g: Gen, kink: bool, shape: tuple[int, int] | None = None) -> Inputs:
    while True:
        no, ni = shape or (g.n(), g.n())
        W, a = g.u(size=(no, ni)), g.u(size=ni)
        b = g.u(size=no)
        if kink:
            a = g.u(-1, 1, size=ni)
            for i in range(no):
                if g.r.random() < 0.7:
                    b[i] = g.kink() - W[i] @ a
        z = W @ a + b
        if np.all(abs(z) >= 1e-6) and np.all(abs(b) <= 10) and (not kink or np.any(abs(z) < 1.1e-2)):
            return {"W": W, "b_vec": b, "a_prev": a}


def _data(g: Gen, kink: bool, N: int | None = None, n: int | None = None) -> Inputs:
    while True:
        n_ = n or g.n()
        N_ = N or g.n(1, 20)
        w, b = g.u(size=n_), float(g.u())
        X, y = g.u(size=(N_, n_)), g.u(size=N_)
        if kink:
            w = np.round(w)
            w[0] = w[0] or 1.0
            for i in range(N_):
                if g.r.random() < 0.5:
                    X[i, 0] = (g.kink() - b - w[1:] @ X[i, 1:]) / w[0]
        z = X @ w + b
        if np.all(abs(z) >= 1e-6) and np.all(abs(X) <= 10) and (not kink or np.any(abs(z) < 1.1e-2)):
            return {"w": w, "b": b, "X": X, "y": y}


def _net(g: Gen, L: int | None = None, sat: bool = False) -> tuple[list[Any], list[Any], int, int]:
    L = L or g.n(1, 3)
    sizes = [g.n() for _ in range(L + 1)]
    lim = 2.0
    Ws = [g.u(-lim, lim, size=(sizes[i + 1], sizes[i])) for i in range(L)]
    bs = [g.u(-lim, lim, size=sizes[i + 1]) for i in range(L)]
    if sat:
        Ws = [np.sign(W) * 2.0 for W in Ws]
        bs = [np.sign(b) * 2.0 for b in bs]
    return Ws, bs, sizes[0], sizes[-1]


def _sgd_inputs(g: Gen, kink: bool, corner: str = "") -> Inputs:
    while True:
        d = _data(g, kink)
        N = len(d["y"])
        lr = 0.1 if corner == "lr" else float(g.u(1e-3, 0.1))
        bs = {"b=N": N, "b=1": 1, "rem1": max(1, N - 1) if N > 2 else 1}.get(corner, g.n(1, N))
        # K11 along the steps: every z of every batch at least 1e-6 from the kink
        w, b, ok = d["w"].copy(), d["b"], True
        for k in range(0, N, bs):
            Xb, yb = d["X"][k:k + bs], d["y"][k:k + bs]
            if np.any(abs(Xb @ w + b) < 1e-6):
                ok = False
            gw, gb = _lossgrad(w, b, Xb, yb, 2.0)
            w, b = w - lr * gw, b - lr * gb
        if ok:
            return {**d, "lr": lr, "batch_size": int(bs)}


def plain(ex: str, g: Gen) -> Inputs:
    """One plain random draw inside the domain."""
    if ex in ("d_ln_x2", "d_ln_x2_sin_3x"):
        return {"x": g.away(0.1)}
    if ex == "d_ln_sin_x3_sq":
        while True:
            x = float(g.u(-3, 3))
            if abs(math.sin(x**3)) >= 0.1:
                return {"x": x}
    if ex.startswith("d_"):
        return {"x": float(g.u())}
    if ex in ("grad_3x2y", "grad_x2_cos_y", "jacobian_2x_y3"):
        return {"x": float(g.u()), "y": float(g.u())}
    if ex == "jacobian_3x2y_2x_y8":
        return {"x": float(g.u()), "y": float(g.u(-3, 3))}
    if ex == "jacobian_sin_ln":
        return {"x": float(g.u()), "y": float(g.u(0.1, 10))}
    if ex in ("jacobian_identity", "grad_sum", "jac_relu"):
        x = g.u(size=g.n())
        return {"x": np.where(abs(x) < 1e-6, 1.0, x)}
    if ex in ("jac_add", "jac_sub", "jac_mul", "grad_dot"):
        n = g.n()
        return {"w": g.u(size=n), "x": g.u(size=n)}
    if ex == "jac_div":
        n = g.n()
        return {"w": g.u(size=n), "x": np.array([g.away(0.1) for _ in range(n)])}
    if ex == "jac_max":
        while True:
            n = g.n()
            w, x = g.u(size=n), g.u(size=n)
            if np.all(abs(w - x) >= 1e-3):
                return {"w": w, "x": x}
    if ex in ("jac_scalar_add", "jac_scalar_mul", "grad_sum_xz"):
        return {"x": g.u(size=g.n()), "z": float(g.u())}
    if ex == "vector_chain":
        m, k, n = g.n(), g.n(), g.n()
        return {"J_f": g.u(size=(m, k)), "J_g": g.u(size=(k, n))}
    if ex in ("neuron", "neuron_grad"):
        return _neuron_inputs(g, False)
    if ex in ("layer_forward", "layer_jacobian"):
        return _layer_inputs(g, False)
    if ex in ("mse_loss", "mse_grad", "mse_grad_half"):
        return _data(g, False)
    if ex == "gd_step":
        return {**_data(g, False), "lr": float(g.u(1e-3, 0.1))}
    if ex == "sgd_epoch":
        return _sgd_inputs(g, False)
    if ex == "num_minibatches":
        m = int(10 ** g.u(0, 7))
        return {"m": m, "batch_size": int(g.r.integers(1, m + 1))}
    if ex == "sigmoid_prime":
        return {"z": g.u(-8, 8, size=g.n())}
    if ex == "delta_output":
        n = g.n()
        return {"z_L": g.u(-8, 8, size=n), "y": g.u(0, 1, size=n)}
    if ex == "delta_hidden":
        nl, nn = g.n(), g.n()
        return {"W_next": g.u(-2, 2, size=(nn, nl)), "delta_next": g.u(-0.3, 0.3, size=nn),
                "z": g.u(-8, 8, size=nl)}
    if ex == "layer_grads":
        return {"delta": g.u(-0.3, 0.3, size=g.n()), "a_prev": g.u(0, 1, size=g.n())}
    if ex == "backprop":
        Ws, bs, n0, nL = _net(g)
        return {"Ws": Ws, "bs": bs, "x": g.u(-3, 3, size=n0), "y": g.u(0, 1, size=nL)}
    if ex == "backprop_batch":
        Ws, bs, n0, nL = _net(g)
        B = g.n(1, 8)
        return {"Ws": Ws, "bs": bs, "X": g.u(-3, 3, size=(B, n0)), "Y": g.u(0, 1, size=(B, nL))}
    raise KeyError(ex)


def corners(ex: str, g: Gen) -> Iterator[tuple[str, Inputs]]:
    """Inputs at the corners the contract allows, and inputs with structure."""
    p = plain(ex, g)
    ints = [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]
    if ex in ("d_ln_x2", "d_ln_x2_sin_3x"):
        for x in (0.1, -0.1, 1.0, -1.0, 2.0, -3.0, 10.0, -10.0):
            yield "end", {"x": x}
    elif ex == "d_ln_sin_x3_sq":
        x0 = math.asin(0.1) ** (1 / 3)
        for x in (x0 * (1 + 1e-12), -x0 * (1 + 1e-12), 1.0, -1.0, 3.0, -3.0, 0.5):
            if abs(math.sin(x**3)) >= 0.1:
                yield "end", {"x": x}
    elif ex.startswith("d_"):
        for x in [*ints, 0.5, -0.5, 1e-3, 10.0, -10.0]:
            yield "int", {"x": x}
    elif ex in ("grad_3x2y", "grad_x2_cos_y", "jacobian_2x_y3", "jacobian_3x2y_2x_y8",
                "jacobian_sin_ln"):
        lo = 0.1 if ex == "jacobian_sin_ln" else -3.0
        for x in [*ints, 0.5, 2.5]:
            for y in (x, 0.1, 1.0, 3.0, -3.0, 0.0, 2.0):
                if y >= lo and (ex != "jacobian_3x2y_2x_y8" or abs(y) <= 3):
                    yield "int", {"x": x, "y": y}
    elif ex in ("jacobian_identity", "grad_sum", "jac_relu"):
        for n in (1, 2, 6):
            yield "zeros" if ex != "jac_relu" else "K3", {"x": np.zeros(n)}
            yield "const", {"x": np.full(n, 2.0)}
            yield "size", {"x": g.u(size=n)}
        if ex == "jac_relu":
            for _ in range(40):
                yield "kink", {"x": np.array([g.kink() for _ in range(g.n())])}
    elif ex in ("jac_add", "jac_sub", "jac_mul", "grad_dot", "jac_div"):
        for n in (1, 2, 6):
            w = g.u(size=n)
            x = np.array([g.away(0.1) for _ in range(n)])
            yield "equal", {"w": x.copy(), "x": x}
            yield "zeros", {"w": np.zeros(n), "x": x}
            if ex != "jac_div":
                yield "zeros", {"w": w, "x": np.zeros(n)}
            yield "end", {"w": w, "x": np.full(n, 0.1)}
            yield "end", {"w": w, "x": np.full(n, -0.1)}
            yield "const", {"w": np.full(n, 3.0), "x": np.full(n, 2.0)}
            yield "ints", {"w": np.arange(1.0, n + 1), "x": np.arange(2.0, n + 2)}
    elif ex == "jac_max":
        for n in (1, 2, 6):
            w = g.u(size=n)
            yield "end", {"w": w, "x": w + 1e-3 * (1 + 1e-9)}
            yield "end", {"w": np.zeros(n), "x": np.full(n, 1e-3)}
            yield "end", {"w": np.zeros(n), "x": np.full(n, -1e-3)}
            yield "ties?", {"w": np.full(n, 1e-3), "x": np.zeros(n)}
            yield "const", {"w": np.full(n, 3.0), "x": np.full(n, 2.0)}
            yield "near", {"w": w, "x": w + g.u(1e-3, 1e-2) * np.sign(g.u(size=n))}
    elif ex in ("jac_scalar_add", "jac_scalar_mul", "grad_sum_xz"):
        for n in (1, 2, 6):
            for z in (0.0, 1.0, -1.0, 2.0):
                yield "zeros", {"x": g.u(size=n), "z": z}
                yield "zeros", {"x": np.zeros(n), "z": z}
                yield "const", {"x": np.full(n, z), "z": z}
    elif ex == "vector_chain":
        for m, k, n in ((1, 1, 1), (2, 2, 2), (3, 3, 3), (1, 4, 1), (4, 1, 4), (2, 3, 4), (6, 6, 6)):
            A, B = g.u(size=(m, k)), g.u(size=(k, n))
            yield "size", {"J_f": A, "J_g": B}
            yield "zeros", {"J_f": np.zeros((m, k)), "J_g": B}
            if m == k == n:
                yield "equal", {"J_f": A, "J_g": A.copy()}
                yield "identity", {"J_f": np.eye(m), "J_g": B}
                yield "identity", {"J_f": A, "J_g": np.eye(m)}
                yield "near-identity", {"J_f": A, "J_g": np.eye(m) + g.u(-1e-3, 1e-3, size=(m, m))}
    elif ex in ("neuron", "neuron_grad"):
        for _ in range(40):
            yield "kink", _neuron_inputs(g, True)
        for n in (1, 6):
            yield "zeros", {"w": g.u(size=n), "b": -0.5, "x": np.zeros(n)}
            yield "zeros", {"w": g.u(size=n), "b": 0.5, "x": np.zeros(n)}
            yield "zeros", {"w": np.zeros(n), "b": 1.0, "x": g.u(size=n)}
            x = g.u(size=n)
            if abs(x @ x + 0.25) >= 1e-6:
                yield "equal", {"w": x.copy(), "b": 0.25, "x": x}
    elif ex in ("layer_forward", "layer_jacobian"):
        for _ in range(40):
            yield "kink", _layer_inputs(g, True)
        for shape in ((1, 1), (1, 6), (6, 1), (3, 3), (6, 6)):
            yield "size", _layer_inputs(g, False, shape)
        for n in (1, 3):
            yield "zeros", {"W": g.u(size=(n, n)), "b_vec": np.full(n, 0.5), "a_prev": np.zeros(n)}
            yield "zeros", {"W": g.u(size=(n, n)), "b_vec": np.full(n, -0.5), "a_prev": np.zeros(n)}
            yield "zeros", {"W": g.u(size=(n, n)), "b_vec": np.zeros(n), "a_prev": np.array([1.0] * n)}
    elif ex in ("mse_loss", "mse_grad", "mse_grad_half", "gd_step"):
        extra = {"lr": 0.1} if ex == "gd_step" else {}
        for _ in range(40):
            yield "kink", {**_data(g, True), **extra}
        for N, n in ((1, 1), (1, 6), (20, 6), (20, 1), (3, 3)):
            yield "size", {**_data(g, False, N, n), **extra}
        d = _data(g, False, 6, 3)
        d["X"][1] = d["X"][0]
        d["y"][1] = d["y"][0]
        yield "dup", {**d, **extra}
        d = _data(g, False, 4, 2)
        d["X"] = np.tile(d["X"][0], (4, 1))
        yield "dup", {**d, **extra}
        d = _data(g, False, 5, 2)
        d["y"] = np.zeros(5)
        yield "zeros", {**d, **extra}
        d = _data(g, False, 5, 2)
        d["y"] = d["X"] @ d["w"] + d["b"]
        yield "exact", {**d, **extra}
        d = _data(g, False, 5, 2)
        d["y"] = np.maximum(d["X"] @ d["w"] + d["b"], 0) * (1 + 5e-6)  # nearly fitted: allclose
        yield "near-fit", {**d, **extra}
        if ex == "gd_step":
            for _ in range(10):
                yield "end", {**_data(g, False), "lr": 0.1}
    elif ex == "sgd_epoch":
        for _ in range(20):
            yield "kink", _sgd_inputs(g, True)
        for c in ("lr", "b=N", "b=1", "rem1"):
            for _ in range(5):
                yield c, _sgd_inputs(g, False, c)
    elif ex == "num_minibatches":
        for m, b in ((1, 1), (2, 1), (3, 2), (5, 5), (7, 3), (10_000_000, 1), (10_000_000, 10_000_000),
                     (10_000_000, 9_999_999), (10_000_000, 3), (9_999_999, 2), (1_000_000, 120),
                     (1_000_001, 1000), (999_999, 1000), (10_000_000 - 1, 4_999_999), (6, 3), (8, 4),
                     (12, 5), (100, 7), (4, 4), (16, 8), (9, 4)):
            yield "count", {"m": m, "batch_size": b}
        for _ in range(40):
            b = int(g.r.integers(2, 10_000))
            q = int(g.r.integers(1, 10_000_000 // b))
            yield "rem", {"m": q * b + int(g.r.choice([0, 1, b - 1])), "batch_size": b}
    elif ex == "sigmoid_prime":
        for n in (1, 3, 6):
            yield "sat", {"z": g.u(10, 38, size=n) * np.sign(g.u(size=n))}
            yield "zeros", {"z": np.zeros(n)}
            yield "ints", {"z": np.arange(n) - 2.0}
    elif ex == "delta_output":
        for n in (1, 3, 6):
            yield "sat", {"z_L": g.u(10, 14, size=n) * np.sign(g.u(size=n)), "y": g.u(0, 1, size=n)}
            yield "end", {"z_L": g.u(-4, 4, size=n), "y": np.zeros(n)}
            yield "end", {"z_L": g.u(-4, 4, size=n), "y": np.ones(n)}
            yield "zeros", {"z_L": np.zeros(n), "y": np.full(n, 0.5)}
    elif ex == "delta_hidden":
        for nl, nn in ((1, 1), (3, 3), (2, 5), (6, 6)):
            yield "sat", {"W_next": g.u(-2, 2, size=(nn, nl)), "delta_next": g.u(-0.3, 0.3, size=nn),
                          "z": g.u(10, 38, size=nl) * np.sign(g.u(size=nl))}
            yield "zeros", {"W_next": g.u(-2, 2, size=(nn, nl)), "delta_next": g.u(-0.3, 0.3, size=nn),
                            "z": np.zeros(nl)}
    elif ex == "layer_grads":
        for a, b in ((1, 1), (3, 3), (1, 5), (5, 1)):
            yield "size", {"delta": g.u(-0.3, 0.3, size=a), "a_prev": g.u(0, 1, size=b)}
            yield "equal", {"delta": np.full(a, 0.5), "a_prev": np.full(b, 0.5)}
    elif ex in ("backprop", "backprop_batch"):
        for L in (1, 2, 3):
            for sat in (False, True):
                Ws, bs, n0, nL = _net(g, L, sat)
                x = np.sign(g.u(size=n0)) * 3.0 if sat else g.u(-3, 3, size=n0)
                if ex == "backprop":
                    yield "sat" if sat else "L", {"Ws": Ws, "bs": bs, "x": x, "y": g.u(0, 1, size=nL)}
                else:
                    X = np.vstack([x, x, g.u(-3, 3, size=n0)])  # a duplicate row
                    yield "sat" if sat else "L", {"Ws": Ws, "bs": bs, "X": X, "Y": g.u(0, 1, size=(3, nL))}
                    yield "B=1", {"Ws": Ws, "bs": bs, "X": x[None, :], "Y": g.u(0, 1, size=(1, nL))}
    yield "plain", p


# ----------------------------------------------------------------- comparison
def _pairs(got: Any, exp: Any) -> list[tuple[Any, Any]]:
    """Walk the reference's structure (tuples and lists of arrays) and the answer's together."""
    if isinstance(exp, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(exp):
            raise ValueError("structure differs")
        return [p for g, e in zip(got, exp, strict=True) for p in _pairs(g, e)]
    return [(np.asarray(got, dtype=float), np.asarray(exp, dtype=float))]


def differs(ex: str, inp: Inputs, got: Any, exp: Any) -> bool:
    """True when `got` is clearly wrong (far beyond float64 rounding)."""
    try:
        for a, b in _pairs(got, exp):
            if a.shape != b.shape:
                return True
            if ex == "jac_relu":  # K3: any subgradient at exactly 0
                z = np.asarray(inp["x"]) == 0
                ok0 = np.diag(z) & (a >= 0) & (a <= 1)
                a = np.where(ok0, b, a)
            if np.any(abs(a - b) > 1e-10 + 1e-6 * abs(b)):
                return True
    except (ValueError, TypeError):
        return True
    return False


def close(ex: str, inp: Inputs, got: Any, exp: Any, rtol: float) -> bool:
    try:
        pairs = _pairs(got, exp)
    except (ValueError, TypeError):
        return False
    for a, b in pairs:
        if a.shape != b.shape:
            return False
        scale = 1.0 + float(np.max(abs(b), initial=0.0))
        if ex == "jac_relu":
            z = np.asarray(inp["x"]) == 0
            a = np.where(np.diag(z) & (a >= 0) & (a <= 1), b, a)
        if ex in ("sigmoid_prime", "delta_output", "delta_hidden", "backprop", "backprop_batch"):
            scale = 1e-3 * scale  # saturated values are tiny: judge them relatively
            if np.any(abs(a - b) > 1e-300 + rtol * 1e3 * abs(b) + rtol * scale):
                return False
            continue
        if np.any(abs(a - b) > rtol * scale):
            return False
    return True


def _copy(inp: Inputs) -> Inputs:
    def one(v: Any) -> Any:
        if isinstance(v, list):
            return [a.copy() for a in v]
        return v.copy() if isinstance(v, np.ndarray) else v

    return {k: one(v) for k, v in inp.items()}


def load(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(f"unseen_{path.stem}", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run(fn: Callable[..., Any], ex: str, seed: int, plain_n: int = 300) -> tuple[int, int, list[str]]:
    """(plain inputs that differ, corner inputs that differ, first differing examples)."""
    g = Gen(seed)
    bad_p = bad_c = 0
    shown: list[str] = []
    for _ in range(plain_n):
        inp = plain(ex, g)
        if differs(ex, inp, fn(**_copy(inp)), REF[ex](**_copy(inp))):
            bad_p += 1
            if len(shown) < 1:
                shown.append(f"plain {inp}")
    for _ in range(3):
        for fam, inp in corners(ex, g):
            if differs(ex, inp, fn(**_copy(inp)), REF[ex](**_copy(inp))):
                bad_c += 1
                if len(shown) < 2:
                    shown.append(f"{fam} {inp}")
    return bad_p, bad_c, shown


def main() -> int:
    labels = tomllib.loads((CORPUS / "labels.toml").read_text())["wrong"]
    problems: list[str] = []
    for path in sorted(CORPUS.glob("correct_*.py")):
        mod = load(path)
        rtol = 2e-4 if "float32" in path.name else 1e-8
        for ex in REF:
            fn = getattr(mod, ex)
            g = Gen(7)
            for k in range(400):
                inps = [plain(ex, g)] if k < 200 else [c for _, c in corners(ex, g)]
                for inp in inps:
                    got, exp = fn(**_copy(inp)), REF[ex](**_copy(inp))
                    if not close(ex, inp, got, exp, rtol):
                        problems.append(f"{path.name}:{ex} wrong at {inp}: {got} vs {exp}")
                        break
                else:
                    continue
                break
    files = {p.name for p in CORPUS.glob("*__*.py")}
    if files != set(labels):
        problems.append(f"labels and files differ: {sorted(files ^ set(labels))}")
    covered = set()
    for name in sorted(files & set(labels)):
        lab = labels[name]
        ex = lab["exercise"]
        covered.add(ex)
        if not name.startswith(ex + "__"):
            problems.append(f"{name}: exercise {ex} is not the file's prefix")
        fn = getattr(load(CORPUS / name), ex)
        bad_p, bad_c, shown = run(fn, ex, seed=11)
        if bad_p + bad_c == 0:
            problems.append(f"{name}: NOT wrong on any input tried")
        elif (bad_p == 0) != lab["corner_only"]:
            problems.append(f"{name}: corner_only={lab['corner_only']} but plain differ {bad_p}/300, "
                            f"corners {bad_c}; {shown[:1]}")
    if covered != set(REF):
        problems.append(f"exercises without a wrong answer: {sorted(set(REF) - covered)}")
    print("\n".join(problems) or f"ok: {len(files)} wrong files, all wrong; correct files right")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
