"""The Hypothesis side of a search: the seeded test of an exercise, and the private home it runs in.

Determinism (style.md, 7): the test runs with database=None, no deadline and the exercise's
own seed; Hypothesis's home is a private directory removed afterwards; and Hypothesis is
given no constants harvested from loaded modules.  That last point patches a private name
of Hypothesis, `providers._get_local_constants`, and empties its cache of the constants each
kind of draw may pick, `providers.CONSTANTS_CACHE`, on the way in and out: a Hypothesis test
run earlier in the process (a property test, a notebook's) fills that cache with the constants
of every loaded module, and it outlives the patch, so the same seed drew other inputs after it.
When a Hypothesis release drops either name, `hypothesis_home` raises a `GraderError` saying
so rather than grade with inputs that depend on which modules happen to be loaded or what ran
before.
"""

from __future__ import annotations

import contextlib
import math
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from grader.checking.settings import Settings, exercise_seed
from grader.errors import GraderError
from grader.exercise import Exercise

__all__ = ["hypothesis_home", "hypothesis_test"]

Body = Callable[[list[dict[str, Any]]], None]

_PATCHED = "_get_local_constants"  # in hypothesis.internal.conjecture.providers
_CACHED = "CONSTANTS_CACHE"  # ditto: the constants each kind of draw may pick, by its constraints


def _missing(name: str) -> GraderError:
    """The error for a private name of Hypothesis that matgrade needs and this release lacks."""
    import hypothesis

    return GraderError(
        f"hypothesis {hypothesis.__version__} has no `providers.{name}`, which matgrade "
        "patches so that the same seed draws the same inputs; install the Hypothesis version "
        "pinned in pyproject.toml, or update grader/checking/harness.py for this one"
    )


def _forget_constants(providers: Any) -> None:
    """Empty Hypothesis's cache of the constants each kind of draw may pick.

    Whoever draws first with given constraints fills its entry, with the local constants of
    that moment: a draw outside matgrade (a property test run earlier in the process) leaves
    the constants of every loaded module there, which the patch below never sees.

    Raises:
        GraderError: the cache is gone or changed (a newer Hypothesis).
    """
    clear = getattr(getattr(getattr(providers, _CACHED, None), "cache", None), "clear", None)
    if not callable(clear):
        raise _missing(f"{_CACHED}.cache")
    clear()


def _no_local_constants(providers: Any) -> Callable[[], object]:
    """The patched name's original, after making Hypothesis harvest no constants.

    Raises:
        GraderError: the name is gone (a newer Hypothesis); grading would no longer
            give the same inputs for the same seed.
    """
    original = getattr(providers, _PATCHED, None)
    if original is None:
        raise _missing(_PATCHED)
    _forget_constants(providers)
    # Hypothesis mixes constants found in the source of every loaded local module into its
    # draws; which modules are loaded differs between a CLI run and a test run, so the same
    # seed would not give the same inputs.  Give it none.
    setattr(providers, _PATCHED, lambda: providers._local_constants.__class__())
    found: Callable[[], object] = original
    return found


@contextlib.contextmanager
def hypothesis_home() -> Iterator[None]:
    """Point Hypothesis at a private directory for the run and remove it afterwards."""
    from hypothesis import configuration
    from hypothesis.internal.conjecture import providers

    original = _no_local_constants(providers)
    try:
        with tempfile.TemporaryDirectory(prefix="matgrade-hypothesis-") as home:
            configuration.set_hypothesis_home_dir(home)
            try:
                yield
            finally:
                configuration.set_hypothesis_home_dir(None)
    finally:
        setattr(providers, _PATCHED, original)
        # What was cached inside holds no local constants: not for the code that runs after.
        _forget_constants(providers)


def hypothesis_test(
    exercise: Exercise, settings: Settings, body: Body, *, explicit: bool = True
) -> Callable[[], None]:
    """The seeded Hypothesis test of an exercise: batches of input sets, explicit examples first.

    Without `explicit`, the test draws only: the search judges the explicit examples itself
    (run.py), since Hypothesis reports a failing explicit example as it is, unshrunk, and stops.
    """
    from hypothesis import HealthCheck, Phase, Verbosity, example, given, seed
    from hypothesis import settings as hypothesis_settings
    from hypothesis import strategies as st

    batch = max(1, settings.batch)
    inputs = exercise.inputs()
    strategy = st.tuples(*[inputs] * batch).map(list)
    config = hypothesis_settings(
        database=None,
        deadline=None,
        derandomize=False,
        max_examples=math.ceil(settings.examples / batch) + 1,
        phases=[Phase.explicit, Phase.generate, Phase.shrink] if explicit else [Phase.generate, Phase.shrink],
        report_multiple_bugs=True,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        print_blob=False,
    )

    def prop(inputs: list[dict[str, Any]]) -> None:
        body(inputs)

    test = given(strategy)(prop)
    for given_example in reversed(list(exercise.examples() if exercise.examples and explicit else [])):
        test = example([dict(given_example)])(test)
    decorated: Callable[[], None] = seed(exercise_seed(settings.seed, exercise.name))(config(test))
    return decorated
