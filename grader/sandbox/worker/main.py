"""The worker: runs a student's code in its own process and answers with plain numbers.

This file is run as a script (`python -I -B main.py FD_IN FD_OUT CONFIG`), never imported
by the grader, and imports nothing from matgrade: the student's code must not reach the
grader's modules (they are blocked from import below, and hidden from the file system when
the worker can confine itself).  Everything here runs in the student's process, so nothing
it sends is trusted: the grader parses every reply defensively and judges every value.

Start-up, before any student code runs (see docs/security.md):
1. resource limits (memory, file size, CPU time, processes, open files, no core dumps);
2. numpy is imported;
3. when started as root with a private uid in CONFIG: a private network (no connections),
   a private root file system (only Python, its libraries and an empty scratch directory,
   on a size-limited tmpfs) and then the private unprivileged user, which cannot signal,
   read or write anything of the grader's.  Each step that the machine refuses is skipped
   and said in a note;
4. a hello message tells the grader which of these hold.

Protocol, on two private pipes: each message is a 4-byte big-endian length and UTF-8 JSON,
and every reply echoes the request's "seq" so that a stray write cannot pass for a reply.
    (first, unasked) -> {"seq": 0, "hello": true, "isolation": {...}}
    {"seq": n, "op": "load", "source": str, "filename": str}
        -> {"seq": n, "ok": true, "names": {name: kind}} | {"seq": n, "ok": false, "error": {...}}
    {"seq": n, "op": "call", "name": str, "spec": SPEC, "batch": [[ARG, ...], ...]
     (, "formula": [variable, ...])}
        -> {"seq": n, "results": [{"value": VALUE} | {"error": {...}} | {"missing": true}, ...]}
    {"seq": n, "op": "formula", "name": str, "variables": [str, ...]}
        -> {"seq": n, "ok": true, "shape": [...]} | {"seq": n, "ok": false, "message": str}
    {"seq": n, "op": "symbolic", "name": str, "variables": [...], "reference": TEXT, "seconds": float}
        -> {"seq": n, "equal": true | false | null, "reason": str,
            "differences": [[entry, text, is a nonzero constant], ...]}
A formula answer (a string, a sympy expression or nested lists of them, for the sets scalar and
jacobians) is read by the whitelisted grammar of `grammar.py`, loaded from beside this file
before any student code runs; with "formula" a call evaluates it at the arguments, which come
in the order of the variables.  TEXT is the reference formula in the same grammar.
    {"seq": n, "op": "cell", "filename": str, "source": str, "seconds": float}
        -> {"seq": n, "ok": true} | {"seq": n, "ok": false, "error": {...}}
    {"seq": n, "op": "names"} -> {"seq": n, "ok": true, "names": {name: kind}}
A notebook is run as one "cell" message per code cell, in order, in one shared namespace:
each cell is compiled with its own file name (`<cell 4>`) and stopped by SIGALRM after
"seconds"; a cell that raises is reported and the next cell runs.  "names" ends it.
Arguments: {"f": float} | {"i": int} | {"a": shape, "d": flat} | {"l": [ARG, ...]}.
SPEC says what shape of result to expect: "leaf" | ["tuple", [SPEC...]] | ["list", SPEC].
A leaf VALUE is {"shape": [...], "dtype": str, "data": [...]}; tuples and lists are JSON lists.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import resource
import signal
import sys
import traceback
import types
from typing import Any

BLOCKED = ("grader", "reference", "exercises", "matgrade")
MAX_ELEMENTS = 100_000  # per returned array; the largest answer of the contract has a few hundred
MAX_TOTAL = 400_000  # per reply (a batch of calls)
MAX_MESSAGE = 2_000
CELL_PREFIX = "<cell "  # the file name of a notebook cell's code: "<cell 4>"

# Linux constants (sched.h, mount.h, prctl.h)
CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT = 1, 2, 4, 32
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
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")
SCRATCH = "/scratch"


class _Blocker:
    """A meta-path finder that refuses matgrade's own packages to student code."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"the grader's module {name!r} cannot be imported by a submission")
        return None


# -- start-up: limits and confinement ------------------------------------------------------


