"""JUnit XML: a testsuite per exercise set, a testcase per identity of each exercise.

A failed identity is a <failure> whose message is the identity's message and whose text is
its counterexample; an identity that raised or an exercise in error is an <error>; a missing
exercise is one <skipped> testcase.  What an exercise's calls printed is the <system-out> of
its first testcase; what loading printed, the first suite's <system-out>, after the status.
Characters XML 1.0 cannot hold are replaced, since student answers reach the messages.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from grader.render._details import LOAD_OUTPUT_LABEL, counterexample_lines, output_lines
from grader.report import ExerciseResult, Report

__all__ = ["render_junit"]

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _ILLEGAL.sub("\ufffd", text)


def _failure_text(lines: list[str], hint: str) -> str:
    if hint:
        lines = [*lines, f"hint: {hint}"]
    return _clean("\n".join(lines))


def _cases(suite: ET.Element, result: ExerciseResult, assigned: bool) -> dict[str, int]:
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    classname = f"matgrade.{result.set}.{result.name}"
    cases: list[ET.Element] = []

    def case(name: str) -> ET.Element:
        counts["tests"] += 1
        element = ET.SubElement(
            suite, "testcase", {"classname": classname, "name": _clean(name), "time": "0"}
        )
        cases.append(element)
        return element

    def printed() -> dict[str, int]:
        """What the exercise printed, in its first testcase (after <failure>, as the schema has it)."""
        if result.output is not None and cases:
            ET.SubElement(cases[0], "system-out").text = _clean("\n".join(output_lines(result.output)))
        return counts

    if result.status == "missing" or (result.status == "error" and not result.identities):
        element = case(result.name)
        # An assigned exercise that is missing fails; in a self-check it is only not done yet.
        kind = "error" if result.status == "error" else "failure" if assigned else "skipped"
        counts[{"skipped": "skipped", "error": "errors", "failure": "failures"}[kind]] += 1
        child = ET.SubElement(element, kind, {"message": _clean(result.message or result.status)})
        if kind != "skipped":
            child.set("type", result.status)
            child.text = _failure_text([result.message], result.hint)
        return printed()
    for identity in result.identities:
        element = case(identity.name)
        if identity.status == "skipped":
            counts["skipped"] += 1
            ET.SubElement(element, "skipped", {"message": _clean(identity.message or "skipped")})
        elif identity.status in ("failed", "error"):
            kind = "failure" if identity.status == "failed" else "error"
            counts["failures" if kind == "failure" else "errors"] += 1
            message = identity.message.splitlines()[0] if identity.message else identity.status
            child = ET.SubElement(
                element,
                kind,
                {"message": _clean(message), "type": identity.diagnosis or identity.status},
            )
            body = identity.message.splitlines() + counterexample_lines(identity)
            child.text = _failure_text(body, result.hint)
    return printed()


def render_junit(report: Report) -> str:
    """The report as a JUnit XML document (<testsuites>), with an XML declaration."""
    root = ET.Element("testsuites", {"name": "matgrade"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    sets = list(dict.fromkeys(e.set for e in report.exercises))
    for name in sets:
        # No <properties>: some consumers (CodeGrade) reject them; the seed goes in system-out.
        suite = ET.SubElement(root, "testsuite", {"name": name})
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for result in report.exercises:
            if result.set == name:
                for key, value in _cases(suite, result, report.assigned).items():
                    counts[key] += value
        status = f"status {report.status}; reproduce with grade FILE --seed {report.seed}"
        if report.load_output is not None and name == sets[0]:
            status += "\n" + "\n".join(output_lines(report.load_output, LOAD_OUTPUT_LABEL))
        ET.SubElement(suite, "system-out").text = _clean(status)
        if report.all_errors:
            ET.SubElement(suite, "system-err").text = _clean("\n".join(report.all_errors))
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", "0")
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
