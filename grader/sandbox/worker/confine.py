"""The worker confines itself, as far as the machine allows, before any student code runs.

In this order (each step the machine refuses is skipped and said in a note of the hello
message, `Isolation.notes`):
1. no_new_privs, so that no set-user-id program can give privileges back;
2. as root with a private uid in CONFIG (these need CAP_SYS_ADMIN): a private network and IPC
   namespace (no interface is up, not even loopback), and a private mount namespace and root
   file system: a size-limited tmpfs holding read-only binds of Python, its libraries and
   sys.path, an empty scratch directory, and nothing of the grader (its packages and checkout,
   `hide` in CONFIG, are covered up);
3. in every case, layers that need no privilege: Landlock (landlock.py: read Python and the
   system without the grader's packages, write only the scratch directory) and then a seccomp
   filter (syscalls.py), built while the whole file system is still readable;
4. as root, the private unprivileged uid, checked to be unable to become root again; where
   Python is readable only by root and there is no private root, the switch keeps
   CAP_DAC_READ_SEARCH alone, and only under both Landlock and seccomp (capabilities.py);
   otherwise the worker stays root and says so (`"root": true`).
Not root: steps 1 and 3, and the notes say what that leaves open (docs/security.md).
The state returned (the hello's "isolation") has user, network, filesystem, landlock (the ABI
in force, 0 for none), seccomp, capabilities (those kept), root (euid 0 when student code
starts) and notes.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

# Linux constants (sched.h, mount.h, prctl.h)
CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
PR_SET_NO_NEW_PRIVS, PR_SET_CHILD_SUBREAPER = 38, 36

SYSTEM_PATHS = (
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/alternatives",
    "/etc/localtime",
)
# Read-only paths that libraries read at import or first use, bound like SYSTEM_PATHS (where
# they exist).  /etc/fonts: fontconfig's settings (matplotlib's text; without them each import
# printed "Fontconfig error: Cannot load default config file").  No secret is in them.
LIBRARY_PATHS = ("/etc/fonts",)
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")
SCRATCH = "/scratch"


class Libc:
    """The few Linux calls that os lacks in Python 3.11; OSError when one is missing."""

    def __init__(self) -> None:
        import ctypes

        self.ctypes = ctypes
        self.libc = ctypes.CDLL(None, use_errno=True)

    def _function(self, name: str) -> Any:
        try:
            return getattr(self.libc, name)
        except AttributeError:
            raise OSError(38, f"{name} is not available on this system") from None

    def _check(self, result: int, what: str) -> None:
        if result != 0:
            errno = self.ctypes.get_errno()
            raise OSError(errno, f"{what}: {os.strerror(errno)}")

    def unshare(self, flags: int) -> None:
        self._check(self._function("unshare")(flags), "unshare")

    def mount(self, source: str | None, target: str, kind: str | None, flags: int, data: str | None) -> None:
        def c(text: str | None) -> bytes | None:
            return None if text is None else text.encode()

        result = self._function("mount")(c(source), c(target), c(kind), self.ctypes.c_ulong(flags), c(data))
        self._check(result, f"mount {target}")

    def prctl(self, option: int, value: int) -> None:
        c_ulong = self.ctypes.c_ulong
        prctl = self._function("prctl")
        self._check(prctl(option, c_ulong(value), c_ulong(0), c_ulong(0), c_ulong(0)), "prctl")



def _exposed_paths(blocked: tuple[str, ...]) -> list[str]:
    """What the student's Python needs: the system libraries, the interpreter and sys.path."""
    wanted = [*SYSTEM_PATHS, *LIBRARY_PATHS]
    for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix):
        wanted.append(prefix)
    wanted.append(os.path.dirname(sys.executable))
    for entry in sys.path:
        if not entry or not os.path.exists(entry):
            continue
        is_site = os.path.basename(entry.rstrip("/")) in ("site-packages", "dist-packages")
        if not is_site and any(os.path.exists(os.path.join(entry, name)) for name in blocked):
            continue  # a source checkout of the grader: its examples and tests are answers
        wanted.append(entry)
    return wanted


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _target_of(new_root: str, path: str) -> str | None:
    """Where `path` goes inside the new root; None when a link is on the way there."""
    parent = new_root
    for part in path.strip("/").split("/")[:-1]:  # never follow a link while building
        parent = os.path.join(parent, part)
        if os.path.islink(parent):
            return None
    return new_root + path