def _set_limit(kind: int, value: int) -> None:
    hard = resource.getrlimit(kind)[1]
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(kind, (value, value))


def _own_tasks() -> int:
    """Threads of every process of this user (RLIMIT_NPROC counts them all)."""
    uid, total = os.getuid(), 0
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        if int(fields.get("Uid", "-1 0").split()[0]) == uid:
            total += int(fields.get("Threads", "1").strip() or 1)
    return total


def _limit(config: dict[str, Any]) -> None:
    _set_limit(resource.RLIMIT_AS, int(config.get("memory", 1 << 30)))
    _set_limit(resource.RLIMIT_CORE, 0)
    _set_limit(resource.RLIMIT_FSIZE, int(config.get("file_bytes", 64 << 20)))
    _set_limit(resource.RLIMIT_CPU, int(config.get("cpu_seconds", 3600)))
    _set_limit(resource.RLIMIT_NOFILE, 1024)
    processes = int(config.get("processes", 8))
    if os.geteuid() != 0:
        # Per user: the grader's own processes count too, so allow that many more.
        _set_limit(resource.RLIMIT_NPROC, _own_tasks() + processes)
    else:
        _set_limit(resource.RLIMIT_NPROC, processes)  # applies once the uid is dropped


class _Libc:
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


def _exposed_paths() -> list[str]:
    """What the student's Python needs: the system libraries, the interpreter and sys.path."""
    wanted = list(SYSTEM_PATHS)
    for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix):
        wanted.append(prefix)
    wanted.append(os.path.dirname(sys.executable))
    for entry in sys.path:
        if not entry or not os.path.exists(entry):
            continue
        is_site = os.path.basename(entry.rstrip("/")) in ("site-packages", "dist-packages")
        if not is_site and any(os.path.exists(os.path.join(entry, name)) for name in BLOCKED):
            continue  # a source checkout of the grader: its examples and tests are answers
        wanted.append(entry)
    return wanted


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _build_root(libc: _Libc, new_root: str, uid: int, config: dict[str, Any]) -> None:
    """Mount a tmpfs at `new_root` holding read-only binds of what Python needs, and chroot."""
    size = max(1, int(config.get("file_bytes", 64 << 20)) >> 20)
    libc.mount(None, "/", None, MS_REC | MS_PRIVATE, None)  # nothing below propagates out
    libc.mount("tmpfs", new_root, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size}m,nr_inodes=16384,mode=755")

    def target_of(path: str) -> str | None:
        target = new_root + path
        parent = new_root
        for part in path.strip("/").split("/")[:-1]:  # never follow a link while building
            parent = os.path.join(parent, part)
            if os.path.islink(parent):
                return None
        return target

    def bind(source: str, path: str) -> None:
        target = target_of(path)
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

    tmp = new_root + "/tmp"
    os.makedirs(tmp)
    os.chmod(tmp, 0o1777)
    done: list[str] = []
    for path in _exposed_paths():
        path = os.path.normpath(os.path.abspath(path))
        if not os.path.lexists(path) or any(_inside(path, d) for d in done):
            continue
        if os.path.islink(path) and os.path.dirname(path) in ("/", "/etc"):
            target = target_of(path)
            if target is not None and not os.path.lexists(target):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.symlink(os.readlink(path), target)
            real = os.path.realpath(path)
            if not any(_inside(real, d) for d in done) and not _inside(real, "/usr"):
                bind(real, real)
                done.append(real)
            continue
        real = os.path.realpath(path)
        if _inside(new_root, real):
            continue  # never bind an ancestor of the new root into itself
        bind(real, path)
        done.append(path)
        if real != path and not any(_inside(real, d) for d in done):
            bind(real, real)
            done.append(real)
    # The grader's packages and its source checkout (examples and tests are answers), where
    # an exposed directory holds them, are covered up.
    exposed = {os.path.realpath(p) for p in [*done, *sys.path] if p}
    hide = [str(p) for p in config.get("hide", []) if isinstance(p, str) and p.startswith("/")]
    hide += [os.path.join(d, name) for d in exposed for name in BLOCKED]
    for path in hide:
        _cover(libc, new_root, os.path.realpath(path), exposed, depth=0)
    os.makedirs(new_root + "/dev", exist_ok=True)
    for device in DEVICES:
        if os.path.exists(device):
            bind(device, device)
    scratch = new_root + SCRATCH
    os.makedirs(scratch)
    os.chown(scratch, uid, uid)
    os.chmod(scratch, 0o700)
    os.chroot(new_root)
    os.chdir(SCRATCH)


