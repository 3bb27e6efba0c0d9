"""The worker: runs a student's code in its own process and answers with plain numbers.

This file is run as a script (`python -I -B main.py FD_IN FD_OUT CONFIG`), never imported
by the grader, and imports nothing from matgrade: the student's code must not reach the
grader's modules (they are blocked from import by blocker.py, and hidden from the file system
when the worker can confine itself).  Everything here runs in the student's process, so nothing
it sends is trusted: the grader parses every reply defensively and judges every value.

Start-up, before any student code runs (see docs/security.md):
1. resource limits (memory, file size, CPU time, processes, open files, no core dumps:
   limits.py);
2. numpy is imported;
3. when started as root with a private uid in CONFIG: a private network (no connections),
   a private root file system (only Python, its libraries and an empty scratch directory,
   on a size-limited tmpfs); in every case Landlock (read Python, write only the scratch
   directory: landlock.py) and a seccomp filter (syscalls.py); then, as root, the private
   unprivileged user, which cannot signal, read or write anything of the grader's (keeping
   CAP_DAC_READ_SEARCH alone where Python is readable only by root: capabilities.py).  Each
   step that the machine refuses is skipped and said in a note (confine.py);
4. the import blocker (blocker.py), then a hello message tells the grader which of these hold.
Until then fds 0, 1 and 2 are /dev/null.  Then 1 and 2 are pointed at the output pipe the grader
gave ("output" in CONFIG: grader/sandbox/capture.py), sys.stdout and sys.stderr are made anew
on them, line-buffered (and C's stdout too), and everything is flushed (Python's streams and
C's stdio) before each reply: what a request printed is in the pipe when its reply is read.

The helpers beside this file (blocker, limits, confine, framing, answers, notebook and the
formula grammar) are loaded by path under private names and kept out of sys.modules, before
any student code runs: this folder is not on sys.path (isolated mode), so no `import` of the
student's can reach them.  Code in this process can still reach any object by other means,
which is why nothing the worker sends is trusted.

Protocol, on two private pipes (framing.py): each message is a 4-byte big-endian length and UTF-8 JSON,
and every reply echoes the request's "seq" so that a stray write cannot pass for a reply.
    (first, unasked) -> {"seq": 0, "hello": true, "isolation": {...}}
    {"seq": n, "op": "load", "source": str, "filename": str}
        -> {"seq": n, "ok": true, "names": {name: kind}} | {"seq": n, "ok": false, "error": {...}}
    {"seq": n, "op": "call", "name": str, "spec": SPEC, "batch": [[ARG, ...], ...]
     (, "formula": [variable, ...])}
        -> {"seq": n, "results": [{"value": VALUE} | {"error": {...}} | {"missing": true}, ...]}
    {"seq": n, "op": "formula", "name": str, "variables": [str, ...]}
        -> {"seq": n, "ok": true, "shape": [...]} | {"seq": n, "ok": false, "message": str}
    {"seq": n, "op": "tree", "name": str, "variables": [str, ...]}
        -> {"seq": n, "ok": true, "tree": TREE} | {"seq": n, "ok": false, "message": str}
A formula answer (a string, a sympy expression or nested lists of them, for the sets scalar and
jacobians) is read by the whitelisted grammar of `grammar.py`; with "formula" a call evaluates
it at the arguments, in the order of the variables.  TREE is the formula as plain data (the
grammar's `tree_of`), which the grader checks again and compares with the reference itself:
no reference formula or value is ever sent here.
    {"seq": n, "op": "cell", "filename": str, "source": str, "seconds": float}
        -> {"seq": n, "ok": true} | {"seq": n, "ok": false, "error": {...}}
    {"seq": n, "op": "names"} -> {"seq": n, "ok": true, "names": {name: kind}}
A notebook is run as one "cell" message per code cell, in order, in one shared namespace
(notebook.py); "names" ends it.
Arguments: {"f": float} | {"i": int} | {"a": shape, "d": flat} | {"l": [ARG, ...]}.
SPEC says what shape of result to expect: "leaf" | ["tuple", [SPEC...]] | ["list", SPEC].
A leaf VALUE is {"shape": [...], "dtype": str, "data": [...]}; tuples and lists are JSON lists
(answers.py reads both ways).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import signal
import sys
import types
from typing import TYPE_CHECKING, Any


def _sibling(name: str) -> Any:
    """The module `name`.py beside this file, loaded by path under a private name.

    It is not put in sys.modules: nothing can `import` it, and no name of the student's
    can shadow it (see the module's docstring).
    """
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"_matgrade_worker_{name}", path)
    if spec is None or spec.loader is None:  # pragma: no cover - the files ship beside this one
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if TYPE_CHECKING:  # for the type checker only; at run time they are loaded by path, below
    from grader.sandbox.worker import answers, blocker, confine, framing, limits, notebook
else:
    answers, blocker, confine, framing, limits, notebook = map(
        _sibling, ("answers", "blocker", "confine", "framing", "limits", "notebook")
    )


def _layer(name: str) -> Any:
    """The confinement layer `name`.py beside this file (landlock, syscalls, capabilities); None
    when it cannot be loaded here, which the worker's notes then say."""
    try:
        return _sibling(name)
    except Exception:
        return None


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
            return {"ok": False, "error": answers.error(exc, self.filename)}
        self._leave_if_forked()
        self.module = module
        return self.names()

    def names(self) -> dict[str, Any]:
        names = {}
        namespace = vars(self.module) if self.module is not None else {}
        for name, value in list(namespace.items()):
            if not name.startswith("_") and not isinstance(value, types.ModuleType):
                names[name] = answers.kind_of(value)
        return {"ok": True, "names": names}

    def _formula(self, name: str, variables: Any) -> Any:
        """The compiled formula answer `name` (cached); raises the grammar's FormulaError."""
        if self.grammar is None:
            raise answers.NotReal("formula answers cannot be read here (the grammar did not load)")
        key = (name, tuple(str(v) for v in variables))
        if key not in self.formulas:
            value = getattr(self.module, name, None)
            self.formulas[key] = self.grammar.compile_formula(value, key[1], self.np)
        return self.formulas[key]

    def formula(self, message: dict[str, Any]) -> dict[str, Any]:
        try:
            compiled = self._formula(str(message["name"]), message["variables"])
        except answers.NotReal as exc:
            return {"ok": False, "message": str(exc)}
        except BaseException as exc:
            self._leave_if_forked()
            if isinstance(exc, self.grammar.FormulaError):
                return {"ok": False, "message": str(exc.message)[:answers.MAX_MESSAGE]}
            text = f"the formula cannot be read: {type(exc).__name__}: {answers.describe(exc)}"
            return {"ok": False, "message": text}
        return {"ok": True, "shape": list(self.grammar.nested_shape(compiled.trees))}

    def tree(self, message: dict[str, Any]) -> dict[str, Any]:
        """The formula answer as plain data, for the grader to compare with the reference."""
        try:
            compiled = self._formula(str(message["name"]), message["variables"])
            return {"ok": True, "tree": compiled.tree()}
        except answers.NotReal as exc:
            return {"ok": False, "message": str(exc)}
        except BaseException as exc:
            self._leave_if_forked()
            return {"ok": False, "message": f"the formula cannot be read ({answers.describe(exc)})"}

    def cell(self, message: dict[str, Any]) -> dict[str, Any]:
        """Run one notebook cell in the namespace the cells share (notebook.py)."""
        if self.module is None:
            self.module = notebook.namespace()
        self.filename = str(message["filename"])
        return notebook.run_cell(message, self.module, answers, self._leave_if_forked)

    def call(self, message: dict[str, Any]) -> dict[str, Any]:
        name = message["name"]
        budget = answers.Budget()
        if "formula" in message:
            try:
                function = self._formula(name, message["formula"])
            except BaseException as exc:
                self._leave_if_forked()
                error = {"type": "FormulaError", "message": answers.describe(exc), "traceback": ""}
                return {"results": [{"error": error} for _ in message["batch"]]}
        else:
            function = getattr(self.module, name, None)
        results: list[dict[str, Any]] = []
        for args in message["batch"]:
            results.append(self._one(function, name, args, message["spec"], budget))
            self._leave_if_forked()
        return {"results": results}

    def _one(
        self, function: Any, name: str, args: list[Any], spec: Any, budget: answers.Budget
    ) -> dict[str, Any]:
        np = self.np
        try:
            if not callable(function):
                raise answers.NotReal(f"`{name}` is no longer a function")
            value = function(*[answers.decode(arg, np) for arg in args])
            self._leave_if_forked()
            return {"value": answers.convert(value, spec, np, budget)}
        except NotImplementedError:
            return {"missing": True}
        except answers.NotReal as exc:
            return {"error": {"type": "NotReal", "message": str(exc), "traceback": ""}}
        except BaseException as exc:
            self._leave_if_forked()
            return {"error": answers.error(exc, self.filename)}

    def serve(self, hello: dict[str, Any], flush: Any = None) -> None:
        framing.send(self.fd_out, {"seq": 0, "hello": True, **hello})
        while True:
            try:
                message = framing.receive(self.fd_in)
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
            elif message.get("op") == "tree":
                reply = self.tree(message)
            else:
                reply = {"ok": False}
            self._leave_if_forked()
            if flush is not None:
                flush()
            self._reap_strays()
            reply["seq"] = message.get("seq")
            framing.send(self.fd_out, reply)


def _capture_output(fd: Any) -> Any:
    """Point fds 1 and 2 at the grader's output pipe `fd`; the function that flushes them.

    Without a file (None) they stay /dev/null and there is nothing to flush.
    """
    if type(fd) is not int or fd < 3:
        return None
    for target in (1, 2):
        os.dup2(fd, target)
    os.close(fd)
    streams = []
    for target in (1, 2):
        binary = open(target, "wb", closefd=False)  # noqa: SIM115 - the worker's stdout/stderr for good
        text = io.TextIOWrapper(binary, encoding="utf-8", errors="backslashreplace", line_buffering=True)
        streams.append(text)
    # sys.__stdout__ and sys.__stderr__ stay Python's own, on the same fds: flushed below too.
    sys.stdout, sys.stderr = streams
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        c_flush = libc.fflush  # what C code wrote with stdio waits in C's buffers till flushed
        # C's stdout line-buffered, as on a terminal: a printf's line is out before a crash.
        libc.setvbuf(ctypes.c_void_p.in_dll(libc, "stdout"), None, 1, 0)  # 1: _IOLBF
    except (ImportError, OSError, AttributeError, ValueError):
        c_flush = None

    def flush() -> None:
        for stream in (sys.stdout, sys.stderr, *streams, sys.__stdout__, sys.__stderr__):
            with contextlib.suppress(BaseException):  # a replacement of the student's: its business
                stream.flush()  # type: ignore[union-attr]  # None raises, and is passed over
        if c_flush is not None:
            c_flush(None)

    return flush


def _move_home(old: str, home: str) -> None:
    """HOME, TMPDIR and every cache path under the old home (launch.py) now under `home`."""
    os.environ.update({"HOME": home, "TMPDIR": home})
    if not old or old == home:
        return
    for key, value in list(os.environ.items()):
        if value.startswith(old.rstrip("/") + "/"):
            os.environ[key] = home + value[len(old.rstrip("/")) :]


def main() -> None:
    fd_in, fd_out = int(sys.argv[1]), int(sys.argv[2])
    config = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)  # until 1 and 2 go to the output pipe (_capture_output)
    limits.apply_limits(config)
    import numpy

    try:
        grammar = _sibling("grammar")
    except Exception:
        grammar = None  # formula answers are then reported as unreadable; functions still run
    isolation = confine.isolate(
        config,
        blocker.BLOCKED,
        landlock=_layer("landlock"),
        syscalls=_layer("syscalls"),
        capabilities=_layer("capabilities"),
    )
    isolation["root"] = os.geteuid() == 0  # what holds as student code starts, whatever was tried
    home = str(isolation.pop("home", os.getcwd()))
    _move_home(os.environ.get("HOME", ""), home)
    if "tempfile" in sys.modules:
        setattr(sys.modules["tempfile"], "tempdir", None)  # noqa: B010 - computed before the move
    blocker.block_grader_imports()
    sys.argv = ["submission"]
    flush = _capture_output(config.get("output"))
    try:
        Worker(fd_in, fd_out, numpy, bool(isolation["user"]), grammar).serve({"isolation": isolation}, flush)
    except BaseException:
        os._exit(1)  # as before, but without the worker's own traceback in the student's output
    os._exit(0)  # the grader has gone: wait for no thread and run no atexit hook of the student's


if __name__ == "__main__":
    main()
