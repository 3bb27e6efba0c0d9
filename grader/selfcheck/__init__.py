"""`check(fn)`: one exercise checked from a notebook or a Python session, as `grade` checks it.

The function object never runs here: its source code is sent to the grader's worker process
like a submission file.  The source is the function's own (`inspect.getsource`, which
finds a Jupyter cell's code in `linecache`, where IPython registers it) plus what it needs
from its module's globals: an `import` line for each module or library object it uses, the
source of each other function of the same module it calls (recursively, up to MAX_FUNCTIONS),
and plain constants as assignments (`compose`, `values`).  Whatever cannot be rebuilt that way
(a lambda, a closure, an array kept in a global) is refused with a message saying what to do
(`refusal`); the refusal is a result, not an exception, so that a notebook shows a sentence
instead of a traceback.  The result is a CheckResult (`result`).

No module here is named like a name imported here (`check`, `compose_source`): otherwise
`grader.selfcheck.check` would be the function or a module by import order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from grader.errors import GraderError, IsolationError
from grader.selfcheck.compose import MAX_FUNCTIONS, compose_source, function_source, relocated, unwrapped
from grader.selfcheck.refusal import OPTIONS_HELP, Refused, exercise_name, not_checked, validate_options
from grader.selfcheck.result import CheckResult

__all__ = ["MAX_FUNCTIONS", "CheckResult", "Refused", "check", "function_source"]


def check(
    function: Callable[..., Any],
    exercise: str | None = None,
    *,
    seed: int | None = None,
    examples: int | None = None,
    timeout: float | None = None,
    trusted: bool = False,
    pack: str | None = None,
) -> CheckResult:
    """Check `function` as the exercise `exercise` (default: the function's own name).

    The function runs only in the grader's worker process, on the same generated inputs as
    `grade FILE --only NAME --seed SEED` would use.  Returns a CheckResult and never raises
    for a misuse: a function that cannot be checked (a lambda, a class, a builtin, no source),
    an unknown exercise name or a bad option (examples, seed, timeout) gives a result that is
    not checked, with a message saying what was wrong and what to do.  `trusted=True` checks
    it even where this machine cannot isolate it enough (`grade doctor`): for one's own code.
    `pack="course_pack.py"` checks an exercise of an instructor's pack (docs/exercise-packs.md).
    """
    from grader.grading import DEFAULT_SEED, Options, grade_submission
    from grader.sandbox.policy import Trust
    from grader.submission import Submission

    label = getattr(function, "__name__", None)
    label = label if isinstance(label, str) else type(function).__name__
    shown = exercise if isinstance(exercise, str) else label
    try:
        validate_options(seed, examples, timeout)
        if exercise is not None and not isinstance(exercise, str):
            raise Refused(
                f"the exercise must be given by its name, a string such as 'neuron_grad', not a "
                f"{type(exercise).__name__}: check({label}, 'neuron_grad').  `grade list` shows the names."
            )
        unwrapped(function)  # what is not a function is refused before its name is looked up
        packs = _packs(pack)
        name = exercise_name(function, exercise)
        source, origins = compose_source(function, name)
    except Refused as refused:
        kept = seed if isinstance(seed, int) and not isinstance(seed, bool) else DEFAULT_SEED
        return not_checked(shown, kept, str(refused))
    seed = DEFAULT_SEED if seed is None else seed
    options = Options(
        seed=seed,
        examples=100 if examples is None else examples,
        only=(f"exercise:{name}",),
        jobs=1,
        trust=Trust.TRUSTED if trusted else Trust.OWN,
        packs=packs,
    )
    if timeout is not None:
        options = replace(options, limits=replace(options.limits, call_seconds=float(timeout)))
    submission = Submission(path=f"check({label})", source=source, filename="<check>")
    try:
        report = grade_submission(submission, options)
    except IsolationError as exc:
        return not_checked(name, seed, f"{exc} In a notebook: check(..., trusted=True).")
    except GraderError as exc:  # the library's own bounds (UsageError) or a worker that cannot start
        bounded = "check()'s examples=, seed= and timeout= are bounded as `grade`'s options"
        return not_checked(name, seed, f"{str(exc).rstrip('.')}; {bounded}: {OPTIONS_HELP}.")
    return CheckResult(report=relocated(report, origins), exercise=name, source=source)


def _packs(pack: object) -> tuple[str, ...]:
    """The pack of `check(..., pack=...)` loaded, as Options.packs; a bad one is Refused."""
    if pack is None:
        return ()
    if not isinstance(pack, str):
        raise Refused(f'pack must be the path of a pack file, a string such as "course.py", not {pack!r}')
    from grader.pack import load_pack

    try:
        load_pack(pack)
    except GraderError as exc:
        raise Refused(str(exc)) from None
    return (pack,)