def _cover(libc: _Libc, new_root: str, path: str, exposed: set[str], depth: int) -> None:
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


def _isolate(config: dict[str, Any]) -> dict[str, Any]:
    """Confine this process as far as the machine allows; say what holds and what does not."""
    notes: list[str] = []
    state: dict[str, Any] = {"user": False, "network": False, "filesystem": False, "notes": notes}
    scratch = str(config.get("scratch") or os.getcwd())
    uid = config.get("uid")
    libc: _Libc | None
    try:
        libc = _Libc()
        libc.prctl(PR_SET_NO_NEW_PRIVS, 1)  # no set-user-id program can give privileges back
    except OSError as exc:
        libc = None
        notes.append(f"no_new_privs is not available ({exc.strerror})")
    if os.geteuid() != 0 or not isinstance(uid, int) or uid <= 0 or libc is None:
        why = "the grader does not run as root" if os.geteuid() != 0 else "no free uid was found"
        notes.append(
            f"{why}: the worker runs as the grader's own user, on the real file system and "
            "network; its processes are limited per user and killed by session"
        )
        state["home"] = scratch
        return state
    try:
        libc.unshare(CLONE_NEWNET | CLONE_NEWIPC)
        state["network"] = True
    except OSError as exc:
        notes.append(f"no private network namespace ({exc.strerror}): connections are possible")
    try:
        libc.unshare(CLONE_NEWNS)
        _build_root(libc, scratch, uid, config)
        state["filesystem"] = True
        state["home"] = SCRATCH
    except OSError as exc:
        notes.append(f"no private file system ({exc}): the worker sees the real file system")
        state["home"] = scratch
    python_paths = [sys.base_prefix, sys.prefix, *(p for p in sys.path if p and os.path.exists(p))]
    if not state["filesystem"] and not all(_readable_by_anyone(p) for p in python_paths):
        notes.append(
            "Python or numpy is not readable by an unprivileged user here and no private file "
            "system could be made: the worker keeps the grader's user (root)"
        )
        return state
    try:
        if not state["filesystem"]:
            os.chown(scratch, uid, uid)
            os.chdir(scratch)
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    except OSError as exc:
        notes.append(f"cannot switch to an unprivileged user ({exc.strerror}): the worker runs as root")
        return state
    try:
        os.setuid(0)
    except PermissionError:
        state["user"] = True
    else:  # pragma: no cover - the kernel refused to drop root; never run student code as root
        os._exit(70)
    with contextlib.suppress(OSError):
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1)  # orphans of student code come back here to be reaped
    return state


def _block_grader_imports() -> None:
    """Drop the grader's import hooks (editable installs) and its modules from this process."""
    sys.meta_path[:] = [
        finder
        for finder in sys.meta_path
        if not getattr(finder, "__module__", "").startswith("__editable__")
        and not type(finder).__module__.startswith("__editable__")
    ]
    sys.meta_path.insert(0, _Blocker())
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED or name.startswith("__editable__"):
            del sys.modules[name]


# -- messages ------------------------------------------------------------------------------


def _read_exact(fd: int, n: int) -> bytes:
    chunks = []
    while n:
        chunk = os.read(fd, n)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int) -> Any:
    size = int.from_bytes(_read_exact(fd, 4), "big")
    return json.loads(_read_exact(fd, size).decode("utf-8"))


def _send(fd: int, message: dict[str, Any]) -> None:
    data = json.dumps(message, allow_nan=True).encode("utf-8")
    data = len(data).to_bytes(4, "big") + data
    while data:
        written = os.write(fd, data)
        data = data[written:]


