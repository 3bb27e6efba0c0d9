"""Shrinking a failing input set: moves inside the exercise's domain, judged many to a call.

Hypothesis's shrinker tries one candidate at a time and replays the strategies' draws for
each, which made a failing exercise cost about half a second of the grader's time (bench/
bench_failures.py: 91% of it in the shrinker).  Here a failing input set is shrunk directly,
by moves on its values, and the candidates of a round go to the worker together:

- **sizes** (`_sizes`): every axis (and list) of one length cut to its first 1, 2, half or
  all but one entries, or without one index, so that arrays whose sides agree keep agreeing
  (W's columns with x); and every side cut to 1, then to 2, at once;
- **counts** (`_counts`): an int brought down by a power of two, or a multiple of another
  count taken off it with its remainder kept (m = q b + r to b + r);
- **values** (`_values`): every entry, an array's entries, then each entry alone, brought to
  0, to a round number below it (0.1, 0.25, 0.5, 1, 2, ...), truncated, or halved.

A candidate is tried only when it is smaller (`size_of`: entries first, then the sum of
magnitudes, as Hypothesis orders its examples), lies in the exercise's domain
(`Exercise.domain`, and its ReLU pre-activations 1e-6 from 0, K11), and the reference answers
it with finite numbers.  Of a round's candidates that fail the same way (the same failing
identities, or the function raising), the smallest is kept and the next round starts from it;
a round in which none fails ends the shrinking.  Every move is a function of the input alone,
so the same failure shrinks to the same input: the report stays deterministic.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from grader.checking.run import Run, cost, size_of
from grader.exercise import Exercise

__all__ = ["candidates", "find_and_shrink", "in_domain", "shrink"]

KINK = 1e-6  # K11: no ReLU pre-activation closer to 0 than this
PER_CALL = 64  # candidates judged in one call of the worker
CALLS = 48  # calls of the worker one failure's shrinking may take at most

Inputs = dict[str, Any]


# ---- sizes --------------------------------------------------------------------------------


def _lengths(value: Any, found: set[int]) -> None:
    if isinstance(value, list):
        found.add(len(value))
        for item in value:
            _lengths(item, found)
    elif isinstance(value, np.ndarray):
        found.update(value.shape)


def _cut(value: Any, length: int, keep: Sequence[int]) -> Any:
    """`value` with every axis (and list) of `length` reduced to the indices `keep`."""
    if isinstance(value, list):
        items = [value[k] for k in keep] if len(value) == length else value
        return [_cut(item, length, keep) for item in items]
    if isinstance(value, np.ndarray):
        for axis, side in enumerate(value.shape):
            if side == length:
                value = np.take(value, keep, axis=axis)
        return value
    return value


def _at_most(value: Any, top: int) -> Any:
    """`value` with every axis and list cut to its first `top` entries."""
    if isinstance(value, list):
        return [_at_most(item, top) for item in value[:top]]
    if isinstance(value, np.ndarray):
        return value[tuple(slice(0, top) for _ in value.shape)]
    return value


def _sizes(inputs: Mapping[str, Any]) -> Iterator[Inputs]:
    lengths: set[int] = set()
    for value in inputs.values():
        _lengths(value, lengths)
    for top in (1, 2):
        if any(length > top for length in lengths):
            yield {k: _at_most(v, top) for k, v in inputs.items()}
    for length in sorted(lengths, reverse=True):
        if length < 2:
            continue
        for kept in sorted({1, 2, 3, 4, length // 2, length - 1} & set(range(1, length))):
            yield {k: _cut(v, length, range(kept)) for k, v in inputs.items()}
        if length <= 8:
            for drop in range(length):
                keep = [i for i in range(length) if i != drop]
                yield {k: _cut(v, length, keep) for k, v in inputs.items()}


# ---- counts -------------------------------------------------------------------------------


def _smaller_ints(v: int) -> list[int]:
    found = [1, 2, 3, v // 2, v - 1]
    step = 2
    while step < v:
        found.append(v - step)
        step *= 2
    return sorted({c for c in found if 1 <= c < v})


def _counts(inputs: Mapping[str, Any]) -> Iterator[Inputs]:
    ints = [k for k, v in inputs.items() if isinstance(v, int) and not isinstance(v, bool)]
    for name in ints:
        for smaller in _smaller_ints(inputs[name]):
            yield {**inputs, name: smaller}
    for big in ints:
        for small in ints:
            a, b = inputs[big], inputs[small]
            if big == small or not 1 <= b < a:
                continue
            r = a % b
            # the quotient brought down with the remainder kept: m = q b + r -> b + r, 2 b + r
            for q in (1, 2):
                if q * b + r < a:
                    yield {**inputs, big: q * b + r}
            # a smaller divisor with the same remainder (while the remainder fits under it)
            for smaller in _smaller_ints(b):
                if r < smaller:
                    yield {**inputs, small: smaller, big: smaller + r}
                    if 2 * smaller + r < a:
                        yield {**inputs, small: smaller, big: 2 * smaller + r}


# ---- values -------------------------------------------------------------------------------


def _towards_zero(v: Any) -> list[Any]:
    """The simpler values each entry of `v` may take (`run.cost`), each move an array of v's
    shape, the simplest first: 0, 1 (with the entry's sign), then only values below the
    entry's magnitude: round numbers, the entry truncated to an integer, to tenths, to
    hundredths, and halved."""
    a = np.abs(v)
    sign = np.where(v < 0, -1.0, 1.0)
    found = [np.zeros_like(v), sign]
    found += [np.where(r < a, sign * r, v) for r in (2.0, 0.5, 0.1, 3.0, 0.25, 5.0, 10.0)]
    found += [np.trunc(v), np.trunc(v * 10) / 10, np.trunc(v * 100) / 100, v / 2]
    here = cost(v)
    return [np.where(cost(c) < here, c, v) + 0.0 for c in found]  # + 0.0: no -0.0


def _leaves(inputs: Mapping[str, Any]) -> list[tuple[str, int | None]]:
    """The float leaves of an input set: (name, None) for a float or array, (name, i) for list items."""
    found: list[tuple[str, int | None]] = []
    for name, value in inputs.items():
        if isinstance(value, list):
            found += [(name, i) for i, item in enumerate(value) if isinstance(item, np.ndarray)]
        elif isinstance(value, float) or (isinstance(value, np.ndarray) and value.dtype.kind == "f"):
            found.append((name, None))
    return found


def _get(inputs: Mapping[str, Any], leaf: tuple[str, int | None]) -> Any:
    name, i = leaf
    return inputs[name] if i is None else inputs[name][i]


def _put(inputs: Mapping[str, Any], changes: Mapping[tuple[str, int | None], Any]) -> Inputs:
    out = dict(inputs)
    for (name, i), value in changes.items():
        original = inputs[name] if i is None else inputs[name][i]
        value = float(value) if isinstance(original, float) else np.asarray(value, dtype=np.float64)
        if i is None:
            out[name] = value
        else:
            items = list(out[name])
            items[i] = value
            out[name] = items
    return out


def _values(inputs: Mapping[str, Any]) -> Iterator[Inputs]:
    leaves = _leaves(inputs)
    arrays = {leaf: np.asarray(_get(inputs, leaf), dtype=np.float64) for leaf in leaves}
    simpler = {leaf: _towards_zero(a) for leaf, a in arrays.items()}
    # Which moves change a leaf at all (each move only ever makes entries simpler).
    changes = {leaf: [bool(np.any(c != arrays[leaf])) for c in s] for leaf, s in simpler.items()}
    moves = len(next(iter(simpler.values()), []))
    for k in range(moves):  # every entry at once
        if any(changed[k] for changed in changes.values()):
            yield _put(inputs, {leaf: s[k] for leaf, s in simpler.items()})
    if len(leaves) > 1:
        for leaf in leaves:  # one argument's entries
            for k in range(moves):
                if changes[leaf][k]:
                    yield _put(inputs, {leaf: simpler[leaf][k]})
    for k in range(moves):  # one entry: each entry to 0, then each to the next move, ...
        for leaf, a in arrays.items():
            if a.size < 2:
                continue
            for index in np.ndindex(a.shape):
                if simpler[leaf][k][index] != a[index]:
                    changed = a.copy()
                    changed[index] = simpler[leaf][k][index]
                    yield _put(inputs, {leaf: changed})


def candidates(inputs: Mapping[str, Any]) -> Iterator[Inputs]:
    """Every move from `inputs`, sizes first, then counts, then values (see the module docstring)."""
    yield from _sizes(inputs)
    yield from _counts(inputs)
    yield from _values(inputs)


# ---- the domain and the loop ----------------------------------------------------------------


def in_domain(exercise: Exercise, inputs: Mapping[str, Any]) -> bool:
    """Whether an input set lies in the exercise's declared domain, kink margin included."""
    args = [inputs[p] for p in exercise.params]
    try:
        if exercise.domain is None or not exercise.domain(*args):
            return False
        if exercise.pre_activations is not None:
            z = np.asarray(exercise.pre_activations(*args), dtype=np.float64)
            return bool(np.all(np.isfinite(z)) and np.all(np.abs(z) >= KINK))
    except Exception:  # shapes that do not agree: not in the domain
        return False
    return True


def shrink(run: Run, key: tuple[str, ...]) -> None:
    """Shrink the smallest failure of kind `key` in `run.best` as far as the moves go.

    Each failing candidate is kept in `run.best` by the run itself (the smallest of each kind);
    the loop follows `key` and stops when every move from the smallest failure was tried
    without a smaller one failing that way, or after CALLS calls of the worker.
    """
    held = run.best.get(key)
    if held is None:
        return
    current = run.inputs_of(held)
    moves = candidates(current)  # each smaller than `current` by construction
    seen: set[bytes] = set()
    for _ in range(CALLS):
        bound = size_of(current)
        batch: list[Inputs] = []
        for candidate in moves:
            fingerprint = _fingerprint(candidate)
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
            if in_domain(run.exercise, candidate):
                batch.append(candidate)
                if len(batch) == PER_CALL:
                    break
        if not batch:
            return  # every move from the smallest failure was tried: a local minimum
        failing = run.try_inputs(batch, key)
        if len(failing) > 1:
            # Moves that each fail alone often fail together: try them piled up, in order.
            run.try_inputs(_piled(current, failing), key)
        held = run.best.get(key)
        if held is not None and run.best_size[key] < bound:
            current = run.inputs_of(held)
            moves = candidates(current)


def _shapes(inputs: Mapping[str, Any]) -> list[Any]:
    return [(k, [np.shape(i) for i in v] if isinstance(v, list) else np.shape(v)) for k, v in inputs.items()]


def _piled(current: Mapping[str, Any], failing: Sequence[Mapping[str, Any]]) -> list[Inputs]:
    """The changes of the failing candidates applied together, one more at a time: candidates
    of the current input's shapes only (a size move does not pile)."""
    shapes = _shapes(current)
    piled: list[Inputs] = []
    merged = dict(current)
    for candidate in failing:
        if _shapes(candidate) != shapes:
            continue
        merged = {k: _merge(current[k], merged[k], candidate[k]) for k in current}
        piled.append(merged)
    return piled[1:]


def _merge(current: Any, merged: Any, candidate: Any) -> Any:
    """`merged` with the entries in which `candidate` differs from `current` taken from it."""
    if isinstance(current, list):
        return [_merge(c, m, d) for c, m, d in zip(current, merged, candidate, strict=True)]
    if isinstance(current, np.ndarray):
        return np.where(candidate != current, candidate, merged)
    return candidate if candidate != current else merged


def _fingerprint(inputs: Mapping[str, Any]) -> bytes:
    parts: list[bytes] = []
    for name in sorted(inputs):
        value = inputs[name]
        items = value if isinstance(value, list) else [value]
        parts.append(name.encode())
        for item in items:
            array = np.asarray(item)
            parts.append(repr((array.dtype.str, array.shape)).encode() + array.tobytes())
    return b"\0".join(parts)


def find_and_shrink(run: Run) -> list[BaseException] | None:
    """Every planned input set judged, then each kind of failure shrunk; None when this
    exercise cannot be shrunk here (no domain, no plan, or nothing failed again), for the
    Hypothesis search of `Run.search` to take over.

    The explicit examples, the plan and the small plan (recording.small_plan) are judged to
    the end: each kind of failure starts from its smallest failing input set, and the
    diagnosis sees every failing one.
    """
    from grader.checking.recording import plan_exercise, small_plan
    from grader.checking.signals import OutOfTime
    from grader.timing import phase

    exercise, settings = run.exercise, run.settings
    if exercise.domain is None:
        return None
    plan = plan_exercise(exercise, settings)
    if plan is None:
        return None
    try:
        with phase("search and shrinking"):
            run.explicit()
            run.sweep(plan.cases)
            small = small_plan(exercise, settings)
            if small is not None:
                run.sweep(small.cases)
            if not run.best:
                return None
            done: set[tuple[str, ...]] = set()
            while todo := [key for key in run.best if key not in done]:
                done.add(todo[0])
                shrink(run, todo[0])
    except OutOfTime:
        pass
    return list(run.best.values())
