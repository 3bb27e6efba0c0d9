"""Landlock: the worker's file system and network cut down without any privilege (Linux >= 5.13).

A Landlock ruleset names the rights it handles; once the process restricts itself, every
handled right is refused except beneath the paths a rule allows, for it and every process
it starts, for good, and no uid (not even root, not CAP_DAC_READ_SEARCH) gets past it.  Rules
allow, never deny: a right allowed on a directory holds in the whole tree below it.  So a
directory that holds something of the grader's (site-packages holding `reference`, a venv
inside the checkout) is never allowed as a whole: `plan` allows each of its entries but the
grader's, and goes down again where a denied path lies deeper (`denied_entries` says which
entries are the grader's).

Best effort by ABI: each right is handled only when the running kernel knows it (`abi`),
and the network (ABI 4: TCP bind and connect) and the scopes (ABI 6: abstract unix sockets and
signals to processes outside the sandbox) are closed completely where the kernel has them.
The system calls are made through ctypes; their numbers are those of the generic table, the
same on x86_64 and aarch64.
"""

from __future__ import annotations

import ctypes
import fnmatch
import os
import platform
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence

_SYSCALLS = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}  # Linux: platform.machine()
_CREATE_RULESET_VERSION = 1 << 0
_RULE_PATH_BENEATH = 1

# Access rights to the file system (linux/landlock.h), each with the ABI that brought it.
EXECUTE = 1 << 0
WRITE_FILE = 1 << 1
READ_FILE = 1 << 2
READ_DIR = 1 << 3
REMOVE_DIR = 1 << 4
REMOVE_FILE = 1 << 5
MAKE_CHAR = 1 << 6
MAKE_DIR = 1 << 7
MAKE_REG = 1 << 8
MAKE_SOCK = 1 << 9
MAKE_FIFO = 1 << 10
MAKE_BLOCK = 1 << 11
MAKE_SYM = 1 << 12
REFER = 1 << 13  # ABI 2
TRUNCATE = 1 << 14  # ABI 3
IOCTL_DEV = 1 << 15  # ABI 5
_FS_BY_ABI = ((5, (1 << 16) - 1), (3, (1 << 15) - 1), (2, (1 << 14) - 1), (1, (1 << 13) - 1))
_FILE_ONLY = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV  # what a rule on a file may hold

READ = READ_FILE | READ_DIR
READ_EXECUTE = READ | EXECUTE
DEVICE = READ_FILE | WRITE_FILE | TRUNCATE | IOCTL_DEV  # open("/dev/null", "w") truncates
# The scratch directory: everything but running programs from it and making device nodes.
WRITE = (1 << 16) - 1 & ~(EXECUTE | MAKE_CHAR | MAKE_BLOCK)

_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1  # ABI 4
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1  # ABI 6

# Entries of a directory on sys.path that are the grader's: its packages, its metadata, and
# the hooks of an editable install (which name the checkout).
_GRADER_PATTERNS = (
    "matgrade-*.dist-info",
    "matgrade-*.egg-info",
    "matgrade.egg-link",
    "__editable__*matgrade*",
)
_MAX_DEPTH = 8


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


_Syscall = Callable[..., int]


def _syscall() -> tuple[_Syscall, tuple[int, int, int]] | None:
    """libc's syscall(2) and Landlock's three numbers here; None on another architecture."""
    numbers = _SYSCALLS.get(platform.machine())
    if numbers is None or sys.platform != "linux":
        return None
    function = ctypes.CDLL(None, use_errno=True).syscall
    function.restype = ctypes.c_long
    call: _Syscall = function
    return call, numbers


def abi() -> int:
    """The Landlock ABI version of the running kernel; 0 when it has none (or it is disabled)."""
    found = _syscall()
    if found is None:
        return 0
    function, (create, _, _) = found
    flags = ctypes.c_uint32(_CREATE_RULESET_VERSION)
    version = function(ctypes.c_long(create), None, ctypes.c_size_t(0), flags)
    return max(int(version), 0)


def fs_rights(version: int) -> int:
    """Every file-system right that ABI `version` knows."""
    return next((rights for since, rights in _FS_BY_ABI if version >= since), 0)