def _decode(arg: dict[str, Any], np: Any) -> Any:
    if "f" in arg:
        return float(arg["f"])
    if "i" in arg:
        return int(arg["i"])
    if "a" in arg:
        return np.array(arg["d"], dtype=np.float64).reshape(arg["a"])
    return [_decode(item, np) for item in arg["l"]]


# -- results -------------------------------------------------------------------------------


class _CellTimeout(BaseException):
    """Raised in a notebook cell by SIGALRM when it runs past its time limit."""


def _display(*objects: Any, **options: Any) -> None:
    """IPython's `display` builtin: outputs are not graded, so nothing is shown."""


class _NotReal(Exception):
    """The returned value cannot be read as a real array."""


class _Budget:
    """Elements left for one reply: a batch of answers may not flood the grader."""

    def __init__(self) -> None:
        self.left = MAX_TOTAL

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise _NotReal(f"returned more than {MAX_TOTAL} numbers in all, far more than asked for")


def _leaf(value: Any, np: Any, budget: _Budget) -> dict[str, Any]:
    if value is None:
        raise _NotReal("returned None (is a `return` statement missing?)")
    if isinstance(value, (str, bytes)):
        raise _NotReal(f"returned text (a {type(value).__name__}), not real numbers")
    try:
        array = np.asarray(value)
    except Exception as exc:
        raise _NotReal(f"returned a {type(value).__name__} that is not an array ({exc})") from None
    if not isinstance(array, np.ndarray):
        raise _NotReal(f"returned a {type(value).__name__} that is not an array")
    if array.ndim > 8 or any(side > MAX_ELEMENTS for side in array.shape) or array.size > MAX_ELEMENTS:
        raise _NotReal(
            f"returned an array of shape {array.shape} ({array.size} elements), far more than asked for"
        )
    kind = array.dtype.kind
    if kind == "c":
        raise _NotReal("returned complex numbers; the answer is real")
    if kind in "USV":
        raise _NotReal(f"returned {array.dtype} values (text or records), not real numbers")
    if kind in "mM":
        raise _NotReal("returned dates or durations, not real numbers")
    if kind == "O":
        for item in array.flat:
            if isinstance(item, (str, bytes)):
                raise _NotReal("returned text inside an object array, not real numbers")
            if isinstance(item, complex):
                raise _NotReal("returned complex numbers; the answer is real")
        try:
            array = array.astype(np.float64)
        except Exception:
            raise _NotReal("returned object values that are not real numbers") from None
    budget.take(int(array.size))
    dtype = array.dtype.name if array.dtype.kind == "f" else "float64"
    data = np.ndarray.tolist(np.asarray(array, dtype=np.float64).ravel())
    return {"shape": [int(side) for side in array.shape], "dtype": dtype, "data": data}


def _convert(value: Any, spec: Any, np: Any, budget: _Budget) -> Any:
    if spec == "leaf":
        return _leaf(value, np, budget)
    kind, inner = spec
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__"):
        raise _NotReal(f"returned a {type(value).__name__}, not a {kind} of results")
    items = []
    for item in value:
        items.append(item)
        if len(items) > MAX_ELEMENTS:
            raise _NotReal(f"returned a {kind} of more than {MAX_ELEMENTS} results")
    if kind == "tuple":
        if len(items) != len(inner):
            raise _NotReal(f"returned {len(items)} results; {len(inner)} were asked for, in order")
        return [_convert(item, sub, np, budget) for item, sub in zip(items, inner, strict=True)]
    return [_convert(item, inner, np, budget) for item in items]


def _describe(exc: BaseException) -> str:
    try:
        return str(exc)[:MAX_MESSAGE]
    except BaseException:
        return "(the exception cannot be shown as text)"


def _own(frame_file: str, filename: str) -> bool:
    """Whether a frame is the student's: in the submission, or in one of a notebook's cells."""
    return frame_file == filename or frame_file.startswith(CELL_PREFIX)


def _error(exc: BaseException, filename: str) -> dict[str, Any]:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _own(f.filename, filename)]
    lines = traceback.format_list(frames) if frames else []
    return {
        "type": type(exc).__name__,
        "message": _describe(exc),
        "traceback": "".join(lines)[-MAX_MESSAGE * 2 :],
        "line": frames[-1].lineno if frames else None,
    }


