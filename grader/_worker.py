"""The worker: runs a student's code in its own process and answers with plain numbers.

This file is run as a script (`python -I _worker.py FD_IN FD_OUT`), never imported by the
grader, and imports nothing from matgrade: the student's code must not reach the grader's
modules (they are also blocked from import below).  Everything here runs in the student's
process, so nothing it sends is trusted: the grader parses every reply defensively.

Protocol, on two private pipes: each message is a 4-byte big-endian length and UTF-8 JSON.
    {"op": "load", "source": str, "filename": str}
        -> {"ok": true, "names": {name: kind}} | {"ok": false, "error": {...}}
    {"op": "call", "name": str, "spec": SPEC, "batch": [[ARG, ...], ...]}
        -> {"results": [{"value": VALUE} | {"error": {...}} | {"missing": true}, ...]}
Arguments: {"f": float} | {"i": int} | {"a": shape, "d": flat} | {"l": [ARG, ...]}.
SPEC says what shape of result to expect: "leaf" | ["tuple", [SPEC...]] | ["list", SPEC].
A leaf VALUE is {"shape": [...], "dtype": str, "data": [...]}; tuples and lists are JSON lists.
"""

import json
import os
import sys
import traceback
import types

BLOCKED = ("grader", "reference", "exercises", "matgrade")
MAX_ELEMENTS = 1_000_000
MAX_MESSAGE = 2_000


class _Blocker:
    """A meta-path finder that refuses matgrade's own packages to student code."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"the grader's module {name!r} cannot be imported by a submission")
        return None


def _read_exact(fd, n):
    chunks = []
    while n:
        chunk = os.read(fd, n)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _receive(fd):
    size = int.from_bytes(_read_exact(fd, 4), "big")
    return json.loads(_read_exact(fd, size).decode("utf-8"))


def _send(fd, message):
    data = json.dumps(message, allow_nan=True).encode("utf-8")
    data = len(data).to_bytes(4, "big") + data
    while data:
        written = os.write(fd, data)
        data = data[written:]


def _decode(arg, np):
    if "f" in arg:
        return float(arg["f"])
    if "i" in arg:
        return int(arg["i"])
    if "a" in arg:
        return np.array(arg["d"], dtype=np.float64).reshape(arg["a"])
    return [_decode(item, np) for item in arg["l"]]


class _NotReal(Exception):
    """The returned value cannot be read as a real array."""


def _leaf(value, np):
    if value is None:
        raise _NotReal("returned None (is a `return` statement missing?)")
    try:
        array = np.asarray(value)
    except Exception as exc:
        raise _NotReal(f"returned a {type(value).__name__} that is not an array ({exc})") from None
    if not isinstance(array, np.ndarray):
        raise _NotReal(f"returned a {type(value).__name__} that is not an array")
    kind = array.dtype.kind
    if kind == "c":
        raise _NotReal("returned complex numbers; the answer is real")
    if kind not in "biuf":
        try:
            array = array.astype(np.float64)
        except Exception:
            raise _NotReal(f"returned {array.dtype} values, not real numbers") from None
    if array.size > MAX_ELEMENTS:
        raise _NotReal(f"returned an array of {array.size} elements, far more than asked for")
    dtype = array.dtype.name if array.dtype.kind == "f" else "float64"
    data = np.ndarray.tolist(np.asarray(array, dtype=np.float64).ravel())
    return {"shape": list(array.shape), "dtype": dtype, "data": data}


def _convert(value, spec, np):
    if spec == "leaf":
        return _leaf(value, np)
    kind, inner = spec
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__"):
        raise _NotReal(f"returned a {type(value).__name__}, not a {kind} of results")
    items = list(value)
    if kind == "tuple":
        if len(items) != len(inner):
            raise _NotReal(f"returned {len(items)} results; {len(inner)} were asked for, in order")
        return [_convert(item, sub, np) for item, sub in zip(items, inner, strict=True)]
    return [_convert(item, inner, np) for item in items]


def _error(exc, filename):
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    lines = traceback.format_list(frames) if frames else []
    return {
        "type": type(exc).__name__,
        "message": str(exc)[:MAX_MESSAGE],
        "traceback": "".join(lines)[-MAX_MESSAGE * 2 :],
        "line": frames[-1].lineno if frames else None,
    }


def _kind(value):
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType)) or callable(value):
        return "function"
    if isinstance(value, (str, int, float, list, tuple)):
        return "formula"
    if type(value).__module__.startswith("sympy"):
        return "formula"
    return "other"


class Worker:
    def __init__(self, fd_in, fd_out):
        self.fd_in = fd_in
        self.fd_out = fd_out
        self.module = None
        self.filename = "<submission>"
        self.np = None

    def load(self, message):
        import numpy

        self.np = numpy
        self.filename = message["filename"]
        module = types.ModuleType("submission")
        module.__file__ = self.filename
        sys.modules["submission"] = module
        try:
            code = compile(message["source"], self.filename, "exec")
            exec(code, module.__dict__)
        except SyntaxError as exc:
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
            return {"ok": False, "error": _error(exc, self.filename)}
        self.module = module
        names = {}
        for name, value in list(vars(module).items()):
            if not name.startswith("_") and not isinstance(value, types.ModuleType):
                names[name] = _kind(value)
        return {"ok": True, "names": names}

    def call(self, message):
        np = self.np
        function = getattr(self.module, message["name"], None)
        results = []
        for args in message["batch"]:
            try:
                value = function(*[_decode(arg, np) for arg in args])
                results.append({"value": _convert(value, message["spec"], np)})
            except NotImplementedError:
                results.append({"missing": True})
            except _NotReal as exc:
                results.append({"error": {"type": "NotReal", "message": str(exc), "traceback": ""}})
            except BaseException as exc:
                results.append({"error": _error(exc, self.filename)})
        return {"results": results}

    def serve(self):
        while True:
            try:
                message = _receive(self.fd_in)
            except EOFError:
                return
            if message["op"] == "load":
                reply = self.load(message)
            elif message["op"] == "call":
                reply = self.call(message)
            else:
                reply = {"ok": False}
            _send(self.fd_out, reply)


def main():
    fd_in, fd_out = int(sys.argv[1]), int(sys.argv[2])
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    sys.meta_path.insert(0, _Blocker())
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED:
            del sys.modules[name]
    sys.argv = ["submission"]
    Worker(fd_in, fd_out).serve()


if __name__ == "__main__":
    main()