def _bind(libc: Libc, new_root: str, source: str, path: str) -> None:
    """Bind `source` read-only (nosuid, nodev) at `path` inside the new root."""
    target = _target_of(new_root, path)
    if target is None or (os.path.lexists(target) and os.path.ismount(target)):
        return
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "a"):
            pass
    libc.mount(source, target, None, MS_BIND | MS_REC, None)
    libc.mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, None)


def _bind_device(libc: Libc, new_root: str, device: str) -> None:
    """Bind one of DEVICES at the same path in the new root, usable: never `nodev`.

    `nodev` forbids opening a device node at all (`open("/dev/urandom")` raised
    PermissionError, and torch's import failed on it), so the devices are bound as the host
    has them, then made nosuid and noexec where the kernel allows.  Only these five nodes are
    there; the worker's user cannot make others (no CAP_MKNOD, and the root tmpfs is nodev).
    """
    target = new_root + device
    with open(target, "a"):
        pass
    libc.mount(device, target, None, MS_BIND, None)
    with contextlib.suppress(OSError):  # a locked flag of the host's /dev is kept as it is
        libc.mount(None, target, None, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NOEXEC, None)


def _bind_exposed(libc: Libc, new_root: str, blocked: tuple[str, ...]) -> list[str]:
    """Bind what Python needs into the new root; the paths bound."""
    done: list[str] = []
    for path in _exposed_paths(blocked):
        path = os.path.normpath(os.path.abspath(path))
        if not os.path.lexists(path) or any(_inside(path, d) for d in done):
            continue
        if os.path.islink(path) and os.path.dirname(path) in ("/", "/etc"):
            target = _target_of(new_root, path)
            if target is not None and not os.path.lexists(target):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.symlink(os.readlink(path), target)
            real = os.path.realpath(path)
            if not any(_inside(real, d) for d in done) and not _inside(real, "/usr"):
                _bind(libc, new_root, real, real)
                done.append(real)
            continue
        real = os.path.realpath(path)
        if _inside(new_root, real):
            continue  # never bind an ancestor of the new root into itself
        _bind(libc, new_root, real, path)
        done.append(path)
        if real != path and not any(_inside(real, d) for d in done):
            _bind(libc, new_root, real, real)
            done.append(real)
    return done


def _build_root(
    libc: Libc, new_root: str, uid: int, config: dict[str, Any], blocked: tuple[str, ...]
) -> None:
    """Mount a tmpfs at `new_root` holding read-only binds of what Python needs, and chroot."""
    size = max(1, int(config.get("file_bytes", 64 << 20)) >> 20)
    libc.mount(None, "/", None, MS_REC | MS_PRIVATE, None)  # nothing below propagates out
    libc.mount("tmpfs", new_root, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size}m,nr_inodes=16384,mode=755")
    tmp = new_root + "/tmp"
    os.makedirs(tmp)
    os.chmod(tmp, 0o1777)
    done = _bind_exposed(libc, new_root, blocked)
    # The grader's packages and its source checkout (examples and tests are answers), where
    # an exposed directory holds them, are covered up.
    exposed = {os.path.realpath(p) for p in [*done, *sys.path] if p}
    hide = [str(p) for p in config.get("hide", []) if isinstance(p, str) and p.startswith("/")]
    hide += [os.path.join(d, name) for d in exposed for name in blocked]
    for path in hide:
        _cover(libc, new_root, os.path.realpath(path), exposed, depth=0)
    os.makedirs(new_root + "/dev", exist_ok=True)
    for device in DEVICES:
        if os.path.exists(device):
            _bind_device(libc, new_root, device)
    scratch = new_root + SCRATCH
    os.makedirs(scratch)
    os.chown(scratch, uid, uid)
    os.chmod(scratch, 0o700)
    os.chroot(new_root)
    os.chdir(SCRATCH)