def _kind(value: Any) -> str:
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType)) or callable(value):
        return "function"
    if isinstance(value, (str, int, float, list, tuple)):
        return "formula"
    if type(value).__module__.startswith("sympy"):
        return "formula"
    return "other"


def _load_grammar() -> Any:
    """The formula grammar `grammar.py`, loaded by path (never as a grader module)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "grammar.py")
    spec = importlib.util.spec_from_file_location("_matgrade_formula", path)
    if spec is None or spec.loader is None:  # pragma: no cover - the file ships beside this one
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _flat(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [leaf for item in value for leaf in _flat(item)]
    return [value]


def _nested_shape(value: Any) -> tuple[int, ...]:
    if isinstance(value, list):
        return (len(value), *(_nested_shape(value[0]) if value else ()))
    return ()


class _TimeUp(BaseException):
    """The symbolic comparison ran out of time (a BaseException: sympy catches Exception)."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Any:
    def expire(signum: int, frame: Any) -> None:
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, expire)
    # Again every 0.05 s: an exception raised while a gc callback or a __del__ runs is
    # swallowed ("Exception ignored in ..."), so one alarm is not enough.
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.01), 0.05)
    try:
        yield
    finally:
        while True:  # an alarm may still arrive before the timer is off
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                break
            except _TimeUp:
                continue
        signal.signal(signal.SIGALRM, previous)


