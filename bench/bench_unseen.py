"""Grade the unseen corpus (tests/unseen/) as a black box and print how much matgrade catches.

Every wrong file is graded with `grade FILE --only exercise:NAME --format json` (default seed and
number of examples), every correct_*.py file with `grade FILE --format json` (all 41 exercises).
Labels come from tests/unseen/labels.toml.  Two files are graded at a time.

    python bench/bench_unseen.py [--jobs 2] [--grade PATH]

Prints: the share of wrong answers caught (status failed; `error` is listed apart), the share
of the corner-only ones caught, the share of the caught ones with the expected diagnosis name,
the correct answers failed (must be 0), and every miss, misnaming and false failure.  CPU time
is that of the `grade` processes (user + sys of the children).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "unseen"


def grade(exe: str, path: Path, only: str | None) -> dict[str, Any]:
    cmd = [exe, str(path), "--format", "json"]
    if only:
        cmd += ["--only", f"exercise:{only}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    try:
        report: dict[str, Any] = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return {"_crash": f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}"}
    return report


def diagnoses(ex: dict[str, Any]) -> list[str]:
    return [i["diagnosis"] for i in ex["identities"] if i["status"] == "failed" and i["diagnosis"]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--grade", default=shutil.which("grade") or str(Path(sys.executable).parent / "grade"))
    ap.add_argument("--files", nargs="*", help="grade only these file names (shares over them)")
    ap.add_argument("--save", type=Path, help="write each JSON report to SAVE/<file>.json")
    args = ap.parse_args()
    labels: dict[str, dict[str, Any]] = tomllib.loads((CORPUS / "labels.toml").read_text())["wrong"]
    correct = sorted(p.name for p in CORPUS.glob("correct_*.py"))
    if args.files:
        labels = {n: v for n, v in labels.items() if n in args.files}
        correct = [n for n in correct if n in args.files]
    jobs: list[tuple[str, str | None]] = [(n, None) for n in correct]
    jobs += [(n, labels[n]["exercise"]) for n in sorted(labels)]

    t0 = time.monotonic()
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda j: grade(args.grade, CORPUS / j[0], j[1]), jobs))
    reports = {n: r for (n, _), r in zip(jobs, results, strict=True)}
    wall = time.monotonic() - t0
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for n, r in reports.items():
            (args.save / f"{n}.json").write_text(json.dumps(r, indent=1))
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)

    lines: list[str] = []
    false_fail: list[str] = []
    for n in correct:
        r = reports[n]
        if "_crash" in r:
            false_fail.append(f"{n}: grade crashed: {r['_crash']}")
            continue
        for ex in r["exercises"]:
            if ex["status"] not in ("passed",):
                false_fail.append(f"{n}:{ex['name']}: {ex['status']} {diagnoses(ex)} "
                                  + "; ".join(i["message"].splitlines()[0] for i in ex["identities"]
                                              if i["status"] != "passed" and i["message"])[:300])
    n_correct = sum(len(reports[n].get("exercises", [])) for n in correct)

    caught = failed = errored = corner = corner_caught = named = named_of = 0
    misses: list[str] = []
    misnamed: list[str] = []
    for n, lab in sorted(labels.items()):
        r = reports[n]
        if "_crash" in r:
            misses.append(f"{n}: grade crashed: {r['_crash']}")
            continue
        (ex,) = [e for e in r["exercises"] if e["name"] == lab["exercise"]]
        corner += lab["corner_only"]
        if ex["status"] == "passed":
            misses.append(f"{n} ({'corner' if lab['corner_only'] else 'plain'}; {lab['mistake']})")
            continue
        caught += 1
        failed += ex["status"] == "failed"
        errored += ex["status"] == "error"
        corner_caught += lab["corner_only"]
        got = diagnoses(ex)
        names = {lab["mistake"], *lab.get("accept", [])}
        ok = bool(names & set(got)) or ("none" in names and not got)
        named += ok
        if lab["mistake"] != "none":
            named_of += 1
        if not ok:
            msg = next((i["message"].replace("\n", " | ") for i in ex["identities"]
                        if i["status"] == "failed"), ex["message"])
            misnamed.append(f"{n}: expected {lab['mistake']}, got {got or ['null']} "
                            f"({ex['status']}): {msg[:160]}")

    total = len(labels)
    pct = lambda a, b: f"{a}/{b} = {100 * a / b:.1f}%" if b else "0/0"  # noqa: E731
    lines += [
        f"unseen corpus: {total} wrong files ({corner} corner-only), {len(correct)} correct files "
        f"({n_correct} exercises graded)",
        f"wrong answers caught:        {pct(caught, total)}  (failed {failed}, error {errored})",
        f"corner-only ones caught:     {pct(corner_caught, corner)}",
        f"caught with expected name:   {pct(named, caught)}  (named classes: "
        f"{sum(1 for n in misnamed if 'expected none' not in n)} misnamed of {named_of} labelled; "
        f"'none' labels given a name: {sum(1 for n in misnamed if 'expected none' in n)})",
        f"correct answers failed:      {len(false_fail)} of {n_correct}",
        f"time: {wall:.0f} s wall, {ru.ru_utime + ru.ru_stime:.0f} s CPU of the grade processes "
        f"(load average {os.getloadavg()[0]:.1f}), {args.jobs} processes",
        "",
        f"misses ({len(misses)}):", *[f"  {m}" for m in misses],
        f"misnamed ({len(misnamed)}):", *[f"  {m}" for m in misnamed],
        f"false failures ({len(false_fail)}):", *[f"  {m}" for m in false_fail],
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
