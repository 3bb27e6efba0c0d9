"""Every exercise of spec/exercises.md has its reference, by exact name, parameters and shape."""

from __future__ import annotations

import copy
import importlib
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

# The contract of spec/exercises.md: set -> exercise -> parameters, in order.
CONTRACT: dict[str, dict[str, tuple[str, ...]]] = {
    "scalar": {
        "d_ln_x2": ("x",),
        "d_sin_x2": ("x",),
        "d_ln_sin_x3_sq": ("x",),
        "d_x_plus_x2": ("x",),
        "d_sin_x_plus_x2": ("x",),
        "d_x_times_x2": ("x",),
    },
    "jacobians": {
        "grad_3x2y": ("x", "y"),
        "grad_x2_cos_y": ("x", "y"),
        "jacobian_3x2y_2x_y8": ("x", "y"),
        "jacobian_2x_y3": ("x", "y"),
        "jacobian_sin_ln": ("x", "y"),
        "jacobian_identity": ("x",),
        "d_ln_x2_sin_3x": ("x",),
    },
    "elementwise": {
        "jac_add": ("w", "x"),
        "jac_sub": ("w", "x"),
        "jac_mul": ("w", "x"),
        "jac_div": ("w", "x"),
        "jac_max": ("w", "x"),
        "jac_relu": ("x",),
        "jac_scalar_add": ("x", "z"),
        "jac_scalar_mul": ("x", "z"),
    },
    "reductions": {
        "grad_sum": ("x",),
        "grad_sum_xz": ("x", "z"),
        "grad_dot": ("w", "x"),
        "vector_chain": ("J_f", "J_g"),
    },
    "neuron": {
        "neuron": ("w", "b", "x"),
        "neuron_grad": ("w", "b", "x"),
        "layer_forward": ("W", "b_vec", "a_prev"),
        "layer_jacobian": ("W", "b_vec", "a_prev"),
    },
    "loss": {
        "mse_loss": ("w", "b", "X", "y"),
        "mse_grad": ("w", "b", "X", "y"),
        "mse_grad_half": ("w", "b", "X", "y"),
        "gd_step": ("w", "b", "X", "y", "lr"),
        "num_minibatches": ("m", "batch_size"),
        "sgd_epoch": ("w", "b", "X", "y", "lr", "batch_size"),
    },
    "backprop": {
        "sigmoid_prime": ("z",),
        "delta_output": ("z_L", "y"),
        "delta_hidden": ("W_next", "delta_next", "z"),
        "layer_grads": ("delta", "a_prev"),
        "backprop": ("Ws", "bs", "x", "y"),
        "backprop_batch": ("Ws", "bs", "X", "Y"),
    },
}
ALL = [(s, name) for s, names in CONTRACT.items() for name in names]

n, n_out, n_in, N, B, m, k = 3, 2, 4, 5, 4, 2, 5
widths = (3, 4, 2)  # n_0, n_1, n_2 of a 2-layer network


_rng = np.random.default_rng(20240601)


def _r(*shape: int) -> np.ndarray:
    """Fixed generic values, 0.2 <= |v| <= 1.5 with alternating signs (a new draw each call)."""
    v = _rng.uniform(0.2, 1.5, shape)
    return v * np.where(np.arange(v.size).reshape(shape) % 2 == 0, 1.0, -1.0)


def f(value: float) -> np.float64:
    """A numpy float64 scalar: the references must still return Python floats (K2)."""
    return np.float64(value)


Ws = [_r(widths[1], widths[0]), _r(widths[2], widths[1])]
bs = [_r(widths[1]), _r(widths[2])]