class Worker:
    """Serves the grader's requests on the pipes: load the submission, call its functions."""

    def __init__(self, fd_in: int, fd_out: int, np: Any, private_user: bool, grammar: Any = None) -> None:
        self.fd_in = fd_in
        self.fd_out = fd_out
        self.module: types.ModuleType | None = None
        self.filename = "<submission>"
        self.np = np
        self.pid = os.getpid()
        self.private_user = private_user
        self.grammar = grammar
        self.formulas: dict[tuple[str, tuple[str, ...]], Any] = {}
        self.armed = False  # a notebook cell is running under its alarm

    def _leave_if_forked(self) -> None:
        """A child that the student's code forked must not go on as a second worker."""
        if os.getpid() != self.pid:
            os._exit(0)

    def _reap_strays(self) -> None:
        """Kill whatever the student's code left running: every other process of this uid."""
        if not self.private_user or os.getuid() == 0:
            return
        with contextlib.suppress(OSError):
            os.kill(-1, signal.SIGKILL)  # as the private uid: only the sandbox's own processes
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return

    def load(self, message: dict[str, Any]) -> dict[str, Any]:
        self.filename = str(message["filename"])
        module = types.ModuleType("submission")
        module.__file__ = self.filename
        sys.modules["submission"] = module
        try:
            code = compile(message["source"], self.filename, "exec")
            exec(code, module.__dict__)
        except SyntaxError as exc:
            self._leave_if_forked()
            return {
                "ok": False,
                "error": {
                    "type": "SyntaxError",
                    "message": exc.msg,
                    "line": exc.lineno,
                    "offset": exc.offset,
                    "text": (exc.text or "").rstrip("\n"),
                    "traceback": "",
                },
            }
        except BaseException as exc:  # sys.exit, KeyboardInterrupt: all are the student's
            self._leave_if_forked()
            return {"ok": False, "error": _error(exc, self.filename)}
        self._leave_if_forked()
        self.module = module
        return self.names()

    def names(self) -> dict[str, Any]:
        names = {}
        namespace = vars(self.module) if self.module is not None else {}
        for name, value in list(namespace.items()):
            if not name.startswith("_") and not isinstance(value, types.ModuleType):
                names[name] = _kind(value)
        return {"ok": True, "names": names}

    def _formula(self, name: str, variables: Any) -> Any:
        """The compiled formula answer `name` (cached); raises the grammar's FormulaError."""
        if self.grammar is None:
            raise _NotReal("formula answers cannot be read here (the grammar did not load)")
        key = (name, tuple(str(v) for v in variables))
        if key not in self.formulas:
            value = getattr(self.module, name, None)
            self.formulas[key] = self.grammar.compile_formula(value, key[1], self.np)
        return self.formulas[key]

    def formula(self, message: dict[str, Any]) -> dict[str, Any]:
        try:
            compiled = self._formula(str(message["name"]), message["variables"])
        except _NotReal as exc:
            return {"ok": False, "message": str(exc)}
        except BaseException as exc:
            self._leave_if_forked()
            if isinstance(exc, self.grammar.FormulaError):
                return {"ok": False, "message": str(exc.message)[:MAX_MESSAGE]}
            text = f"the formula cannot be read: {type(exc).__name__}: {_describe(exc)}"
            return {"ok": False, "message": text}
        return {"ok": True, "shape": list(_nested_shape(compiled.trees))}

    def symbolic(self, message: dict[str, Any]) -> dict[str, Any]:
        """Whether the formula answer equals the reference formula, by sympy's simplify."""
        variables = [str(v) for v in message["variables"]]
        try:
            student = self._formula(str(message["name"]), variables)
            reference = self.grammar.compile_formula(message["reference"], variables, self.np)
        except BaseException as exc:
            self._leave_if_forked()
            return {"equal": None, "reason": f"the formulas cannot be read ({_describe(exc)})"}
        if _nested_shape(student.trees) != _nested_shape(reference.trees):
            return {"equal": None, "reason": "the shapes differ (the shape identity reports it)"}
        try:
            import sympy
        except BaseException as exc:
            return {"equal": None, "reason": f"sympy cannot be imported here ({type(exc).__name__})"}
        seconds = float(message.get("seconds", 3.0))
        differences: list[list[Any]] = []
        try:
            with _time_limit(seconds):
                pairs = zip(_flat(student.sympy(sympy)), _flat(reference.sympy(sympy)), strict=True)
                for index, (got, expected) in enumerate(pairs):
                    difference = sympy.simplify(got - expected)
                    if difference != 0:
                        constant = bool(difference.is_number) and difference.is_zero is False
                        text = str(difference)
                        if len(text) > 60 and difference.is_number:
                            text = f"{sympy.N(difference, 6)!s} (about)"
                        text = text if len(text) <= 300 else text[:297] + "..."
                        differences.append([index, text, constant])
        except _TimeUp:
            return {"equal": None, "reason": f"sympy could not decide within {seconds:g} s"}
        except BaseException as exc:
            self._leave_if_forked()
            return {"equal": None, "reason": f"sympy could not decide ({type(exc).__name__})"}
        return {"equal": not differences, "reason": "", "differences": differences[:8]}
    def _notebook(self) -> types.ModuleType:
        """The namespace the cells share, made on the first cell; `__name__` is Jupyter's."""
        if self.module is None:
            import builtins

            module = types.ModuleType("__main__")
            module.__dict__["__builtins__"] = {**vars(builtins), "display": _display}
            sys.modules["submission"] = module
            self.module = module
        return self.module

    def _alarm(self, signum: int, frame: Any) -> None:
        if self.armed:
            raise _CellTimeout

    def cell(self, message: dict[str, Any]) -> dict[str, Any]:
        """Run one notebook cell in the shared namespace, within its time limit."""
        import linecache

        filename, source = str(message["filename"]), str(message["source"])
        seconds = min(max(float(message["seconds"]), 0.01), 86_400.0)
        module = self._notebook()
        # Registered so that tracebacks show the cell's lines (the cell is no file).
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        self.filename = filename
        try:
            code = compile(source, filename, "exec")
        except SyntaxError as exc:  # and IndentationError
            caret = " " * max(0, (exc.offset or 1) - 1) + "^"
            text = (exc.text or "").rstrip("\n")
            where = f'  File "{filename}", line {exc.lineno}\n'
            return {
                "ok": False,
                "error": {
                    "type": type(exc).__name__,
                    "message": exc.msg,
                    "line": exc.lineno,
                    "traceback": where + (f"    {text}\n    {caret}\n" if text else ""),
                },
            }
        except (ValueError, MemoryError, RecursionError) as exc:  # nested too deeply for the parser
            unparsed = {"type": type(exc).__name__, "message": _describe(exc), "traceback": ""}
            return {"ok": False, "error": unparsed}
        signal.signal(signal.SIGALRM, self._alarm)
        try:
            try:
                self.armed = True
                # Again every 0.2 s: code that catches the first one is interrupted again.
                signal.setitimer(signal.ITIMER_REAL, seconds, 0.2)
                exec(code, module.__dict__)
            finally:
                self.armed = False
                signal.setitimer(signal.ITIMER_REAL, 0)
        except _CellTimeout:
            self._leave_if_forked()
            # No line: where an endless loop is stopped differs from run to run.
            return {
                "ok": False,
                "error": {"type": "Timeout", "message": f"{seconds:g}", "line": None, "traceback": ""},
            }
        except BaseException as exc:  # sys.exit, KeyboardInterrupt: all are the student's
            self._leave_if_forked()
            error = _error(exc, filename)
            # The line is the cell's own, even when a function of an earlier cell raised.
            lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
            error["line"] = lines[-1] if lines else None
            return {"ok": False, "error": error}
        finally:
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
        self._leave_if_forked()
        return {"ok": True}

    def call(self, message: dict[str, Any]) -> dict[str, Any]:
        name = message["name"]
        budget = _Budget()
        if "formula" in message:
            try:
                function = self._formula(name, message["formula"])
            except BaseException as exc:
                self._leave_if_forked()
                error = {"type": "FormulaError", "message": _describe(exc), "traceback": ""}
                return {"results": [{"error": error} for _ in message["batch"]]}
        else:
            function = getattr(self.module, name, None)
        results: list[dict[str, Any]] = []
        for args in message["batch"]:
            results.append(self._one(function, name, args, message["spec"], budget))
            self._leave_if_forked()
        return {"results": results}

    def _one(self, function: Any, name: str, args: list[Any], spec: Any, budget: _Budget) -> dict[str, Any]:
        np = self.np
        try:
            if not callable(function):
                raise _NotReal(f"`{name}` is no longer a function")
            value = function(*[_decode(arg, np) for arg in args])
            self._leave_if_forked()
            return {"value": _convert(value, spec, np, budget)}
        except NotImplementedError:
            return {"missing": True}
        except _NotReal as exc:
            return {"error": {"type": "NotReal", "message": str(exc), "traceback": ""}}
        except BaseException as exc:
            self._leave_if_forked()
            return {"error": _error(exc, self.filename)}

    def serve(self, hello: dict[str, Any]) -> None:
        _send(self.fd_out, {"seq": 0, "hello": True, **hello})
        while True:
            try:
                message = _receive(self.fd_in)
            except EOFError:
                return
            if message.get("op") == "load":
                reply = self.load(message)
            elif message.get("op") == "cell":
                reply = self.cell(message)
            elif message.get("op") == "names":
                reply = self.names()
            elif message.get("op") == "call":
                reply = self.call(message)
            elif message.get("op") == "formula":
                reply = self.formula(message)
            elif message.get("op") == "symbolic":
                reply = self.symbolic(message)
            else:
                reply = {"ok": False}
            self._leave_if_forked()
            self._reap_strays()
            reply["seq"] = message.get("seq")
            _send(self.fd_out, reply)


def main() -> None:
    fd_in, fd_out = int(sys.argv[1]), int(sys.argv[2])
    config = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)  # whatever the student prints goes nowhere
    _limit(config)
    import numpy

    try:
        grammar = _load_grammar()
    except Exception:
        grammar = None  # formula answers are then reported as unreadable; functions still run
    isolation = _isolate(config)
    home = str(isolation.pop("home", os.getcwd()))
    os.environ.update({"HOME": home, "TMPDIR": home})
    if "tempfile" in sys.modules:
        setattr(sys.modules["tempfile"], "tempdir", None)  # noqa: B010 - computed before the move
    _block_grader_imports()
    sys.argv = ["submission"]
    Worker(fd_in, fd_out, numpy, bool(isolation["user"]), grammar).serve({"isolation": isolation})
    os._exit(0)  # the grader has gone: wait for no thread and run no atexit hook of the student's


if __name__ == "__main__":
    main()
