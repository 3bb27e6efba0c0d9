"""The one comparison: explicit tolerances, float32 allowance, and a helpful mismatch."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from grader.checking import compare
from grader.checking.comparison import Terms, all_within


def test_equal_arrays_pass():
    """Identical values compare equal."""
    assert compare(np.arange(4.0), np.arange(4.0)).ok


def test_a_wrong_entry_is_located_and_counted():
    """The mismatch counts the wrong elements and shows the worst as index | got | expected."""
    result = compare(np.array([1.0, 2.0, 3.5]), np.array([1.0, 2.0, 3.0]))
    assert not result.ok
    assert result.mismatched == 1 and result.total == 3
    assert result.worst[0] == ((2,), 3.5, 3.0)
    assert "mismatched elements 1 / 3" in result.message("dC/dw")


def test_float32_rounding_passes_only_for_float32_answers():
    """A float32-sized error passes when the student computed in float32, not in float64."""
    expected = np.array([1000.0])
    got = np.array([1000.0 + 1000.0 * 2e-7])
    assert compare(got, expected, dtype="float32").ok
    assert not compare(got, expected, dtype="float64").ok


def test_the_error_scale_absorbs_cancellation_in_float32():
    """With S = sum of |terms|, a float32 result of a cancelling sum still passes."""
    expected = np.array([1e-3])
    got = np.array([1e-3 + 5e-5])
    assert not compare(got, expected, dtype="float32").ok
    assert compare(got, expected, dtype="float32", scale=np.array([1e3])).ok


def test_nan_never_passes():
    """NaN in the answer fails and is called out."""
    result = compare(np.array([np.nan]), np.array([1.0]))
    assert not result.ok and result.nonfinite
    assert "nan" in result.message()


def test_counts_compare_exactly():
    """exact=True accepts an integral float and rejects an off-by-one."""
    assert compare(np.array(8334.0), np.array(8334.0), exact=True).ok
    assert not compare(np.array(8333.0), np.array(8334.0), exact=True).ok


_EDGE = st.sampled_from([0.0, -0.0, 1.0, -1.0, 1e-300, 1e300, np.inf, -np.inf, np.nan])
_VALUE = st.one_of(st.floats(allow_nan=True, allow_infinity=True), _EDGE)


@st.composite
def _terms(draw: st.DrawFn) -> Terms:
    """One comparison's arguments: values near each other or not, any dtype, scale and tolerance."""
    shape = tuple(draw(st.lists(st.integers(0, 3), max_size=2)))
    size = int(np.prod(shape))
    expected = np.array(draw(st.lists(_VALUE, min_size=size, max_size=size)), dtype=np.float64).reshape(shape)
    noise = np.array(draw(st.lists(st.sampled_from([0.0, 1e-13, 1e-9, 1e-7, 1e-3, 1.0]), min_size=size,
                                   max_size=size)))
    with np.errstate(all="ignore"):
        got = expected * (1 + noise.reshape(shape)) + draw(st.sampled_from([0.0, 1e-12, 1e-6]))
        if draw(st.booleans()):
            got = got.astype(np.float32).astype(np.float64)
    scale: object = None
    kind = draw(st.sampled_from(["none", "float", "array", "float32", "int", "row"]))
    if kind == "float":
        scale = draw(_VALUE)
    elif kind == "array":
        scale = np.abs(expected) * 10
    elif kind == "float32":
        with np.errstate(all="ignore"):
            scale = (np.abs(expected) * 10).astype(np.float32)
    elif kind == "int":
        scale = np.full(shape, 3, dtype=np.int64)
    elif kind == "row" and shape:
        scale = np.full(shape[-1:], 2.5)
    return Terms(
        got,
        expected,
        draw(st.sampled_from(["float64", "float32", "float16", "int64"])),
        scale,
        rtol=draw(st.sampled_from([1e-9, 1e-6, 0.0])),
        atol=draw(st.sampled_from([1e-12, 1e-7, 0.0, 3.0])),
        exact=draw(st.booleans()) and kind == "none",
    )


@given(st.lists(_terms(), max_size=6))
def test_all_within_holds_exactly_when_every_comparison_alone_is_ok(terms):
    """The batch test of many comparisons agrees with compare() on each, NaN, inf and dtypes included."""
    with np.errstate(all="ignore"):
        alone = all(
            compare(t.got, t.expected, dtype=t.dtype, scale=t.scale, rtol=t.rtol, atol=t.atol, exact=t.exact)
            .ok
            for t in terms
        )
        assert all_within(terms) == alone


def test_all_within_of_nothing_holds():
    """No comparison at all: nothing fails."""
    assert all_within([])