# Exercise -> (its arguments, the expected structure: "float", "int", a shape, or tuple/list).
CASES: dict[str, tuple[tuple[Any, ...], Any]] = {
    "d_ln_x2": ((f(1.5),), "float"),
    "d_sin_x2": ((f(1.5),), "float"),
    "d_ln_sin_x3_sq": ((f(1.0),), "float"),
    "d_x_plus_x2": ((f(1.5),), "float"),
    "d_sin_x_plus_x2": ((f(1.5),), "float"),
    "d_x_times_x2": ((f(1.5),), "float"),
    "grad_3x2y": ((f(1.5), f(0.5)), (2,)),
    "grad_x2_cos_y": ((f(1.5), f(0.5)), (2,)),
    "jacobian_3x2y_2x_y8": ((f(1.5), f(0.5)), (2, 2)),
    "jacobian_2x_y3": ((f(1.5), f(0.5)), (2, 2)),
    "jacobian_sin_ln": ((f(1.5), f(0.5)), (2, 2)),
    "jacobian_identity": ((_r(n),), (n, n)),
    "d_ln_x2_sin_3x": ((f(1.5),), (2,)),
    "jac_add": ((_r(n), _r(n)), ("tuple", (n, n), (n, n))),
    "jac_sub": ((_r(n), _r(n)), ("tuple", (n, n), (n, n))),
    "jac_mul": ((_r(n), _r(n)), ("tuple", (n, n), (n, n))),
    "jac_div": ((_r(n), _r(n)), ("tuple", (n, n), (n, n))),
    "jac_max": ((_r(n), _r(n)), ("tuple", (n, n), (n, n))),
    "jac_relu": ((_r(n),), (n, n)),
    "jac_scalar_add": ((_r(n), f(0.7)), ("tuple", (n, n), (n,))),
    "jac_scalar_mul": ((_r(n), f(0.7)), ("tuple", (n, n), (n,))),
    "grad_sum": ((_r(n),), (n,)),
    "grad_sum_xz": ((_r(n), f(0.7)), ("tuple", (n,), "float")),
    "grad_dot": ((_r(n), _r(n)), ("tuple", (n,), (n,))),
    "vector_chain": ((_r(m, k), _r(k, n)), (m, n)),
    "neuron": ((_r(n), f(0.3), _r(n)), "float"),
    "neuron_grad": ((_r(n), f(0.3), _r(n)), ("tuple", (n,), "float")),
    "layer_forward": ((_r(n_out, n_in), _r(n_out), _r(n_in)), (n_out,)),
    "layer_jacobian": ((_r(n_out, n_in), _r(n_out), _r(n_in)), (n_out, n_in)),
    "mse_loss": ((_r(n), f(0.3), _r(N, n), _r(N)), "float"),
    "mse_grad": ((_r(n), f(0.3), _r(N, n), _r(N)), ("tuple", (n,), "float")),
    "mse_grad_half": ((_r(n), f(0.3), _r(N, n), _r(N)), ("tuple", (n,), "float")),
    "gd_step": ((_r(n), f(0.3), _r(N, n), _r(N), f(0.05)), ("tuple", (n,), "float")),
    "num_minibatches": ((1_000_000, 120), "int"),
    "sgd_epoch": ((_r(n), f(0.3), _r(N, n), _r(N), f(0.05), 2), ("tuple", (n,), "float")),
    "sigmoid_prime": ((_r(n),), (n,)),
    "delta_output": ((_r(widths[2]), np.array([f(0.2), 0.9])), (widths[2],)),
    "delta_hidden": ((Ws[1], _r(widths[2]), _r(widths[1])), (widths[1],)),
    "layer_grads": ((_r(widths[2]), _r(widths[1])), ("tuple", (widths[2], widths[1]), (widths[2],))),
    "backprop": (
        (Ws, bs, _r(widths[0]), np.array([f(0.2), 0.9])),
        ("tuple", ("list", *(W.shape for W in Ws)), ("list", *(b.shape for b in bs))),
    ),
    "backprop_batch": (
        (Ws, bs, _r(B, widths[0]), np.abs(_r(B, widths[2])) / 2),
        ("tuple", ("list", *(W.shape for W in Ws)), ("list", *(b.shape for b in bs))),
    ),
}


def _reference(set_name: str, name: str) -> Callable[..., Any]:
    """The reference function `reference.<set>.<name>`."""
    return getattr(importlib.import_module(f"reference.{set_name}"), name)


def _check(value: Any, spec: Any, where: str) -> None:
    """value has the structure spec: "float", "int", a shape, or ("tuple"|"list", *items)."""
    if spec == "float":
        assert type(value) is float, f"{where}: {type(value).__name__}, not float"
    elif spec == "int":
        assert type(value) is int, f"{where}: {type(value).__name__}, not int"
    elif spec[0] == "tuple":
        assert type(value) is tuple and len(value) == len(spec) - 1, f"{where}: not a tuple"
        for i, (item, sub) in enumerate(zip(value, spec[1:], strict=True)):
            _check(item, sub, f"{where}[{i}]")
    elif spec[0] == "list":
        assert type(value) is list and len(value) == len(spec) - 1, f"{where}: not a list"
        for i, (item, shape) in enumerate(zip(value, spec[1:], strict=True)):
            _check(item, shape, f"{where}[{i}]")
    else:
        assert isinstance(value, np.ndarray), f"{where}: {type(value).__name__}, not an array"
        assert value.dtype == np.float64, f"{where}: dtype {value.dtype}"
        assert value.shape == spec, f"{where}: shape {value.shape}, not {spec}"


def test_the_references_hold_exactly_the_41_exercises_of_the_contract() -> None:
    """Each set's module lists in EXERCISES exactly the contract's names, 41 in all."""
    assert len(ALL) == 41
    for set_name, names in CONTRACT.items():
        module = importlib.import_module(f"reference.{set_name}")
        assert tuple(module.EXERCISES) == tuple(names), set_name
    assert not hasattr(importlib.import_module("reference.misc"), "EXERCISES")
    assert set(CASES) == {name for _, name in ALL}


@pytest.mark.parametrize(("set_name", "name"), ALL)
def test_reference_has_the_contract_parameters_in_order(set_name: str, name: str) -> None:
    """The reference function has exactly the exercise's parameter names, in order."""
    parameters = tuple(inspect.signature(_reference(set_name, name)).parameters)
    assert parameters == CONTRACT[set_name][name]


@pytest.mark.parametrize(("set_name", "name"), ALL)
def test_reference_returns_the_documented_type_and_shape(set_name: str, name: str) -> None:
    """Floats are Python floats, counts ints, arrays float64 of the table's shape (K2, K4, K10)."""
    args, spec = CASES[name]
    _check(_reference(set_name, name)(*copy.deepcopy(args)), spec, name)


def _same(a: Any, b: Any) -> bool:
    """Equal values of the same types, through lists and tuples."""
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return np.array_equal(a, b) and type(a) is type(b)


@pytest.mark.parametrize(("set_name", "name"), ALL)
def test_reference_does_not_modify_its_arguments(set_name: str, name: str) -> None:
    """Calling the reference leaves every argument as it was, and the result shares no memory."""
    args, _ = CASES[name]
    copies = copy.deepcopy(args)
    result = _reference(set_name, name)(*copies)
    assert _same(copies, args)
    leaves = result if isinstance(result, tuple) else (result,)
    flat = [x for leaf in leaves for x in (leaf if isinstance(leaf, list) else [leaf])]
    for out in flat:
        for arg in copies:
            for a in arg if isinstance(arg, list) else [arg]:
                if isinstance(out, np.ndarray) and isinstance(a, np.ndarray):
                    assert not np.shares_memory(out, a), f"{name} returns a view of an argument"