def denied_entries(directory: str, blocked: Sequence[str], hide: Sequence[str]) -> list[str]:
    """The entries of `directory` that are the grader's (real paths).

    Its packages (`blocked`), matgrade's metadata and editable-install hooks, and any `.pth`
    file that names one of the `hide` paths (a checkout put on sys.path).
    """
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    found = []
    for name in names:
        path = os.path.join(directory, name)
        grader = name in blocked or any(fnmatch.fnmatchcase(name, p) for p in _GRADER_PATTERNS)
        if not grader and name.endswith(".pth"):
            grader = _names_any(path, hide)
        if grader:
            found.append(os.path.realpath(path))
    return found


def _names_any(path: str, paths: Sequence[str]) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            text = file.read(1 << 16)
    except OSError:
        return False
    return any(p.rstrip("/") in text for p in paths if p)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _ancestors(path: str) -> Iterator[str]:
    """`path` and each directory above it, up to /."""
    while True:
        yield path
        parent = os.path.dirname(path)
        if parent == path:
            return
        path = parent


def plan(roots: Iterable[str], denied: Iterable[str]) -> list[str]:
    """The real paths to allow so that all of `roots` but nothing in `denied` can be read.

    A root with a denied path below it is replaced by its entries, recursively; an entry
    (reached through a link, say) that is or lies in a denied path is left out.  A root that
    is itself inside a denied path (Python's venv inside the grader's checkout) is allowed:
    the roots are what Python needs.
    """
    refused = {os.path.realpath(d) for d in denied}
    allowed: dict[str, None] = {}  # in order, and a set for the look-ups

    def visit(path: str, depth: int, around: frozenset[str] | None) -> None:
        # An entry of a real directory is real unless it is a link (one lstat, not one a level).
        real = os.path.realpath(path) if around is None or os.path.islink(path) else path
        if real in refused or not os.path.exists(real) or any(a in allowed for a in _ancestors(real)):
            return
        if around is None:  # a root: the denied paths around it do not count below it
            around = frozenset(a for a in _ancestors(real) if a in refused)
        elif any(a in refused and a not in around for a in _ancestors(real)):
            return
        if not any(d != real and _inside(d, real) for d in refused):
            for inner in [a for a in allowed if _inside(a, real)]:
                del allowed[inner]
            allowed[real] = None
            return
        if depth >= _MAX_DEPTH or not os.path.isdir(real):
            return
        try:
            names = sorted(os.listdir(real))
        except OSError:
            return
        for name in names:
            visit(os.path.join(real, name), depth + 1, around)

    for path in roots:
        visit(path, 0, None)
    return list(allowed)


def restrict(rules: Sequence[tuple[str, int]]) -> int:
    """Restrict this process (and all it starts) to `rules`, (path, rights) pairs, for good.

    Rights the running ABI does not know are dropped; a path that is missing is skipped.
    The network (TCP bind and connect) and the scopes (abstract unix sockets, signals) are
    closed where the ABI has them.  Returns the ABI in force; raises OSError when the kernel
    refuses (no Landlock: errno ENOSYS or EOPNOTSUPP; no no_new_privs: EPERM).
    """
    found = _syscall()
    if found is None:
        raise OSError(38, f"Landlock's system calls are not known on {platform.machine()}")
    function, (create, add_rule, restrict_self) = found
    version = abi()
    if version <= 0:
        raise OSError(95, "Landlock is not supported or not enabled by this kernel")
    handled = fs_rights(version)
    attr = _RulesetAttr(handled, 0, 0)
    size = 8
    if version >= 4:
        attr.handled_access_net, size = _NET_BIND_TCP | _NET_CONNECT_TCP, 16
    if version >= 6:
        attr.scoped, size = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL, 24
    ruleset = function(ctypes.c_long(create), ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        _raise("landlock_create_ruleset")
    try:
        for path, rights in rules:
            _add_path(function, add_rule, int(ruleset), path, rights & handled)
        if function(ctypes.c_long(restrict_self), ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            _raise("landlock_restrict_self")
    finally:
        os.close(ruleset)
    return version


def _add_path(function: _Syscall, number: int, ruleset: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # missing here (a path of the host that the private root does not have)
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):  # the inode the rule is for, links followed
            rights &= _FILE_ONLY
        if not rights:
            return
        beneath = _PathBeneathAttr(rights, fd)
        rule = (ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH), ctypes.byref(beneath))
        result = function(ctypes.c_long(number), *rule, ctypes.c_uint32(0))
        if result != 0:
            _raise(f"landlock_add_rule {path}")
    finally:
        os.close(fd)


def _raise(what: str) -> None:
    errno = ctypes.get_errno()
    raise OSError(errno, f"{what}: {os.strerror(errno)}")
