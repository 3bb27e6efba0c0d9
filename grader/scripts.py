"""The shell scripts of the Gradescope autograder bundle (grader/bundle.py writes them into the zip).

`SETUP_SH` runs once when Gradescope builds the image: Python >= 3.11, a venv, matgrade from
the bundled source with the Hypothesis version pinned; from the package index, or, in an offline
bundle (a `wheels/` folder beside it), from those wheels alone with `--no-index`.  Each failure
says what was missing and what to do (a Python, the network, an offline bundle).
`RUN_AUTOGRADER` runs for each submission and always leaves a valid results.json (written by bash
alone when there is no Python); it grades only a regular file of the submission folder, found
without following symbolic links, and refuses a link by name.
`@ASSIGNMENT@` and the other `@...@` markers are filled in by the bundle.
"""

from __future__ import annotations

__all__ = ["JSON_STRING_SH", "RUN_AUTOGRADER", "SETUP_SH"]

# A bash function: its argument as the characters of a JSON string (no quotes), for the
# scripts that must write JSON where Python may be missing.
JSON_STRING_SH = r"""# $1 as the characters of a JSON string, in bash alone (for when there is no Python).
json_string() {
    local text="$1" out="" char i
    for ((i = 0; i < ${#text}; i++)); do
        char="${text:i:1}"
        case "$char" in
            '"') out+='\"' ;;
            '\') out+='\\' ;;
            $'\n') out+='\n' ;;
            $'\t') out+='\t' ;;
            [[:cntrl:]]) out+=' ' ;;
            *) out+="$char" ;;
        esac
    done
    printf '%s' "$out"
}
"""

