"""Benchmark 5, scaling: the cost of checking one input as it grows (n to 64, N to 1,000, 6 layers).

Run:  python bench/bench_scaling.py [--repeats 5]

The strategies draw small inputs (sides up to 6, N up to 20, 3 layers), so this times the
check itself on fixed large inputs built with numpy (inside each exercise's domain, away
from the ReLU kink): the reference answer, one call of examples/correct.py in the worker
(encoding, the student's code, decoding and validating the reply), and judging every
identity of the exercise.  Each figure is the median of --repeats.  The last column is the
growth exponent between the two largest sizes, log(t2/t1) / log(size2/size1): about 2 for an
n x n answer, 1 for N rows; a much larger one would show something quadratic by accident.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from _common import CORRECT, header, median, table

Build = Callable[[int, Any], dict[str, Any]]


def _jac_mul(n: int, rng: Any) -> dict[str, Any]:
    return {"w": rng.uniform(-10, 10, n), "x": rng.uniform(-10, 10, n)}


def _grad_dot(n: int, rng: Any) -> dict[str, Any]:
    return {"w": rng.uniform(-10, 10, n), "x": rng.uniform(-10, 10, n)}


def _layer(n: int, rng: Any) -> dict[str, Any]:
    W = rng.uniform(-10, 10, (n, n))
    a_prev = rng.uniform(-10, 10, n)
    z = rng.choice([-1.0, 1.0], n) * rng.uniform(0.1, 5, n)  # every unit off the kink
    return {"W": W, "b_vec": z - W @ a_prev, "a_prev": a_prev}


def _vector_chain(n: int, rng: Any) -> dict[str, Any]:
    return {"J_f": rng.uniform(-10, 10, (n, n)), "J_g": rng.uniform(-10, 10, (n, n))}


def _regression(N: int, rng: Any, n: int = 4) -> dict[str, Any]:
    from grader.exercise.strategies import push_off_kink

    w, b = rng.uniform(-10, 10, n), float(rng.uniform(-10, 10))
    X, b = push_off_kink(w, b, rng.uniform(-10, 10, (N, n)), 0.01)
    return {"w": w, "b": b, "X": X, "y": rng.uniform(-10, 10, N)}


def _epoch(N: int, rng: Any) -> dict[str, Any]:
    return {**_regression(N, rng), "lr": 0.01, "batch_size": 7}


def _network(layers: int, rng: Any, width: int = 8, batch: int | None = None) -> dict[str, Any]:
    widths = [width] * (layers + 1)
    inputs: dict[str, Any] = {
        "Ws": [rng.uniform(-2, 2, (widths[i + 1], widths[i])) for i in range(layers)],
        "bs": [rng.uniform(-2, 2, widths[i + 1]) for i in range(layers)],
    }
    if batch is None:
        inputs.update(x=rng.uniform(-3, 3, width), y=rng.uniform(0, 1, width))
    else:
        inputs.update(X=rng.uniform(-3, 3, (batch, width)), Y=rng.uniform(0, 1, (batch, width)))
    return inputs


CASES: list[tuple[str, str, Build, list[int]]] = [
    ("jac_mul", "n", _jac_mul, [1, 4, 16, 64]),
    ("grad_dot", "n", _grad_dot, [1, 4, 16, 64]),
    ("layer_jacobian", "n", _layer, [1, 4, 16, 64]),
    ("vector_chain", "n", _vector_chain, [1, 4, 16, 64]),
    ("mse_grad", "N", _regression, [1, 10, 100, 1000]),
    ("sgd_epoch", "N", _epoch, [1, 10, 100, 1000]),
    ("backprop", "layers", _network, [1, 2, 4, 6]),
    ("backprop_batch", "N", lambda N, rng: _network(2, rng, width=4, batch=N), [1, 10, 100, 1000]),
]


def _time(function: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    header("scaling")
    from exercises import by_name
    from grader.sandbox import Limits, Sandbox

    rows: list[list[str]] = []
    failed: list[str] = []
    limits = Limits(call_seconds=60.0)
    with Sandbox(CORRECT.read_text(encoding="utf-8"), str(CORRECT), limits) as sandbox:
        assert sandbox.load().error is None
        for name, what, build, sizes in CASES:
            exercise = by_name()[name]
            totals = []
            for size in sizes:
                inputs = build(size, np.random.default_rng(size))
                times, broken = _measure(exercise, sandbox, inputs, args.repeats)
                failed += [f"{name} {what}={size}: {identity}" for identity in broken]
                totals.append(sum(times))
                rows.append([name, f"{what} = {size}", *(f"{t * 1e3:.2f}" for t in (*times, sum(times))), ""])
            growth = math.log(totals[-1] / totals[-2]) / math.log(sizes[-1] / sizes[-2])
            rows[-1][-1] = f"{growth:.2f}"
            print(f"{name}: done", flush=True)
    print()
    headers = ["exercise", "size", "reference ms", "worker call ms", "judging ms", "total ms", "growth"]
    print(table(headers, rows))
    print()
    print("identities that failed: " + "; ".join(failed) if failed else "every identity holds on every input")


def _measure(
    exercise: Any, sandbox: Any, inputs: dict[str, Any], repeats: int
) -> tuple[list[float], list[str]]:
    """([reference, worker call, judging] seconds, the identities that failed) on one input."""
    from grader.checking import copy_input, identities_of
    from grader.exercise import Case, spec_of
    from grader.sandbox import Returned

    args = tuple(inputs[p] for p in exercise.params)
    reference_t, expected = _time(lambda: exercise.reference(*(copy_input(a) for a in args)), repeats)
    spec = spec_of(expected)
    call_t, outcomes = _time(lambda: sandbox.call(exercise.name, spec, [args]), repeats)
    [outcome] = outcomes
    assert isinstance(outcome, Returned), outcome
    case = Case(exercise=exercise, inputs=inputs, expected=expected, got=outcome.value)
    identities = identities_of(exercise)
    judge_t, verdicts = _time(lambda: [i.check(case) for i in identities], repeats)
    broken = [i.name for i, v in zip(identities, verdicts, strict=True) if v is not None]
    return [reference_t, call_t, judge_t], broken

if __name__ == "__main__":
    main()