def _cover(libc: Libc, new_root: str, path: str, exposed: set[str], depth: int) -> None:
    """Make `path` empty inside the new root, keeping only what leads to an exposed path."""
    target = new_root + path
    if depth > 8 or not os.path.lexists(target) or os.path.islink(target) or path in exposed:
        return  # (a link is never mounted over: the mount would follow it out of the new root)
    if any(_inside(e, path) for e in exposed):  # on the way to something Python needs
        if os.path.isdir(target):
            for child in os.listdir(target):
                _cover(libc, new_root, os.path.join(path, child), exposed, depth + 1)
        return
    if os.path.ismount(target):
        return
    if os.path.isdir(target):
        libc.mount("tmpfs", target, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=755")
    else:
        libc.mount("/dev/null", target, None, MS_BIND, None)


def _readable_by_anyone(path: str) -> bool:
    """Whether a user with no rights of its own can reach and read `path`."""
    import stat

    path = os.path.realpath(path)
    parts = path.strip("/").split("/")
    for i in range(len(parts) + 1):
        current = "/" + "/".join(parts[:i])
        try:
            mode = os.stat(current).st_mode
        except OSError:
            return False
        if stat.S_ISDIR(mode) and not mode & stat.S_IXOTH:
            return False
    mode = os.stat(path).st_mode
    return bool(mode & stat.S_IROTH)



def isolate(
    config: dict[str, Any],
    blocked: tuple[str, ...],
    *,
    landlock: Any = None,
    syscalls: Any = None,
    capabilities: Any = None,
) -> dict[str, Any]:
    """Confine this process as far as the machine allows; say what holds and what does not.

    `blocked` are the grader's package names, covered up wherever Python could find them.
    `landlock`, `syscalls` and `capabilities` are the sibling modules of those names (loaded
    by path, worker/main.py); a layer whose module is None is missing, with a note.
    The state has "home", the scratch directory as the worker now sees it.
    """
    notes: list[str] = []
    state: dict[str, Any] = {
        "user": False,
        "network": False,
        "filesystem": False,
        "landlock": 0,
        "seccomp": False,
        "capabilities": [],
        "root": os.geteuid() == 0,
        "notes": notes,
    }
    scratch = str(config.get("scratch") or os.getcwd())
    uid = config.get("uid")
    libc: Libc | None
    try:
        libc = Libc()
        libc.prctl(PR_SET_NO_NEW_PRIVS, 1)  # no set-user-id program can give privileges back
    except OSError as exc:
        libc = None
        notes.append(f"no_new_privs is not available ({exc.strerror})")
    # What the layers need from the file system is loaded while all of it is readable.
    rules = _seccomp_rules(syscalls, notes)
    libcap = _libcap(capabilities) if os.geteuid() == 0 else None
    if os.geteuid() != 0 or not isinstance(uid, int) or uid <= 0 or libc is None:
        why = "the grader does not run as root" if os.geteuid() != 0 else "no free uid was found"
        notes.append(
            f"{why}: the worker runs as the grader's own user, without private namespaces "
            "(Landlock and seccomp, where they hold, restrict its files and network); its "
            "processes are limited per user and killed by session"
        )
        state["home"] = scratch
        _restrict(state, landlock, syscalls, rules, scratch, config, blocked)
        return state
    try:
        libc.unshare(CLONE_NEWNET | CLONE_NEWIPC)
        state["network"] = True
    except OSError as exc:
        notes.append(
            f"no private network namespace ({exc.strerror}): only the seccomp filter and "
            "Landlock, where they hold, keep it off the network"
        )
    try:
        libc.unshare(CLONE_NEWNS)
        _build_root(libc, scratch, uid, config, blocked)
        state["filesystem"] = True
        state["home"] = SCRATCH
    except OSError as exc:
        notes.append(f"no private file system ({exc}): the worker sees the real file system")
        state["home"] = scratch
        with contextlib.suppress(OSError):
            os.chown(scratch, uid, uid)
            os.chdir(scratch)
    _restrict(state, landlock, syscalls, rules, scratch, config, blocked)
    _become(libc, uid, state, capabilities, libcap)
    state["root"] = os.geteuid() == 0
    return state


def _seccomp_rules(syscalls: Any, notes: list[str]) -> Any:
    """The seccomp filter, built (pyseccomp imported) but not loaded; None with a note."""
    if syscalls is None:
        notes.append(
            "no seccomp filter (its module did not load): ptrace, memfd_create, "
            "System V shared memory and sockets of any family are not refused"
        )
        return None
    try:
        return syscalls.prepare()
    except Exception as exc:  # ImportError (no pyseccomp or libseccomp), OSError, ...
        notes.append(
            f"no seccomp filter ({type(exc).__name__}: {exc}; pip install pyseccomp and "
            "libseccomp2): ptrace, memfd_create, System V shared memory and sockets of any "
            "family are not refused"
        )
        return None


def _libcap(capabilities: Any) -> Any:
    if capabilities is None:
        return None
    try:
        return capabilities.Libcap()
    except OSError:
        return None  # said in a note by _become, where it would have been needed


def _restrict(
    state: dict[str, Any],
    landlock: Any,
    syscalls: Any,
    rules: Any,
    scratch: str,
    config: dict[str, Any],
    blocked: tuple[str, ...],
) -> None:
    """Landlock, then the seccomp filter, on this process for good; notes for what fails."""
    notes: list[str] = state["notes"]
    if landlock is None:
        notes.append("no Landlock (its module did not load): file access is cut by file modes only")
    else:
        try:
            state["landlock"] = landlock.restrict(_landlock_rules(landlock, state, scratch, config, blocked))
            with contextlib.suppress(OSError):  # Landlock binds the calling thread and its children only
                if len(os.listdir("/proc/self/task")) > 1:
                    notes.append("threads started before Landlock (a BLAS pool?) are not restricted by it")
        except OSError as exc:
            notes.append(
                f"no Landlock ({exc.strerror or exc}; it needs Linux 5.13 or later with "
                "lsm=landlock): file access is cut by file modes only"
            )
    if rules is not None:
        try:
            syscalls.install(rules)
            state["seccomp"] = True
        except OSError as exc:
            notes.append(f"the seccomp filter could not be loaded ({exc}): no system call is refused")


def _landlock_rules(
    landlock: Any, state: dict[str, Any], scratch: str, config: dict[str, Any], blocked: tuple[str, ...]
) -> list[tuple[str, int]]:
    """(path, rights): read Python and the system, write the scratch directory, the devices.

    In the private root the same paths are its read-only binds, and /scratch and /tmp are its
    own (/tmp only where no bind lies below it); outside it, /proc and the CPU's description
    are read too (libraries count CPUs).
    """
    hide = [str(p) for p in config.get("hide", []) if isinstance(p, str) and p.startswith("/")]
    denied = [os.path.realpath(p) for p in hide]
    for entry in {*sys.path, sys.prefix, sys.base_prefix}:
        if entry and os.path.isdir(entry):
            denied += landlock.denied_entries(entry, blocked, hide)
    readable = landlock.plan(_exposed_paths(blocked), denied)
    rules = [(path, landlock.READ_EXECUTE) for path in readable]
    if state["filesystem"]:
        rules += [(SCRATCH, landlock.WRITE)]
        # The root's own /tmp, unless Python's binds are in it (a venv made by `mktemp -d`):
        # a right on a directory holds in its whole tree, binds of the grader's included.
        if not any(_inside(path, "/tmp") for path in [*readable, *denied]):
            rules += [("/tmp", landlock.WRITE)]
    else:
        rules += [(scratch, landlock.WRITE), ("/proc", landlock.READ)]
        rules += [("/sys/devices/system/cpu", landlock.READ)]
    rules += [(device, landlock.DEVICE) for device in DEVICES]
    return rules


def _become(libc: Libc, uid: int, state: dict[str, Any], capabilities: Any, libcap: Any) -> None:
    """Switch to the private uid for good, where Python stays readable; a note when not.

    Where Python is readable only by root and there is no private root, the switch keeps
    CAP_DAC_READ_SEARCH, and only when Landlock bounds what it reads and seccomp refuses
    open_by_handle_at; otherwise the worker stays root, and says so.
    """
    notes: list[str] = state["notes"]
    python_paths = [sys.base_prefix, sys.prefix, *(p for p in sys.path if p and os.path.exists(p))]
    keep = not state["filesystem"] and not all(_readable_by_anyone(p) for p in python_paths)
    if keep and not (state["landlock"] and state["seccomp"] and libcap is not None):
        missing = [name for name, ok in (("Landlock", state["landlock"]), ("seccomp", state["seccomp"]),
                                         ("libcap.so.2", libcap is not None)) if not ok]
        notes.append(
            "Python or numpy is not readable by an unprivileged user here, no private file "
            f"system could be made, and without {' and '.join(missing)} no capability is kept "
            "to read them safely: the worker keeps the grader's user (root)"
        )
        return
    try:
        if keep:
            capabilities.become_keeping_read_search(libcap, uid)
            state["capabilities"] = [capabilities.KEPT]
        else:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
    except OSError as exc:
        if os.geteuid() != 0 or os.getuid() != 0:
            os._exit(70)  # half switched: never go on to student code in an unknown state
        why = exc.strerror or str(exc)
        notes.append(f"cannot switch to an unprivileged user ({why}): the worker runs as root")
        return
    try:
        os.setuid(0)
    except PermissionError:
        state["user"] = True
    else:  # pragma: no cover - the kernel refused to drop root; never run student code as root
        os._exit(70)
    with contextlib.suppress(OSError):
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1)  # orphans of student code come back here to be reaped