SETUP_SH = r"""#!/usr/bin/env bash
# Gradescope runs this once, to build the autograder image; written by `grade bundle gradescope`.
# It finds (or installs) Python >= 3.11, makes the venv $ROOT/venv and installs matgrade into
# it from the copy of its source in this zip.
set -euo pipefail

ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="$ROOT/venv"

python_ok() {
    command -v "$1" >/dev/null 2>&1 &&
        "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

find_python() {
    for candidate in python3.13 python3.12 python3.11 python3; do
        if python_ok "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

UPDATED=no
apt_install() {
    command -v apt-get >/dev/null 2>&1 || return 1
    export DEBIAN_FRONTEND=noninteractive
    if [ "$UPDATED" = no ]; then
        apt-get update
        UPDATED=yes
    fi
    apt-get install -y --no-install-recommends "$@"
}

WHEELS="$SOURCE/wheels"
if [ -d "$WHEELS" ]; then
    OFFLINE=yes
else
    OFFLINE=no
fi

if ! PYTHON="$(find_python)"; then
    # Ubuntu 22.04's python3 is 3.10: take python3.11 from its universe component.
    apt_install python3 python3-pip python3-venv || true
    python_ok python3 || apt_install python3.11 python3.11-venv || true
    if ! PYTHON="$(find_python)"; then
        echo "setup.sh: matgrade needs Python >= 3.11, and none is installed here; apt-get could" \
            "not install one (no apt-get, or no network to its archive). Use a base image with" \
            "python3 >= 3.11 (Ubuntu 22.04: apt-get install python3.11 python3.11-venv)." >&2
        exit 1
    fi
fi

if [ "$OFFLINE" = yes ]; then
    # No package index: a venv without pip (Debian's ensurepip is optional), then pip run
    # from its own wheel installs pip, and matgrade with its dependencies, from wheels/ alone.
    rm -rf "$VENV"
    "$PYTHON" -m venv --without-pip "$VENV"
    PIP_WHEEL="$(find "$WHEELS" -maxdepth 1 -name 'pip-*.whl' | sort | tail -n 1)"
    if [ -z "$PIP_WHEEL" ]; then
        echo "setup.sh: the offline bundle has no pip wheel in wheels/; build it again with" \
            "grade bundle gradescope --offline" >&2
        exit 1
    fi
    "$VENV/bin/python" "$PIP_WHEEL/pip" install --no-index --find-links "$WHEELS" "$PIP_WHEEL"
    if ! "$VENV/bin/python" -m pip install --no-index --find-links "$WHEELS" \
        -c "$SOURCE/constraints.txt" "$SOURCE/matgrade"; then
        echo "setup.sh: the wheels of this offline bundle do not install on $("$PYTHON" -V 2>&1)" \
            "($(uname -m)); build the bundle for it: grade bundle gradescope --offline" \
            "--python X.Y" >&2
        exit 1
    fi
else
    if ! "$PYTHON" -m venv "$VENV"; then
        # Debian's Pythons keep ensurepip in a package of its own.
        apt_install python3-venv "$(basename "$PYTHON")-venv" || true
        rm -rf "$VENV"
        "$PYTHON" -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install --upgrade pip ||
        echo "setup.sh: could not upgrade pip (no network?); going on with the venv's own" >&2
    if ! "$VENV/bin/python" -m pip install -c "$SOURCE/constraints.txt" "$SOURCE/matgrade"; then
        echo "setup.sh: pip could not install matgrade's dependencies from the package index" \
            "(no network, or the index refused). Where the image is built without network," \
            "upload an offline bundle instead: grade bundle gradescope --offline" >&2
        exit 1
    fi
fi
"$VENV/bin/grade" --version
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Gradescope runs this for each submission; written by `grade bundle gradescope`.
# It grades the one .py or .ipynb file in $ROOT/submission against the bundled assignment and always
# leaves a valid $ROOT/results/results.json, even when the submission or the grader fails.
set -u

ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
SUBMISSION="$ROOT/submission"
RESULTS="$ROOT/results/results.json"
ASSIGNMENT="$SOURCE/@ASSIGNMENT@"
FALLBACK="$SOURCE/fallback.json"
TIME_LIMIT="${MATGRADE_TIME_LIMIT:-@TIME_LIMIT@}"

if [ -x "$ROOT/venv/bin/grade" ]; then
    GRADE="$ROOT/venv/bin/grade"
    PYTHON="$ROOT/venv/bin/python"
else
    GRADE="grade"
    PYTHON="python3"
fi

mkdir -p "$ROOT/results"
rm -f "$RESULTS"

@JSON_STRING@
# Score 0 with the message $1: fallback.json (every exercise of the assignment at 0) with
# the message as its output; without Python, fallback.json with the message put in by bash,
# or a minimal file.
fail() {
    echo "run_autograder: $1" >&2
    if ! "$PYTHON" - "$FALLBACK" "$RESULTS" "$1" <<'PYTHON' 2>/dev/null
import json
import sys

with open(sys.argv[1], encoding="utf-8") as handle:
    results = json.load(handle)
message = sys.argv[3].rstrip() + "\n"
results["output"] = message
for test in results["tests"]:
    test["output"] = "Not graded: " + message
with open(sys.argv[2], "w", encoding="utf-8") as handle:
    json.dump(results, handle, indent=2)
    handle.write("\n")
PYTHON
    then
        local message generic fallback
        message="$(json_string "${1%$'\n'}")\\n"
        generic='"output": "The autograder could not grade this submission; please tell your instructor.\n"'
        if fallback="$(cat "$FALLBACK" 2>/dev/null)" && [[ "$fallback" == *"$generic"* ]]; then
            printf '%s\n' "${fallback/"$generic"/"\"output\": \"$message\""}" >"$RESULTS"
        else
            printf '{"score": 0, "output": "%s", "tests": []}\n' "$message" >"$RESULTS"
        fi
    fi
    exit 0
}

if ! command -v "$GRADE" >/dev/null 2>&1; then
    fail "The autograder is not set up: matgrade is not installed in it (its setup.sh failed \
when the image was built). Nothing of yours was graded: tell your instructor, who will find \
the reason in the autograder's build log (no Python, no network: then upload a bundle made by \
grade bundle gradescope --offline)."
fi

# Only regular files are graded, and no symbolic link is followed (find -P, the default,
# neither follows nor descends into one): a link could lead to another student's file, the
# reference or a file only root may read.  A link named like a submission is refused by name.
FILES=()
LINKS=()
if [ -d "$SUBMISSION" ]; then
    while IFS= read -r -d '' file; do
        if [ -L "$file" ]; then
            LINKS+=("${file#"$SUBMISSION"/}")
        else
            FILES+=("$file")
        fi
    done < <(find -H "$SUBMISSION" \( -type f -o -type l \) \( -name '*.py' -o -name '*.ipynb' \) \
        -not -name '._*' -not -path '*/__pycache__/*' -not -path '*/__MACOSX/*' \
        -not -path '*/.ipynb_checkpoints/*' -print0 | sort -z)
fi
if [ "${#LINKS[@]}" -gt 0 ]; then
    fail "${LINKS[0]} is a symbolic link, not a file: the autograder grades only regular files \
and does not follow links. Upload the file itself (not a link to it)."
fi
if [ "${#FILES[@]}" -eq 0 ]; then
    if [ -d "$SUBMISSION" ] && [ -n "$(find -H "$SUBMISSION" -type l -print -quit)" ]; then
        fail "No .py file was submitted (symbolic links are not followed): upload your solution \
as one .py file (or one .ipynb notebook) itself, not a link."
    fi
    fail "No .py file was submitted: upload your solution as one .py file (or one .ipynb notebook)."
fi
if [ "${#FILES[@]}" -gt 1 ]; then
    NAMES=""
    for file in "${FILES[@]}"; do
        NAMES="$NAMES ${file#"$SUBMISSION"/}"
    done
    fail "${#FILES[@]} .py or .ipynb files were submitted (${NAMES# }): upload exactly one."
fi
FILE="${FILES[0]}"

# The student's identity seeds their inputs: the first user's email, else their id.
STUDENT="$("$PYTHON" - "$ROOT/submission_metadata.json" 2>/dev/null <<'PYTHON'
import json
import sys

try:
    with open(sys.argv[1], encoding="utf-8") as handle:
        metadata = json.load(handle)
    user = (metadata.get("users") or [{}])[0]
    print(user.get("email") or user.get("id") or metadata.get("id") or "")
except Exception:
    print("")
PYTHON
)"

COMMAND=("$GRADE" "$FILE" --assignment "$ASSIGNMENT" --format gradescope -o "$RESULTS")
if [ -n "$STUDENT" ]; then
    COMMAND+=(--student "$STUDENT")
fi
if command -v timeout >/dev/null 2>&1; then
    COMMAND=(timeout --kill-after=10 "$TIME_LIMIT" "${COMMAND[@]}")
fi
ERRORS="$(mktemp)"
"${COMMAND[@]}" 2>"$ERRORS"
STATUS=$?
cat "$ERRORS" >&2

if ! "$PYTHON" - "$RESULTS" 2>/dev/null <<'PYTHON'
import json
import sys

with open(sys.argv[1], encoding="utf-8") as handle:
    results = json.load(handle)
assert isinstance(results, dict) and isinstance(results.get("tests"), list)
PYTHON
then
    if [ "$STATUS" -eq 124 ]; then
        fail "Grading took longer than $TIME_LIMIT seconds."
    fi
    fail "The grader stopped (exit $STATUS) without a result: $(tail -c 1500 "$ERRORS")"
fi
rm -f "$ERRORS"
exit 0
"""
RUN_AUTOGRADER = RUN_AUTOGRADER.replace("@JSON_STRING@", JSON_STRING_SH)
