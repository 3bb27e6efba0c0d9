"""`grade bundle gradescope`: the autograder zip that Gradescope builds its image from.

    setup.sh                  installs Python >= 3.11 if needed, a venv and matgrade from matgrade/
    run_autograder            grades the one .py or .ipynb file of submission/ into results/results.json
    assignment.toml           the instructor's assignment file, checked before it is bundled
    fallback.json             results.json with every exercise at 0, for when grading fails
    constraints.txt           the Hypothesis version of the bundling machine (same inputs per seed)
    PACK.py ...               the assignment's exercise packs, at their paths relative to assignment.toml
    matgrade/                 a copy of matgrade's source: grader/, reference/, exercises/, matgrade/,
                              pyproject.toml, README.md (no __pycache__)
    wheels/                   only in an offline bundle (`--offline`): the wheels of pip, setuptools
                              and matgrade's dependencies for the image's Python (grader/wheels.py);
                              setup.sh then installs with `--no-index` and needs no network

The copy is taken from the running matgrade, wherever it was installed from: a source checkout
(`pip install -e .`) gives its own pyproject.toml and README.md; a regular install (`pip install
.` or a wheel), whose site-packages holds the packages but not those two files, gives a
pyproject.toml written from the installed distribution's metadata (name, version, Python,
dependencies, the `grade` script, the packages found) and its long description as README.md.
Either way `pip install matgrade/` builds the same matgrade.

Gradescope unpacks the zip into /autograder/source, runs setup.sh once, then run_autograder
for each submission.  run_autograder always leaves a valid results.json: a missing or
broken submission, a crash of `grade` or a missing Python each give score 0 and a message.
The environment variable AUTOGRADER_ROOT (default /autograder) moves the whole layout, so
that the scripts can be run outside Gradescope.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from grader.assignment import Assignment, load_assignment
from grader.errors import GraderError, UsageError
from grader.scripts import RUN_AUTOGRADER, SETUP_SH
from grader.wheels import DEFAULT_PYTHON, download_wheels

__all__ = [
    "ASSIGNMENT_NAME",
    "PACKAGES",
    "Bundle",
    "build_gradescope_bundle",
    "constraints_text",
    "fallback_results",
    "matgrade_source",
    "project_root",
]

ASSIGNMENT_NAME = "assignment.toml"
PACKAGES = ("grader", "reference", "exercises", "matgrade")
_PROJECT_FILES = ("pyproject.toml", "README.md")
_DISTRIBUTION = "matgrade"
_SOURCE_DIR = "matgrade"
_WHEELS_DIR = "wheels"
_EXECUTABLE = 0o755
_REGULAR = 0o644
_DATE = (1980, 1, 1, 0, 0, 0)  # a fixed timestamp: the same inputs give the same zip
_SKIPPED_SUFFIXES = (".pyc", ".pyo")

@dataclass(frozen=True, slots=True)
class Bundle:
    """What was written: the zip's path and the names of its members."""

    path: Path
    members: tuple[str, ...]
    assignment: Assignment

    @property
    def source_files(self) -> int:
        """How many files of matgrade's source are in the zip."""
        return sum(1 for name in self.members if name.startswith(f"{_SOURCE_DIR}/"))

    @property
    def wheels(self) -> int:
        """How many wheels are in the zip (none unless it is an offline bundle)."""
        return sum(1 for name in self.members if name.startswith(f"{_WHEELS_DIR}/"))


def project_root() -> Path:
    """The folder holding the running matgrade's grader/: a source checkout, or site-packages."""
    import grader

    return Path(grader.__file__).resolve().parents[1]


def _shipped(path: Path) -> bool:
    """Whether `path` (not in a cache or hidden folder) is a file the bundle carries."""
    return path.is_file() and not path.name.startswith(".") and path.suffix not in _SKIPPED_SUFFIXES


def _source_files(root: Path) -> list[tuple[str, bytes]]:
    """(name in the zip, content) for matgrade's packages and project files, no caches."""
    missing = [name for name in PACKAGES if not (root / name / "__init__.py").is_file()]
    if missing:
        raise GraderError(
            f"cannot bundle matgrade: {root} lacks the package{'s' * (len(missing) > 1)} "
            f"{', '.join(missing)}; reinstall matgrade (pip install /path/to/matgrade)"
        )
    files: list[tuple[str, bytes]] = []
    packages: list[str] = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*")):
            relative = path.relative_to(root)
            if "__pycache__" in relative.parts or any(p.startswith(".") for p in relative.parts):
                continue
            if path.is_dir() and any(_shipped(child) for child in path.iterdir()):
                # a folder of data files (shipped plans, templates, migrations) is a package too,
                # without __init__.py: setuptools installs only the data of listed packages
                packages.append(".".join(relative.parts))
            if not _shipped(path):
                continue
            files.append((f"{_SOURCE_DIR}/{relative.as_posix()}", path.read_bytes()))
    packages = [*PACKAGES, *sorted(p for p in packages if p not in PACKAGES)]
    project = _checkout_files(root)
    if project is None:
        project = _generated_files(packages, [name for name, _ in files])
    files.extend((f"{_SOURCE_DIR}/{name}", data) for name, data in project)
    return files


