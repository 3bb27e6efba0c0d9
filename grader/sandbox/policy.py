"""Whether student code may run under the isolation its worker reported: the policy, said out loud.

The minimum (docs/security.md, "Policy") has three parts, each met by one of several layers:
- student code never runs as root;
- it cannot reach the grader's process: another uid, or Landlock's signal scope (ABI 6) with
  the seccomp filter (no ptrace, no process_vm_readv);
- it cannot read the reference, the grader or other students' files: a private file system, or
  Landlock.
Who must have the minimum depends on whose code runs (`Trust`): other people's code always; a
user's own code when the grader runs as root (it could drop root, so it must); code the user
vouches for with `--trusted`, never.  `layers` lists every layer for `grade doctor`.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass

from grader.sandbox.records import Isolation

__all__ = ["FIXES", "Layer", "Trust", "confirm", "layers", "missing", "refusal"]

LANDLOCK_SCOPES = 6  # the Landlock ABI that scopes signals and abstract sockets to the sandbox


class Trust(enum.Enum):
    """Whose code the worker runs, which decides what isolation it needs."""

    OWN = "own"  # a student checking their own code: `grade FILE`, `check()`
    OTHERS = "others"  # other people's code: `grade batch`, the autograder
    TRUSTED = "trusted"  # `--trusted`: the user vouches for the code


@dataclass(frozen=True, slots=True)
class Layer:
    """One layer of the worker's confinement: whether it holds here, and what it keeps out."""

    name: str
    active: bool
    guards: str
    detail: str = ""


FIXES = (
    "run matgrade in a container with CAP_SYS_ADMIN (docker run --cap-add SYS_ADMIN ...)",
    "use a Linux kernel with Landlock (5.13 or newer, with landlock in its LSM list)",
    "run matgrade as an ordinary user instead of root, on a kernel with Landlock",
    "or pass --trusted to grade code you trust (your own) without these protections",
)


def layers(isolation: Isolation) -> tuple[Layer, ...]:
    """Each layer of the worker's confinement, as its greeting reported it."""
    kept = ", ".join(isolation.capabilities)
    return (
        Layer("not root", not isolation.root, "student code never runs with root's rights"),
        Layer("private uid", isolation.user, "cannot signal, trace or read other processes"),
        Layer("private file system", isolation.filesystem, "sees only Python, libraries, a scratch folder"),
        Layer(
            "Landlock",
            isolation.landlock > 0,
            "reads only Python and its libraries, writes only its scratch folder",
            f"ABI {isolation.landlock}" if isolation.landlock else "",
        ),
        Layer("seccomp", isolation.seccomp, "no ptrace, mount, namespaces, memfd, shared memory, IP sockets"),
        Layer("private network", isolation.network, "no network, not even 127.0.0.1"),
        Layer(
            "cgroup",
            bool(isolation.cgroup),
            "memory of the whole process tree (shared memory too) and its tasks",
            isolation.cgroup,
        ),
        Layer(
            "no capabilities",
            not isolation.capabilities and not isolation.root,
            "holds no privilege",
            f"keeps {kept}, bounded by Landlock and seccomp" if kept else "",
        ),
    )


def missing(isolation: Isolation) -> list[str]:
    """The parts of the minimum this worker lacks, in words; empty when it has them all."""
    lacking = []
    if isolation.root:
        lacking.append("student code would run as root")
    scoped = isolation.landlock >= LANDLOCK_SCOPES and isolation.seccomp
    if not (isolation.user and not isolation.root) and not scoped:
        lacking.append(
            "it could reach the grader's process (no private uid, and no Landlock signal scope with seccomp)"
        )
    if not isolation.filesystem and not isolation.landlock:
        lacking.append(
            "it could read the reference answers and other students' files "
            "(no private file system and no Landlock)"
        )
    return lacking


def refusal(isolation: Isolation, trust: Trust, grader_root: bool | None = None) -> str | None:
    """Why student code must not run under `isolation`, with the fixes; None when it may."""
    if trust is Trust.TRUSTED:
        return None
    if grader_root is None:
        grader_root = os.geteuid() == 0
    if trust is Trust.OWN and not grader_root:
        return None  # the user's own code, as the user: it can do nothing the user cannot
    lacking = missing(isolation)
    if not lacking:
        return None
    whose = "other people's code" if trust is Trust.OTHERS else "student code as root"
    fixes = "; ".join(FIXES)
    return (
        f"matgrade will not run {whose} here: {'; '.join(lacking)}. "
        f"To fix it: {fixes}. `grade doctor` shows each layer on this machine."
    )


def confirm(trust: Trust) -> Isolation:
    """Start a worker, without student code, and check its isolation is enough for `trust`.

    Raises IsolationError (with the fixes) before a batch grades anyone where it is not;
    SandboxError when no worker starts at all.
    """
    from grader.sandbox.sandbox import Sandbox

    with Sandbox("", "<probe>", trust=trust) as sandbox:
        return sandbox.greet()
