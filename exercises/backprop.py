"""Set `backprop`: the four equations of backpropagation (Dhaller's notes §4; Nielsen ch. 2), under K9.

Besides the reference and finite differences of the cost, `backprop` is checked against the
four equations using the student's own numbers, so the report says which equation breaks:
BP1 on the last layer, BP2 between consecutive layers, BP3/BP4 inside each layer.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.checking import Relation, close, leaf_pairs
from grader.exercise import Case, Exercise, FiniteDifference, Mistake, Verdict
from reference import backprop as ref

SET = "backprop"
SECTION = "Dhaller's notes §4; Nielsen ch. 2 (the four equations)"


def _sigmoid(z: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-z))


def _forward(Ws: list[Any], bs: list[Any], x: Any) -> tuple[list[Any], list[Any]]:
    activations, zs = [np.asarray(x, dtype=float)], []
    for W, b in zip(Ws, bs, strict=True):
        zs.append(W @ activations[-1] + b)
        activations.append(_sigmoid(zs[-1]))
    return zs, activations


def _cost(Ws: list[Any], bs: list[Any], x: Any, y: Any) -> float:
    _, activations = _forward(Ws, bs, x)
    return float(0.5 * np.sum((activations[-1] - y) ** 2))


def _batch_cost(Ws: list[Any], bs: list[Any], X: Any, Y: Any) -> float:
    return float(np.mean([_cost(Ws, bs, x, y) for x, y in zip(X, Y, strict=True)]))


def _prime(z: Any) -> Any:
    s = _sigmoid(z)
    return s * (1 - s)


# The largest |z^l| of the set's networks (K9 and the set's ranges): 6 inputs of |x| <= 3
# times weights of |w| <= 2, plus a bias of |b| <= 2.  Plain draws keep |z| <= 5, where no
# mistake hides in saturation; the saturation corner goes to this end.
SATURATION = 2.0 * 3.0 * 6 + 2.0


def _vector(low: float, high: float, saturation: float = 0.0) -> Any:
    from grader.exercise import strategies

    return strategies.elements(min_value=low, max_value=high, saturation=saturation)


def _pre_activations() -> Any:
    return _vector(-5, 5, saturation=SATURATION)


def _z_inputs() -> Any:
    from grader.exercise import strategies

    return strategies.shaped(lambda n: {"z": ((n,), _pre_activations())})


def _output_inputs() -> Any:
    from grader.exercise import strategies

    return strategies.shaped(lambda n: {"z_L": ((n,), _pre_activations()), "y": ((n,), _vector(0, 1))})


def _hidden_inputs() -> Any:
    from grader.exercise import strategies

    return strategies.shaped(
        lambda n_next, n: {
            "W_next": ((n_next, n), _vector(-2, 2)),
            "delta_next": ((n_next,), _vector(-1, 1)),
            "z": ((n,), _pre_activations()),
        },
        sides=2,
    )


def _grads_inputs() -> Any:
    from grader.exercise import strategies

    return strategies.shaped(
        lambda n_out, n_in: {"delta": ((n_out,), _vector(-1, 1)), "a_prev": ((n_in,), _vector(-3, 3))},
        sides=2,
    )


def _network() -> Any:
    from grader.exercise import strategies

    return strategies.network()


def _network_batch() -> Any:
    from grader.exercise import strategies

    return strategies.network(batch=8)


def _student_lists(case: Case) -> tuple[list[Any], list[Any]] | None:
    """The student's dWs and dbs as float64 arrays in the reference's shapes, if they fit."""
    pairs = leaf_pairs(case)
    L = len(case.inputs["Ws"])
    if len(pairs) != 2 * L or any(leaf is None or leaf.values.size != e.size for _, e, leaf in pairs):
        return None
    arrays = [leaf.values.reshape(e.shape) for _, e, leaf in pairs]  # type: ignore[union-attr]
    return arrays[:L], arrays[L:]


def _bp(check: Any, name: str) -> Relation:
    def test(case: Case) -> Verdict | None:
        lists = _student_lists(case)
        if lists is None:
            return None  # the shape identity reports it
        dWs, dbs = lists
        leaf = leaf_pairs(case)[0][2]
        assert leaf is not None
        Ws, bs, x = case.inputs["Ws"], case.inputs["bs"], case.inputs["x"]
        zs, activations = _forward(Ws, bs, x)
        scales = None  # the error scales of dWs then dbs, computed when first needed
        for problem in check(case, dWs, dbs, zs, activations):
            label, got, want, position = problem
            ok, message = close(got, want, leaf)
            if not ok:  # allow the rounding of the whole computation (K14), as for the reference
                if scales is None:
                    scales = _scale_backprop(Ws, bs, x, case.inputs["y"])
                ok, message = close(got, want, leaf, scale=scales[position])
            if not ok:
                return Verdict(
                    message=f"{label}: {message}",
                    expected=np.asarray(want).tolist(),
                    got=np.asarray(got).tolist(),
                )
        return None

    return Relation(name=name, test=test)


def _bp1(case: Case, dWs: Any, dbs: Any, zs: Any, activations: Any) -> Any:
    yield (
        "dbs[-1] against (a^L - y) * s'(z^L)",
        dbs[-1],
        (activations[-1] - case.inputs["y"]) * _prime(zs[-1]),
        2 * len(dbs) - 1,
    )


def _bp2(case: Case, dWs: Any, dbs: Any, zs: Any, activations: Any) -> Any:
    Ws = case.inputs["Ws"]
    for k in range(len(Ws) - 1):
        yield (
            f"dbs[{k}] against (Ws[{k + 1}].T @ dbs[{k + 1}]) * s'(z)",
            dbs[k],
            (Ws[k + 1].T @ dbs[k + 1]) * _prime(zs[k]),
            len(dWs) + k,
        )


def _bp4(case: Case, dWs: Any, dbs: Any, zs: Any, activations: Any) -> Any:
    for k in range(len(dWs)):
        yield (
            f"dWs[{k}] against outer(dbs[{k}], a^({k}))",
            dWs[k],
            np.outer(dbs[k], activations[k]),
            k,
        )


def _rounding_of_prime(z: Any, Ez: Any) -> tuple[Any, Any, Any, Any]:
    """s, s' and their error scales (in units of eps) when z carries the error scale Ez.

    s' computed as s (1 - s) cancels in 1 - s where s is near 1: the scale of 1 - s is that of
    s, not |1 - s|; a float32 s'(10) is off by about 1e-3 relative, and must be accepted (K14).
    """
    s = _sigmoid(z)
    prime = s * (1 - s)
    Es = prime * Ez + s
    Eprime = (1 - s) * Es + s * (Es + (1 - s)) + prime
    return s, prime, Es, Eprime


def _scale_backprop(Ws: list[Any], bs: list[Any], x: Any, y: Any) -> list[Any]:
    """The error scale S of (dWs, dbs) computed in low precision: a running error bound.

    Every operation of the forward and backward pass adds |its result| (its own rounding) to
    the first-order propagation of its operands' scales; inputs are rounded too.  Measured
    (10,000 random networks of 1-3 layers, widths 1-6, weights in [-2, 2], x in [-3, 3]): the
    float32 backprop of tests/corpus/correct_float32.py (s' as s(1 - s)) stays within
    0.72 eps32 S, one with a stable s' within 0.38 eps32 S, against C = 32 in grader/checking/comparison.py;
    against |expected| the same answer is off by up to 2^23 eps32, all of it (1 - s rounds to
    0 when a unit saturates).  The corpus's wrong backprop answers rounded to float32 are
    rejected on as many of 1,000 generated inputs as in float64 (the sign flip on 999).
    """
    a = np.asarray(x, dtype=float)
    Ea = np.abs(a)
    activations, Eacts, primes, Eprimes = [a], [Ea], [], []
    for W, b in zip(Ws, bs, strict=True):
        Ez = np.abs(W) @ Ea + 2 * (np.abs(W) @ np.abs(a) + np.abs(b))
        a, prime, Ea, Eprime = _rounding_of_prime(W @ a + b, Ez)
        activations.append(a)
        Eacts.append(Ea)
        primes.append(prime)
        Eprimes.append(Eprime)
    error = activations[-1] - y
    Eerror = Eacts[-1] + np.abs(activations[-1]) + np.abs(y)
    delta = error * primes[-1]
    Edelta = primes[-1] * Eerror + np.abs(error) * Eprimes[-1] + np.abs(delta)
    L = len(Ws)
    EdWs: list[Any] = [None] * L
    Edbs: list[Any] = [None] * L
    for k in range(L - 1, -1, -1):
        EdWs[k] = (
            np.outer(Edelta, np.abs(activations[k]))
            + np.outer(np.abs(delta), Eacts[k])
            + np.abs(np.outer(delta, activations[k]))
        )
        Edbs[k] = Edelta
        if k:
            back = Ws[k].T @ delta
            Eback = np.abs(Ws[k]).T @ Edelta + 2 * (np.abs(Ws[k]).T @ np.abs(delta))
            delta = back * primes[k - 1]
            Edelta = primes[k - 1] * Eback + np.abs(back) * Eprimes[k - 1] + np.abs(delta)
    return [*EdWs, *Edbs]


def _scale_backprop_batch(Ws: list[Any], bs: list[Any], X: Any, Y: Any) -> list[Any]:
    """The error scale of the batch gradients: the sum over the rows of each row's scale.

    The mean of B per-example gradients is off by at most the mean of their errors plus the
    rounding of the sum, (B - 1) eps times the mean of their magnitudes; each row's scale is
    at least its gradient's magnitude, so the sum of the scales bounds both.  Without it, a
    float32 answer was held to |expected|, which 1 - s cancelling in s' exceeds (K14).
    """
    rows = [_scale_backprop(Ws, bs, x, y) for x, y in zip(X, Y, strict=True)]
    return [np.sum(parts, axis=0) for parts in zip(*rows, strict=True)]


def _scale_prime(z: Any) -> list[Any]:
    """The error scale of s'(z) computed in low precision (saturated units: 1 - s cancels)."""
    return [_rounding_of_prime(np.asarray(z, dtype=float), np.abs(z))[3]]


def _scale_output(z_L: Any, y: Any) -> list[Any]:
    """The error scale of (s(z) - y) s'(z) computed in low precision."""
    s, prime, Es, Eprime = _rounding_of_prime(np.asarray(z_L, dtype=float), np.abs(z_L))
    error = s - y
    Eerror = Es + np.abs(s) + np.abs(y)
    return [prime * Eerror + np.abs(error) * Eprime + np.abs(error * prime)]


def _scale_hidden(W_next: Any, delta_next: Any, z: Any) -> list[Any]:
    """The error scale of (W.T @ delta) * s'(z) computed in low precision."""
    _, prime, _, Eprime = _rounding_of_prime(np.asarray(z, dtype=float), np.abs(z))
    back = W_next.T @ delta_next
    Eback = 2 * (np.abs(W_next).T @ np.abs(delta_next))
    return [prime * Eback + np.abs(back) * Eprime + np.abs(back * prime)]


def _delta_output_at(z_L: Any, y: Any) -> float:
    return float(0.5 * np.sum((_sigmoid(z_L) - y) ** 2))


EXERCISES = (
    Exercise(
        name="sigmoid_prime",
        set=SET,
        params=("z",),
        task="Return the derivative of the sigmoid s(z) = 1/(1 + exp(-z)), element-wise, in the shape of z.",
        section="Nielsen ch. 1-2 (the sigmoid)",
        catalogue=("MS-02",),
        results=("s'(z)",),
        inputs=_z_inputs,
        reference=ref.sigmoid_prime,
        scale=_scale_prime,
        primal=_sigmoid,
        primal_name="s(z) = 1/(1 + exp(-z))",
        finite_differences=(FiniteDifference("s'(z)", "z", elementwise=True),),
        mistakes=(
            Mistake(
                "wrong-variable",
                "you returned s(z), not its derivative s'(z)",
                lambda z: _sigmoid(z),
            ),
            Mistake(
                "wrong-variable",
                "s(1 - s) was evaluated at s(z) instead of z (applied twice)",
                lambda z: _prime(_sigmoid(z)),
            ),
            Mistake("wrong-rule", "s' = s (1 - s): the factor s is missing", lambda z: 1 - _sigmoid(z)),
        ),
    ),
    Exercise(
        name="delta_output",
        set=SET,
        params=("z_L", "y"),
        task="Return BP1, the error delta^L of the output layer, shape (n_L,) (K9).",
        section=SECTION + " (BP1; mind erratum ER-21)",
        catalogue=("BP-02", "BP-03"),
        results=("delta^L",),
        inputs=_output_inputs,
        reference=ref.delta_output,
        scale=_scale_output,
        primal=_delta_output_at,
        primal_name="C = 1/2 sum (s(z_L) - y)^2",
        finite_differences=(FiniteDifference("delta^L", "z_L"),),
        mistakes=(
            Mistake("chain-rule", "the factor s'(z^L) is missing", lambda z_L, y: _sigmoid(z_L) - y),
            Mistake(
                "wrong-variable",
                "s(z^L) instead of s'(z^L)",
                lambda z_L, y: (_sigmoid(z_L) - y) * _sigmoid(z_L),
            ),
            Mistake(
                "wrong-variable",
                "s' taken at a^L = s(z^L) instead of at z^L (s applied twice)",
                lambda z_L, y: (_sigmoid(z_L) - y) * _prime(_sigmoid(z_L)),
            ),
            Mistake(
                "wrong-variable",
                "the error is a^L - y, with a^L = s(z^L): you used z^L - y",
                lambda z_L, y: (z_L - y) * _prime(z_L),
            ),
        ),
    ),
    Exercise(
        name="delta_hidden",
        set=SET,
        params=("W_next", "delta_next", "z"),
        task="Return BP2, the error delta^l of a hidden layer from W^(l+1), delta^(l+1) and z^l.",
        section=SECTION + " (BP2)",
        catalogue=("BP-04",),
        results=("delta^l",),
        inputs=_hidden_inputs,
        reference=ref.delta_hidden,
        examples=lambda: [
            {
                "W_next": np.array([[1.0, 2.0], [-1.0, 0.5]]),
                "delta_next": np.array([0.5, -1.0]),
                "z": np.array([0.0, 1.0]),
            }
        ],
        primal=lambda W_next, delta_next, z: float(delta_next @ (W_next @ _sigmoid(z))),
        primal_name="C ~ delta_next . (W_next s(z)) to first order",
        finite_differences=(FiniteDifference("delta^l", "z"),),
        scale=_scale_hidden,
        mistakes=(
            Mistake(
                "transpose",
                "W^(l+1) must be transposed: W.T @ delta",
                lambda W_next, delta_next, z: (W_next @ delta_next) * _prime(z),
            ),
            Mistake(
                "chain-rule",
                "the factor s'(z^l) is missing",
                lambda W_next, delta_next, z: W_next.T @ delta_next,
            ),
            Mistake(
                "wrong-variable",
                "s(z) instead of s'(z)",
                lambda W_next, delta_next, z: (W_next.T @ delta_next) * _sigmoid(z),
            ),
        ),
    ),
    Exercise(
        name="layer_grads",
        set=SET,
        params=("delta", "a_prev"),
        task="Return BP4 and BP3: (dC/dW of shape (n_l, n_(l-1)), dC/db of shape (n_l,)).",
        section=SECTION + " (BP3, BP4)",
        catalogue=("BP-05", "BP-06"),
        results=("dC/dW", "dC/db"),
        inputs=_grads_inputs,
        reference=ref.layer_grads,
        examples=lambda: [{"delta": np.array([0.5, -1.0]), "a_prev": np.array([2.0, 3.0])}],
        mistakes=(
            Mistake(
                "transpose",
                "outer(a_prev, delta) is the transpose; dC/dW has the shape of W",
                lambda delta, a_prev: (np.outer(a_prev, delta), delta.copy()),
            ),
            Mistake(
                "wrong-rule",
                "an element-wise product is not the outer product",
                lambda delta, a_prev: (delta * a_prev, delta.copy()),
            ),
        ),
    ),
    Exercise(
        name="backprop",
        set=SET,
        params=("Ws", "bs", "x", "y"),
        task="Return (dWs, dbs), the gradients of the cost of one example for every layer (K9).",
        section=SECTION,
        catalogue=("BP-02", "BP-03", "BP-04", "BP-05", "BP-06"),
        results=("dWs", "dbs"),
        inputs=_network,
        reference=ref.backprop,
        examples=lambda: [
            {
                "Ws": [np.array([[1.0, -2.0], [0.5, 1.0]]), np.array([[1.5, -1.0], [0.5, 2.0]])],
                "bs": [np.array([0.1, -0.2]), np.array([0.0, 0.3])],
                "x": np.array([1.0, -1.0]),
                "y": np.array([0.0, 1.0]),
            }
        ],
        primal=_cost,
        primal_name="C = 1/2 |a^L - y|^2",
        scale=_scale_backprop,
        finite_differences=(FiniteDifference("dWs", "Ws"), FiniteDifference("dbs", "bs")),
        identities=(
            _bp(_bp1, "BP1: the output error (your dbs[-1])"),
            _bp(_bp2, "BP2: each hidden error from the next one (your dbs)"),
            _bp(_bp4, "BP3/BP4: dW = outer(delta, a_prev) with your delta = db"),
        ),
        mistakes=(
            Mistake(
                "transpose",
                "BP2 needs W.T: the error flows back through the transpose",
                lambda Ws, bs, x, y: _backprop_variant(Ws, bs, x, y, transpose=False),
            ),
            Mistake(
                "chain-rule",
                "the factor s'(z) is missing in the errors",
                lambda Ws, bs, x, y: _backprop_variant(Ws, bs, x, y, prime=False),
            ),
            Mistake(
                "chain-rule",
                "BP1 needs the factor s'(z^L): the output error is (a^L - y) * s'(z^L)",
                lambda Ws, bs, x, y: _backprop_variant(Ws, bs, x, y, output_prime=False),
            ),
            Mistake(
                "wrong-variable",
                "dW^l = outer(delta^l, a^(l-1)): you used the layer's own activation a^l",
                lambda Ws, bs, x, y: _backprop_variant(Ws, bs, x, y, same_layer=True),
            ),
            Mistake(
                "wrong-variable",
                "BP2 takes s' at z^l: you took it at a^l = s(z^l), applying s twice",
                lambda Ws, bs, x, y: _backprop_variant(Ws, bs, x, y, at_activation=True),
            ),
        ),
    ),
    Exercise(
        name="backprop_batch",
        set=SET,
        params=("Ws", "bs", "X", "Y"),
        task="Return (dWs, dbs) of the batch cost: the mean of the per-example gradients (K9).",
        section=SECTION + "; batches as in Dhaller's notes §3.8",
        catalogue=("BP-07",),
        results=("dWs", "dbs"),
        inputs=_network_batch,
        reference=ref.backprop_batch,
        primal=_batch_cost,
        primal_name="the mean of C over the rows of X, Y",
        scale=_scale_backprop_batch,
        finite_differences=(FiniteDifference("dWs", "Ws"), FiniteDifference("dbs", "bs")),
    ),
)


def _backprop_variant(
    Ws: list[Any],
    bs: list[Any],
    x: Any,
    y: Any,
    *,
    transpose: bool = True,
    prime: bool = True,
    same_layer: bool = False,
    at_activation: bool = False,
    output_prime: bool = True,
) -> tuple[list[Any], list[Any]]:
    """Backprop with one classic change; `at_activation`: the hidden layers' s' taken at
    a^l = s(z^l); `output_prime=False`: BP1 without s'(z^L), the hidden layers right."""
    zs, activations = _forward(Ws, bs, x)
    factor = _prime if prime else (lambda z: np.ones_like(z))
    delta = (activations[-1] - y) * (factor(zs[-1]) if output_prime else 1.0)
    dWs: list[Any] = [None] * len(Ws)
    dbs: list[Any] = [None] * len(Ws)
    for layer in range(len(Ws) - 1, -1, -1):
        dWs[layer], dbs[layer] = np.outer(delta, activations[layer + same_layer]), delta
        if layer:
            W = Ws[layer].T if transpose else Ws[layer]
            delta = (W @ delta) * factor(activations[layer] if at_activation else zs[layer - 1])
    return dWs, dbs