def _checkout_files(root: Path) -> list[tuple[str, bytes]] | None:
    """pyproject.toml and README.md of the source checkout at `root`; None when it is not one."""
    import tomllib

    try:
        found = [(name, (root / name).read_bytes()) for name in _PROJECT_FILES]
        project = tomllib.loads(found[0][1].decode("utf-8")).get("project", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return found if project.get("name") == _DISTRIBUTION else None


def _generated_files(packages: list[str], members: list[str]) -> list[tuple[str, bytes]]:
    """pyproject.toml and README.md for the installed matgrade, from its distribution's metadata.

    A regular install keeps no pyproject.toml; the metadata holds what building it again needs.
    """
    try:
        dist = metadata.distribution(_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise GraderError(
            "cannot bundle matgrade: it is neither a source checkout nor an installed distribution; "
            "install it (pip install /path/to/matgrade) and run `grade bundle` again"
        ) from None
    meta = dist.metadata

    def field(name: str) -> str:
        values = meta.get_all(name) or []
        return str(values[0]) if values else ""

    requires = [r for r in dist.requires or [] if "extra" not in r.partition(";")[2]]
    scripts = {e.name: e.value for e in dist.entry_points if e.group == "console_scripts"}
    data: dict[str, list[str]] = {}
    for member in members:
        relative = PurePosixPath(member).relative_to(_SOURCE_DIR)
        if relative.suffix != ".py":
            data.setdefault(".".join(relative.parent.parts), []).append(relative.name)

    def string(value: str) -> str:
        return json.dumps(value)  # a JSON string is a TOML basic string

    def strings(values: list[str]) -> str:
        return "[" + ", ".join(string(v) for v in values) + "]"

    lines = [
        "# Written by `grade bundle gradescope` from the metadata of the installed matgrade.",
        "[build-system]",
        'requires = ["setuptools>=77"]',
        'build-backend = "setuptools.build_meta"',
        "",
        "[project]",
        f"name = {string(field('Name'))}",
        f"version = {string(field('Version'))}",
        f"description = {string(field('Summary'))}",
        'readme = "README.md"',
    ]
    if field("Requires-Python"):
        lines.append(f"requires-python = {string(field('Requires-Python'))}")
    if field("License-Expression"):  # an SPDX expression (setuptools >= 77 writes it)
        lines.append(f"license = {string(field('License-Expression'))}")
    elif field("License"):
        lines.append(f"license = {{ text = {string(field('License'))} }}")
    lines += [f"dependencies = {strings(requires)}", "", "[project.scripts]"]
    lines += [f"{string(name)} = {string(value)}" for name, value in sorted(scripts.items())]
    lines += ["", "[tool.setuptools]", f"packages = {strings(packages)}"]
    lines += ["", "[tool.setuptools.package-data]"]
    lines += [f"{string(package)} = {strings(sorted(names))}" for package, names in sorted(data.items())]
    # The long description (the README at install time) is the body of METADATA (or of an
    # egg-info's PKG-INFO), or an older Description field.
    message = dist.metadata
    body = message.get_payload() if hasattr(message, "get_payload") else None
    readme = str(body or message["Description"] or "").strip()
    if not readme:
        readme = f"# matgrade {field('Version')}\n\nBundled by `grade bundle gradescope`."
    return [("pyproject.toml", ("\n".join(lines) + "\n").encode()), ("README.md", (readme + "\n").encode())]


def fallback_results(assignment: Assignment) -> dict[str, object]:
    """results.json giving 0 for every exercise of `assignment`, named as the report names them."""
    from exercises import by_name
    from grader.render.gradescope import gradescope_results, gradescope_test
    from grader.report import ExerciseResult

    known = by_name()
    why = "Not graded: the autograder could not run.\n"
    tests = [
        gradescope_test(
            ExerciseResult.zero(e.name, known[e.name].set, e.points, "error", why), why, e.visibility
        )
        for e in assignment.exercises
    ]
    output = "The autograder could not grade this submission; please tell your instructor.\n"
    return gradescope_results(0.0, output, assignment.visibility, tests)


def _time_limit(assignment: Assignment) -> int:
    """Seconds for one `grade` run: every exercise's own limit, plus start-up."""
    return math.ceil(assignment.exercise_timeout * len(assignment.exercises)) + 120


def _constraints() -> str:
    """Pins the Hypothesis of this machine: the same version gives the same inputs per seed."""
    lines = ["# Written by `grade bundle gradescope` from the machine that made the bundle."]
    with contextlib.suppress(metadata.PackageNotFoundError):
        lines.append(f"hypothesis=={metadata.version('hypothesis')}")
    return "\n".join(lines) + "\n"


def _pack_files(assignment_path: str, assignment: Assignment) -> list[tuple[str, bytes]]:
    """The assignment's packs (docs/exercise-packs.md) at their paths relative to the assignment.

    They travel beside assignment.toml, so `packs = [...]` resolves in the bundle as it did
    here; a pack outside the assignment's folder is refused (its path would not resolve).
    """
    folder = Path(assignment_path).resolve().parent
    found = []
    for pack in assignment.packs:
        try:
            name = Path(pack).relative_to(folder).as_posix()
        except ValueError:
            raise UsageError(
                f"{assignment_path}: the pack {pack} lies outside the assignment's folder {folder}; "
                "move it into that folder (or below) so that it travels in the bundle"
            ) from None
        reserved = (*PACKAGES, "setup.sh", "run_autograder", ASSIGNMENT_NAME, "fallback.json")
        if name.split("/")[0] in reserved:
            raise UsageError(f"{assignment_path}: the pack {name} would replace a file of the bundle")
        found.append((name, Path(pack).read_bytes()))
    return found


def matgrade_source(root: Path | None = None) -> list[tuple[str, bytes]]:
    """("matgrade/<path>", content) of matgrade's source, as the bundle holds it (other platforms' images)."""
    return _source_files(root or project_root())


def constraints_text() -> str:
    """constraints.txt as the bundle holds it: this machine's Hypothesis, pinned."""
    return _constraints()


def _add(archive: zipfile.ZipFile, name: str, data: bytes, mode: int) -> None:
    info = zipfile.ZipInfo(name, date_time=_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so that unzip and Gradescope honour the mode bits
    info.external_attr = (0o100000 | mode) << 16
    archive.writestr(info, data)


def build_gradescope_bundle(
    assignment_path: str,
    output: str,
    *,
    root: Path | None = None,
    offline: bool = False,
    python: str = DEFAULT_PYTHON,
) -> Bundle:
    """Write the Gradescope autograder zip for the assignment file at `assignment_path`.

    The assignment is checked first (a UsageError names what is wrong); `root` is the folder
    holding the matgrade packages to copy (a source checkout, or site-packages), by default
    that of the running matgrade.  `offline` adds the wheels for CPython `python` (downloaded
    now), so that setup.sh needs no package index.  Raises GraderError when the packages are
    missing, the wheels cannot be downloaded or the zip cannot be written.
    """
    assignment = load_assignment(assignment_path)
    try:
        toml = Path(assignment_path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read assignment {assignment_path}: {exc.strerror}") from None
    files = _source_files(root or project_root())
    wheels = download_wheels(python, _constraints()) if offline else []
    run_autograder = RUN_AUTOGRADER.replace("@ASSIGNMENT@", ASSIGNMENT_NAME).replace(
        "@TIME_LIMIT@", str(_time_limit(assignment))
    )
    fallback = json.dumps(fallback_results(assignment), indent=2, allow_nan=False) + "\n"
    target = Path(output)
    members: list[str] = []
    directory = target.parent if str(target.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".bundle-", suffix=".zip", dir=directory)
        os.close(handle)
        os.chmod(temporary, 0o644)  # mkstemp's file is private; the zip is not
    except OSError as exc:
        raise GraderError(f"cannot write {output}: {exc.strerror}") from None
    try:
        with zipfile.ZipFile(temporary, "w") as archive:
            for name, text, mode in (
                ("setup.sh", SETUP_SH, _EXECUTABLE),
                ("run_autograder", run_autograder, _EXECUTABLE),
                (ASSIGNMENT_NAME, None, _REGULAR),
                ("fallback.json", fallback, _REGULAR),
                ("constraints.txt", _constraints(), _REGULAR),
            ):
                _add(archive, name, toml if text is None else text.encode(), mode)
                members.append(name)
            for name, data in [*files, *_pack_files(assignment_path, assignment)]:
                _add(archive, name, data, _REGULAR)
                members.append(name)
            for wheel in wheels:
                _add(archive, f"{_WHEELS_DIR}/{wheel.name}", wheel.data, _REGULAR)
                members.append(f"{_WHEELS_DIR}/{wheel.name}")
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise GraderError(f"cannot write {output}: {exc.strerror}") from None
    return Bundle(path=target, members=tuple(members), assignment=assignment)
