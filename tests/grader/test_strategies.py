"""The input strategies: arrays drawn together keep their shapes, ranges and shrinking."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings

from grader.exercise import strategies

AWAY = strategies.elements(min_magnitude=0.5)
WEIGHT = strategies.elements(min_value=-2, max_value=2)


def _layout(rows: int, columns: int) -> dict[str, Any]:
    return {"W": ((rows, columns), WEIGHT), "x": ((columns,), AWAY), "y": ((rows,), None)}


@settings(max_examples=200, database=None, deadline=None, derandomize=True)
@given(strategies.shaped(_layout, sides=2, scalars=(("z", strategies.floats()),)))
def test_shaped_draws_each_array_in_its_shape_and_range(inputs: dict[str, Any]) -> None:
    """Each array of a shaped input set has the sides of its layout and entries in its range."""
    W, x, y = inputs["W"], inputs["x"], inputs["y"]
    rows, columns = W.shape
    assert 1 <= rows <= 6 and 1 <= columns <= 6
    assert x.shape == (columns,) and y.shape == (rows,)
    assert all(a.dtype == np.float64 for a in (W, x, y))
    assert np.all(np.abs(W) <= 2)
    assert np.all(np.abs(x) >= 0.5) and np.all(np.abs(x) <= 10)
    assert np.all(np.abs(y) <= 10)
    assert isinstance(inputs["z"], float) and -10 <= inputs["z"] <= 10


def test_arrays_split_one_byte_string_in_order_each_with_its_elements() -> None:
    """Two header bytes (a draw of their own), then two bytes an entry, the arrays one after
    the other, each decoded by its own Elements; a header byte of 0 is the plain draw."""
    codes = np.array([0, 1, 2, 3, 4, 5, 0, 1, 2, 3], dtype=">u2")
    data = codes.tobytes()
    drawn: list[Any] = []

    def draw(strategy: Any) -> bytes:  # stands for Hypothesis's draws of the header, the entries
        drawn.append(strategy)
        return bytes([0, 0]) if len(drawn) == 1 else data

    first, second = strategies.arrays(draw, ((2, 3), None), ((4,), AWAY))
    assert drawn == [strategies._bytes(2), strategies._bytes(20)]
    np.testing.assert_array_equal(first, [[0.0, 1.0, -1.0], [2.0, -2.0, 3.0]])
    np.testing.assert_array_equal(second, AWAY.decode(data[12:]))
    assert second[1] == 1.0 and second[2] == -1.0  # small integers where the range allows
    assert np.all(np.abs(second) >= 0.5)


def test_a_minimal_input_set_is_the_smallest_sizes_and_small_integers() -> None:
    """Hypothesis shrinks the shared bytes towards 0: sides of 1 and entries 0 where allowed."""
    from hypothesis import find

    found = find(strategies.shaped(_layout, sides=2), lambda inputs: True)
    assert found["W"].shape == (1, 1) and found["y"].shape == (1,)
    assert found["W"][0, 0] == 0.0 and found["y"][0] == 0.0
    assert abs(found["x"][0]) == 0.5  # the smallest magnitude allowed


def test_structure_families_are_chosen_by_the_first_header_byte() -> None:
    """0 (where shrinking goes) is the plain draw; the kink corner only for kink entries."""
    assert strategies.family_of(0) is None
    assert {strategies.family_of(h) for h in range(256)} - {None} == {
        "zeros", "small", "scales", "ties", "repeated", "ends"
    }
    assert strategies.family_of(255, kink=True) == "kink"


def test_each_family_of_structure_gives_what_it_names() -> None:
    """Zeros, small integers, equal arrays, a constant vector, the ends of the range, kink values."""
    spec = strategies.elements(min_magnitude=0.5)
    kink = strategies.elements(min_magnitude=0.01, kink=True)
    codes = np.arange(100, 106, dtype=">u2").tobytes()

    def drawn(header: int, p: int, *fields: Any) -> list[Any]:
        answers = iter([bytes([header, p]), codes * len(fields)])
        return strategies.arrays(lambda _: next(answers), *fields)

    families = {strategies.family_of(h): h for h in range(255, strategies._PLAIN - 1, -1)}
    a, b = drawn(families["zeros"], 0, ((6,), None), ((6,), spec))
    assert np.all(a == 0) and np.all(np.abs(b) >= 0.5)  # b cannot hold a 0
    a, b = drawn(families["small"], 0, ((6,), None), ((6,), spec))
    assert np.all(a == np.round(a)) and np.all(np.abs(a) <= 3) and np.all(np.abs(b) >= 0.5)
    a, b = drawn(families["ties"], 0, ((6,), None), ((6,), None))
    np.testing.assert_array_equal(a, b)
    a, m = drawn(families["repeated"], 0, ((6,), None), ((3, 2), None))
    assert np.all(a == a[0]) and len({r.tobytes() for r in m}) < 3  # a repeated row
    [e] = drawn(families["ends"], 0, ((6,), spec))
    assert np.all(spec.admits(e)) and np.any(np.isin(e, [-10.0, 10.0, 0.5, -0.5]))
    [z] = drawn(255, 0, ((6,), kink))
    assert np.any(np.isin(z, strategies.NEAR_KINK))


def test_network_and_regression_keep_their_domains() -> None:
    """Networks and regressions are drawn inside their domains, whatever the draw."""
    @settings(max_examples=100, database=None, deadline=None, derandomize=True)
    @given(strategies.network(batch=8), strategies.regression(with_lr=True))
    def check(network: dict[str, Any], regression: dict[str, Any]) -> None:
        Ws, bs, X, Y = network["Ws"], network["bs"], network["X"], network["Y"]
        assert 1 <= len(Ws) == len(bs) <= 3
        for k, (W, b) in enumerate(zip(Ws, bs, strict=True)):
            assert b.shape == (W.shape[0],) and np.all(np.abs(W) <= 2) and np.all(np.abs(b) <= 2)
            if k:
                assert W.shape[1] == Ws[k - 1].shape[0]
        assert X.shape == (Y.shape[0], Ws[0].shape[1]) and Y.shape[1] == Ws[-1].shape[0]
        assert 1 <= X.shape[0] <= 8 and np.all(np.abs(X) <= 3) and np.all((Y >= 0) & (Y <= 1))
        w, b, Xr = regression["w"], regression["b"], regression["X"]
        assert Xr.shape == (regression["y"].shape[0], w.shape[0])
        z = Xr @ w + b
        # away from the ReLU kink (K11): by MARGIN, or exactly at a power of two of the kink corner
        assert np.all((np.abs(z) >= strategies.MARGIN) | np.isin(z, strategies.NEAR_KINK))
        assert 1e-4 <= regression["lr"] <= 0.1
        if np.any(np.abs(z) < strategies.MARGIN):  # the kink corner: small integers, exact z
            assert np.all(w == np.round(w)) and np.sum(np.abs(z) < strategies.MARGIN) >= 1

    check()


def test_saturation_and_identity_corners_take_their_share_from_the_plain_draws() -> None:
    """Saturation (sigmoid entries) and identity (square matrices) replace plain draws only."""
    saturated = [h for h in range(256) if strategies.family_of(h, saturation=True) == "saturation"]
    assert saturated == list(range(96, 128))
    identity = [h for h in range(256) if strategies.family_of(h, square=True) == "identity"]
    assert identity == list(range(64, 128))
    assert strategies.family_of(0, saturation=True, square=True) is None


def test_saturated_entries_are_admitted_up_to_the_declared_end_and_not_beyond() -> None:
    """Elements(saturation=38): plain draws in [-5, 5], the corner up to |z| = 38, 38 an end."""
    spec = strategies.elements(min_value=-5, max_value=5, saturation=38.0)
    assert np.all(spec.admits([-38.0, -10.5, 0.0, 5.0, 37.5, 38.0]))
    assert not np.any(spec.admits([-38.5, 39.0]))
    assert {38.0, -38.0, 5.0, -5.0} <= set(spec.ends())
    assert np.all(np.abs(spec.decode(bytes(range(200)))) <= 5)  # the plain grid


@settings(max_examples=200, database=None, deadline=None, derandomize=True)
@given(strategies.scalar(min_value=-10, max_value=10))
def test_a_scalar_stays_in_its_range(value: float) -> None:
    """strategies.scalar: special values and ends only where the range admits them."""
    assert isinstance(value, float) and -10 <= value <= 10


def test_a_scalar_draws_zero_one_and_the_ends_of_its_range_exactly() -> None:
    """`if z == 0`, `if z == 1`, `z < 10`: the special values and the ends are all drawn."""
    found: set[float] = set()

    @settings(max_examples=200, database=None, deadline=None, derandomize=True)
    @given(strategies.scalar(min_value=-10, max_value=10))
    def draw(value: float) -> None:
        found.add(value)

    draw()
    assert {0.0, 1.0, -10.0, 10.0} <= found
