"""CheckResult: what check() returns, the report of one exercise and the source that was sent."""

from __future__ import annotations

from dataclasses import dataclass

from grader.report import ExerciseResult, Report, StudentOutput

__all__ = ["CheckResult"]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of `check(fn)`: the report of grading one exercise, and the source sent.

    `str()` (and the REPL's repr) is the terminal report of `grade`; in Jupyter the result
    shows as a table (`_repr_html_`).  `passed` is True only when every identity holds.
    `output` is what the function printed while it was checked; both show it too.
    """

    report: Report
    exercise: str
    source: str = ""

    @property
    def result(self) -> ExerciseResult | None:
        """The exercise's result; None when the exercise could not even be named."""
        return next((r for r in self.report.exercises if r.name == self.exercise), None)

    @property
    def status(self) -> str:
        """passed, failed, error or missing (a stub that raises NotImplementedError)."""
        result = self.result
        return "error" if result is None else result.status

    @property
    def output(self) -> StudentOutput | None:
        """What the function printed (stdout and stderr) on all its calls; None if nothing.

        Its `text` is the first 4 KiB; `truncated_bytes` counts what was cut after that.
        """
        result = self.result
        return None if result is None else result.output

    @property
    def load_output(self) -> StudentOutput | None:
        """What the code sent with the function printed when it was loaded (its imports ...)."""
        return self.report.load_output

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def score(self) -> float:
        return self.report.score

    @property
    def max_score(self) -> float:
        return self.report.max_score

    def __str__(self) -> str:
        if not self.report.loaded:  # refused before grading: the reason is all there is to say
            return "".join(f"{self.report.submission}: not checked: {e}\n" for e in self.report.errors)
        from grader.render.text import render_text

        return render_text(self.report, verbose=self.passed)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        from grader.render.html import render_html

        return render_html(self.report)
