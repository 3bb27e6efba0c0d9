"""Corners and structure: every planned input lies in the contract's domain, and the corners are there.

The domain is written here from the contract (docs/exercises.md, K11), not read from the
strategies, so a strategy that leaves it is caught.  The plans are the inputs grading
checks (grader/checking/recording.py), at the default number of examples.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any

import numpy as np
import pytest

from exercises import all_exercises, by_name
from grader.checking.recording import record
from grader.checking.settings import Settings
from grader.exercise import strategies

SEEDS = (0, 20261122)
EXAMPLES = 100
KINK = 1e-6  # K11: no pre-activation closer to 0 than this


@cache
def _plan(name: str, seed: int) -> tuple[Mapping[str, Any], ...]:
    """The drawn inputs of the plan; the explicit examples (worked numbers) come first and are left out."""
    exercise = by_name()[name]
    explicit = len(exercise.examples()) if exercise.examples else 0
    return tuple(p.inputs for p in record(exercise, Settings(seed=seed, examples=EXAMPLES))[explicit:])


def _inputs(name: str) -> Iterator[Mapping[str, Any]]:
    for seed in SEEDS:
        yield from _plan(name, seed)


# ---- the contract's domains, written out ----------------------------------------------------


def _side(n: int, top: int = 6) -> bool:
    return 1 <= n <= top


def _within(a: Any, low: float, high: float) -> bool:
    v = np.asarray(a, dtype=np.float64)
    return bool(np.all(np.isfinite(v)) and np.all(v >= low) and np.all(v <= high))


def _vector(a: Any, top: int = 6) -> bool:
    return isinstance(a, np.ndarray) and a.ndim == 1 and _side(a.shape[0], top)


def _scalar(x: Any, low: float = -10, high: float = 10) -> bool:
    return isinstance(x, float) and low <= x <= high


def _epoch_pre(w: Any, b: float, X: Any, y: Any, lr: float, batch_size: int) -> Any:
    from reference.loss import gd_step

    found = []
    for k in range(0, X.shape[0], batch_size):
        found.append(X[k : k + batch_size] @ w + b)
        w, b = gd_step(w, b, X[k : k + batch_size], y[k : k + batch_size], lr)
    return np.concatenate(found)


def _regression(i: Mapping[str, Any]) -> bool:
    w, X, y = i["w"], i["X"], i["y"]
    shapes = _vector(w) and X.shape == (y.shape[0], w.shape[0]) and _side(X.shape[0], 20)
    # X: rows may be moved off the kink by up to 0.2 ("magnitudes up to about 10", K11)
    values = _within(w, -10, 10) and _within(X, -10.5, 10.5) and _within(y, -10, 10)
    return bool(shapes and values and math.isfinite(i["b"]) and np.all(np.abs(X @ w + i["b"]) >= KINK))


def _network(i: Mapping[str, Any]) -> bool:
    Ws, bs = i["Ws"], i["bs"]
    ok = 1 <= len(Ws) == len(bs) <= 3
    for k, (W, b) in enumerate(zip(Ws, bs, strict=True)):
        ok &= _side(W.shape[0]) and _side(W.shape[1]) and b.shape == (W.shape[0],)
        ok &= _within(W, -2, 2) and _within(b, -2, 2)
        ok &= k == 0 or W.shape[1] == Ws[k - 1].shape[0]
    x, y = (i["x"], i["y"]) if "x" in i else (i["X"], i["Y"])
    ok &= x.shape[-1] == Ws[0].shape[1] and y.shape[-1] == Ws[-1].shape[0]
    return bool(ok and _within(x, -3, 3) and _within(y, 0, 1))


_PAIR: Callable[[Mapping[str, Any]], bool] = lambda i: (  # noqa: E731
    _vector(i["w"]) and i["x"].shape == i["w"].shape and _within(i["w"], -10, 10) and _within(i["x"], -10, 10)
)

DOMAINS: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "d_ln_x2": lambda i: _scalar(i["x"]) and abs(i["x"]) >= 0.1,
    "d_sin_x2": lambda i: _scalar(i["x"]),
    "d_ln_sin_x3_sq": lambda i: _scalar(i["x"], -3, 3) and abs(math.sin(i["x"] ** 3)) >= 0.1,
    "d_x_plus_x2": lambda i: _scalar(i["x"]),
    "d_sin_x_plus_x2": lambda i: _scalar(i["x"]),
    "d_x_times_x2": lambda i: _scalar(i["x"]),
    "grad_3x2y": lambda i: _scalar(i["x"]) and _scalar(i["y"]),
    "grad_x2_cos_y": lambda i: _scalar(i["x"]) and _scalar(i["y"]),
    "jacobian_3x2y_2x_y8": lambda i: _scalar(i["x"]) and _scalar(i["y"], -3, 3),
    "jacobian_2x_y3": lambda i: _scalar(i["x"]) and _scalar(i["y"]),
    "jacobian_sin_ln": lambda i: _scalar(i["x"]) and _scalar(i["y"], 0.1, 10),
    "jacobian_identity": lambda i: _vector(i["x"]) and _within(i["x"], -10, 10),
    "d_ln_x2_sin_3x": lambda i: _scalar(i["x"]) and abs(i["x"]) >= 0.1,
    "jac_add": _PAIR,
    "jac_sub": _PAIR,
    "jac_mul": _PAIR,
    "jac_div": lambda i: _PAIR(i) and bool(np.all(np.abs(i["x"]) >= 0.1)),
    "jac_max": lambda i: _PAIR(i) and bool(np.all(np.abs(i["w"] - i["x"]) >= 1e-3)),
    "jac_relu": lambda i: (
        _vector(i["x"]) and _within(i["x"], -10, 10) and bool(np.all(np.abs(i["x"]) >= KINK))
    ),
    "jac_scalar_add": lambda i: _vector(i["x"]) and _within(i["x"], -10, 10) and _scalar(i["z"]),
    "jac_scalar_mul": lambda i: _vector(i["x"]) and _within(i["x"], -10, 10) and _scalar(i["z"]),
    "grad_sum": lambda i: _vector(i["x"]) and _within(i["x"], -10, 10),
    "grad_sum_xz": lambda i: _vector(i["x"]) and _within(i["x"], -10, 10) and _scalar(i["z"]),
    "grad_dot": _PAIR,
    "vector_chain": lambda i: (
        i["J_f"].ndim == i["J_g"].ndim == 2
        and i["J_f"].shape[1] == i["J_g"].shape[0]
        and all(_side(s) for s in (*i["J_f"].shape, i["J_g"].shape[1]))
        and _within(i["J_f"], -10, 10)
        and _within(i["J_g"], -10, 10)
    ),
    "neuron": lambda i: _PAIR(i) and math.isfinite(i["b"]) and abs(float(i["w"] @ i["x"]) + i["b"]) >= KINK,
    "neuron_grad": lambda i: DOMAINS["neuron"](i),
    "layer_forward": lambda i: (
        _side(i["W"].shape[0])
        and _side(i["W"].shape[1])
        and i["a_prev"].shape == (i["W"].shape[1],)
        and i["b_vec"].shape == (i["W"].shape[0],)
        and _within(i["W"], -10, 10)
        and _within(i["a_prev"], -10, 10)
        and bool(np.all(np.abs(i["W"] @ i["a_prev"] + i["b_vec"]) >= KINK))
    ),
    "layer_jacobian": lambda i: DOMAINS["layer_forward"](i),
    "mse_loss": _regression,
    "mse_grad": _regression,
    "mse_grad_half": _regression,
    "gd_step": lambda i: _regression(i) and 0 < i["lr"] <= 0.1,
    "num_minibatches": lambda i: (
        isinstance(i["m"], int)
        and isinstance(i["batch_size"], int)
        and 1 <= i["batch_size"] <= i["m"] <= 10**7
    ),
    "sgd_epoch": lambda i: (
        _regression(i)
        and 0 < i["lr"] <= 0.1
        and isinstance(i["batch_size"], int)
        and 1 <= i["batch_size"] <= i["X"].shape[0]
        and bool(np.all(np.abs(_epoch_pre(i["w"], i["b"], i["X"], i["y"], i["lr"], i["batch_size"])) >= KINK))
    ),
    # z^l of the set's networks: |z| <= 6 * 2 * 3 + 2 = 38 (weights, biases in [-2, 2], x in [-3, 3])
    "sigmoid_prime": lambda i: _vector(i["z"]) and _within(i["z"], -38, 38),
    "delta_output": lambda i: (
        _vector(i["z_L"])
        and i["y"].shape == i["z_L"].shape
        and _within(i["y"], 0, 1)
        and _within(i["z_L"], -38, 38)
    ),
    "delta_hidden": lambda i: (
        i["W_next"].shape == (i["delta_next"].shape[0], i["z"].shape[0])
        and _vector(i["z"])
        and _vector(i["delta_next"])
        and _within(i["W_next"], -2, 2)
        and _within(i["z"], -38, 38)
    ),
    "layer_grads": lambda i: _vector(i["delta"]) and _vector(i["a_prev"]) and _within(i["a_prev"], -3, 3),
    "backprop": _network,
    "backprop_batch": _network,
}


def test_every_exercise_has_its_domain_written_here() -> None:
    """The table of domains covers the 41 exercises of the contract, no more."""
    assert sorted(DOMAINS) == sorted(e.name for e in all_exercises())


@pytest.mark.parametrize("name", [e.name for e in all_exercises()])
def test_every_planned_input_lies_in_the_contract_domain(name: str) -> None:
    """K11: every input set grading checks, corners and structure included, is in the domain."""
    outside = [dict(i) for i in _inputs(name) if not DOMAINS[name](i)]
    assert not outside, outside[:2]


def test_the_plans_are_the_same_for_the_same_seed() -> None:
    """Corners and structure are deterministic per seed: drawing twice gives the same inputs."""
    exercise = by_name()["mse_grad"]
    first = record(exercise, Settings(seed=3, examples=60))
    second = record(exercise, Settings(seed=3, examples=60))
    for a, b in zip(first, second, strict=True):
        assert a.inputs.keys() == b.inputs.keys()
        assert all(np.array_equal(a.inputs[k], b.inputs[k]) for k in a.inputs)


# ---- the corners are drawn --------------------------------------------------------------------


def _near(z: Any) -> Any:
    """Which pre-activations lie in the kink corner, 1e-6 to 1e-2 from 0."""
    a = np.abs(np.asarray(z, dtype=np.float64))
    return (a >= KINK) & (a < 1e-2)


PRE = {
    "neuron_grad": lambda i: np.array([i["w"] @ i["x"] + i["b"]]),
    "layer_jacobian": lambda i: i["W"] @ i["a_prev"] + i["b_vec"],
    "jac_relu": lambda i: i["x"],
    "mse_grad": lambda i: i["X"] @ i["w"] + i["b"],
    "gd_step": lambda i: i["X"] @ i["w"] + i["b"],
    "sgd_epoch": lambda i: i["X"] @ i["w"] + i["b"],
}


@pytest.mark.parametrize("name", sorted(PRE))
def test_pre_activations_are_drawn_on_both_sides_of_the_kink_down_to_two_millionths(name: str) -> None:
    """The kink corner: z from 1e-6 to 1e-2 on either side of 0, exact in float32 as in float64."""
    near = [z for i in _inputs(name) for z in PRE[name](i)[_near(PRE[name](i))]]
    assert any(z > 0 for z in near) and any(z < 0 for z in near), near
    assert min(abs(z) for z in near) < 1e-5
    if name != "jac_relu":  # w, x small integers and b exact: float32 computes the same z
        for i in _inputs(name):
            if name == "neuron_grad" and float(PRE[name](i)[0]) in strategies.NEAR_KINK:
                w, x, b = (np.float32(v) for v in (i["w"], i["x"], i["b"]))
                assert float(np.float32(np.dot(w, x)) + b) == float(PRE[name](i)[0])


def test_saturated_sigmoids_are_drawn_to_the_contract_bounds() -> None:
    """backprop: x at +-3 and weights and biases at +-2, signed so that |z| reaches 38."""
    reached = 0.0
    for i in _inputs("backprop"):
        z = i["Ws"][0] @ i["x"] + i["bs"][0]
        reached = max(reached, float(np.max(np.abs(z))))
    assert reached >= 20  # s'(20) = 2e-9: far into saturation


@pytest.mark.parametrize(
    ("name", "z"), [("sigmoid_prime", "z"), ("delta_output", "z_L"), ("delta_hidden", "z")]
)
def test_pre_activations_of_a_sigmoid_are_drawn_far_into_saturation_up_to_38(name: str, z: str) -> None:
    """The saturation corner: |z| from 6 to 38 on both sides, 38 itself (the set's largest z^l)."""
    values = np.concatenate([np.ravel(i[z]) for i in _inputs(name)])
    far = values[np.abs(values) > 10]
    assert np.any(far > 20) and np.any(far < -20), far
    assert np.any(np.abs(values) == 38) and np.any((np.abs(values) > 10) & (np.abs(values) <= 13))
    assert np.mean(np.abs(values) <= 5) > 0.5  # most entries stay where no mistake hides


def test_every_range_end_is_drawn_exactly() -> None:
    """A learning rate of exactly 0.1, |x| = 0.1 where the domain ends there, sizes of 1 and 6."""
    assert any(i["lr"] == 0.1 for i in _inputs("gd_step"))
    assert any(i["lr"] == 0.1 for i in _inputs("sgd_epoch"))
    assert any(abs(i["x"]) == 0.1 for i in _inputs("d_ln_x2"))
    assert any(i["y"] == 0.1 for i in _inputs("jacobian_sin_ln"))
    assert any(abs(i["y"]) == 3 for i in _inputs("jacobian_3x2y_2x_y8"))
    assert any(np.any(np.abs(i["x"]) == 0.1) for i in _inputs("jac_div"))
    assert any(
        np.any(np.abs(i["w"] - i["x"]) == 1e-3) or np.any(np.abs(np.abs(i["w"] - i["x"]) - 1e-3) < 1e-15)
        for i in _inputs("jac_max")
    )
    assert any(np.any(np.abs(i["z"]) == 5) for i in _inputs("sigmoid_prime"))
    assert any(np.any(np.abs(i["z"]) == 38) for i in _inputs("sigmoid_prime"))


@pytest.mark.parametrize(
    ("name", "shape_of"),
    [
        ("layer_jacobian", lambda i: i["W"].shape),
        ("vector_chain", lambda i: (*i["J_f"].shape, i["J_g"].shape[1])),
        ("mse_grad", lambda i: i["X"].shape),
        ("delta_hidden", lambda i: i["W_next"].shape),
        ("backprop", lambda i: (*tuple(W.shape[0] for W in i["Ws"]), i["Ws"][0].shape[1])),
        ("jacobian_identity", lambda i: i["x"].shape),
    ],
)
def test_matrix_exercises_get_sizes_of_one_square_shapes_and_the_largest_sizes(
    name: str, shape_of: Any
) -> None:
    """n = 1 (and N = 1), square shapes and the largest sizes are all drawn for each."""
    shapes = [shape_of(i) for i in _inputs(name)]
    assert any(all(s == 1 for s in shape) for shape in shapes)
    assert any(len(set(shape)) == 1 and shape[0] > 1 for shape in shapes)
    top = 20 if name == "mse_grad" else 6
    assert any(max(shape) == top for shape in shapes)


def test_minibatch_counts_reach_every_extreme() -> None:
    """Remainders 1 and b - 1, b = m, b = 1, m >> b with a tiny remainder, m = 1, m = 10^7."""
    pairs = [(i["m"], i["batch_size"]) for i in _inputs("num_minibatches")]
    assert any(m % b == 1 and b > 1 for m, b in pairs)
    assert any(m % b == b - 1 and b > 2 for m, b in pairs)
    assert any(m == b > 1 for m, b in pairs) and any(b == 1 < m for m, b in pairs)
    assert any(b > 1000 and 0 < m % b <= 3 and m // b > 100 for m, b in pairs)
    assert any(m == 1 for m, _ in pairs) and any(m == 10**7 for m, _ in pairs)
    epochs = [(i["X"].shape[0], i["batch_size"]) for i in _inputs("sgd_epoch")]
    assert any(N % b == 1 and b > 1 for N, b in epochs) and any(N % b == b - 1 and b > 2 for N, b in epochs)


def test_counts_reach_float_rounding_of_the_ceiling() -> None:
    """An exact multiple where m * (1/b) rounds above m / b, and b > 10^6 with a remainder of 1..3."""
    pairs = [(i["m"], i["batch_size"]) for i in _inputs("num_minibatches")]
    assert any(m % b == 0 and math.ceil(m * (1.0 / b)) != m // b for m, b in pairs)
    assert any(b > 10**6 and 0 < m % b <= 3 for m, b in pairs)


@pytest.mark.parametrize("name", ["jac_scalar_mul", "jac_scalar_add", "grad_sum_xz"])
def test_scalar_arguments_are_drawn_at_zero_and_one_exactly(name: str) -> None:
    """`if z == 0` and `if z == 1`: both special values are drawn, and the range's ends."""
    values = {i["z"] for i in _inputs(name)}
    assert {0.0, 1.0} <= values and bool(values & {10.0, -10.0})


@pytest.mark.parametrize("name", ["vector_chain", "layer_jacobian", "backprop"])
def test_square_matrices_are_sometimes_the_identity_or_next_to_it(name: str) -> None:
    """A square matrix (side 2 or more) drawn as I, and one within 1e-3 of I but not I."""

    def matrices(i: Mapping[str, Any]) -> list[Any]:
        arrays = _arrays(i) + list(i.get("Ws", []))
        return [a for a in arrays if a.ndim == 2 and a.shape[0] == a.shape[1] >= 2]

    found = [(a, np.eye(a.shape[0])) for i in _inputs(name) for a in matrices(i)]
    assert any(np.array_equal(a, eye) for a, eye in found)
    assert any(np.allclose(a, eye, atol=1e-3) and not np.array_equal(a, eye) for a, eye in found)


@pytest.mark.parametrize("name", ["mse_grad", "mse_loss", "gd_step"])
def test_regressions_include_nearly_fitted_models(name: str) -> None:
    """y = max(0, X w + b) within np.allclose's tolerance but not exactly, and exactly."""
    fits = [i["y"] - np.maximum(i["X"] @ i["w"] + i["b"], 0) for i in _inputs(name)]
    assert any(np.all(np.abs(r) <= 1e-8) and np.any(r != 0) for r in fits)
    assert any(np.all(r == 0) for r in fits)


# ---- structure, derived from the declared arrays ----------------------------------------------


def _arrays(i: Mapping[str, Any]) -> list[Any]:
    return [v for v in i.values() if isinstance(v, np.ndarray)]


@pytest.mark.parametrize(
    "name",
    [
        "jacobian_identity",
        "jac_mul",
        "grad_dot",
        "vector_chain",
        "neuron",
        "mse_loss",
        "layer_grads",
        "delta_output",
    ],
)
def test_every_array_exercise_gets_zeros_small_integers_and_constant_vectors(name: str) -> None:
    """Structure with no code of the exercise's own: zeros, small integers, constant arrays."""
    sets = [_arrays(i) for i in _inputs(name)]
    assert any(any(np.all(a == 0) for a in arrays) for arrays in sets), "a whole argument 0"
    assert any(any(np.any(a == 0) and not np.all(a == 0) for a in arrays) for arrays in sets), "one entry 0"
    assert any(
        all(np.all(a == np.round(a)) for a in arrays) and any(np.any(a != 0) for a in arrays)
        for arrays in sets
    )
    assert any(
        any(a.size > 1 and np.all(a == a.flat[0]) and a.flat[0] != 0 for a in arrays) for arrays in sets
    )
    tiny = [a for arrays in sets for a in arrays if np.any((np.abs(a) > 0) & (np.abs(a) < 1e-5))]
    assert tiny, "values at several scales"


@pytest.mark.parametrize(
    ("name", "first", "second"), [("jac_mul", "w", "x"), ("grad_dot", "w", "x"), ("neuron", "w", "x")]
)
def test_arguments_of_the_same_shape_are_sometimes_equal(name: str, first: str, second: str) -> None:
    """Equal arguments: w = x for exercises with two arrays of one shape."""
    assert any(np.array_equal(i[first], i[second]) and np.any(i[first] != 0) for i in _inputs(name))


def test_scalar_arguments_are_sometimes_equal() -> None:
    """x = y for exercises of two scalars, where both domains allow it."""
    assert any(i["x"] == i["y"] and i["x"] != 0 for i in _inputs("grad_3x2y"))


@pytest.mark.parametrize("name", ["mse_grad", "layer_jacobian", "backprop_batch"])
def test_matrices_get_duplicate_rows(name: str) -> None:
    """A repeated example: two equal rows of a data or weight matrix."""

    def duplicated(a: Any) -> bool:
        return a.ndim == 2 and a.shape[0] > 1 and len({r.tobytes() for r in a}) < a.shape[0]

    assert any(any(duplicated(a) for a in _arrays(i) + list(i.get("Ws", []))) for i in _inputs(name))


def test_structure_keeps_each_entry_inside_its_elements() -> None:
    """Every family of structure leaves each entry where its Elements admits it."""
    from hypothesis import given, settings

    away = strategies.elements(min_magnitude=0.5)
    unit = strategies.elements(min_value=0, max_value=1)

    @settings(max_examples=300, database=None, deadline=None, derandomize=True)
    @given(
        strategies.shaped(lambda n, m: {"a": ((n, m), away), "b": ((n, m), unit), "c": ((m,), None)}, sides=2)
    )
    def check(inputs: dict[str, Any]) -> None:
        assert np.all(away.admits(inputs["a"])) and np.all(unit.admits(inputs["b"]))
        assert np.all(np.abs(inputs["c"]) <= 10)

    check()
