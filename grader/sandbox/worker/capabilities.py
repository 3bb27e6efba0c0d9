"""The switch to the private uid that keeps one capability, CAP_DAC_READ_SEARCH, and no other.

Needed where Python itself is not readable by other users (a pyenv under /root, mode 700) and
no private root file system could be built: the private uid could not even start numpy.  The
capability reads and searches past file modes; it is kept only where Landlock bounds what it
can read (Python's paths, nothing of the grader's) and seccomp refuses open_by_handle_at, the
known way past a path-based rule (confine.py decides).  It is never in the bounding, inheritable
or ambient set, so a program the student's code starts does not get it back.

Order (capabilities(7)): drop every other capability from the bounding set (needs
CAP_SETPCAP, still held), clear the ambient set, PR_SET_KEEPCAPS, switch gid and uid (the
permitted set survives, the effective one is emptied), then `cap_set_proc` of
"cap_dac_read_search=ep" through libcap (libcap.so.2), and check in /proc/self/status.
"""

from __future__ import annotations

import ctypes
import os
from typing import Any

KEPT = "dac_read_search"
_CAP_DAC_READ_SEARCH = 2
_PR_SET_KEEPCAPS, _PR_CAPBSET_DROP, _PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL = 8, 24, 47, 4


class Libcap:
    """libcap.so.2 and the number of the last capability, loaded while all is readable."""

    def __init__(self) -> None:
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.libcap = ctypes.CDLL("libcap.so.2", use_errno=True)
        self.libcap.cap_from_text.restype = ctypes.c_void_p
        self.libcap.cap_from_text.argtypes = [ctypes.c_char_p]
        self.libcap.cap_set_proc.argtypes = [ctypes.c_void_p]
        self.libcap.cap_free.argtypes = [ctypes.c_void_p]
        try:
            with open("/proc/sys/kernel/cap_last_cap") as file:
                self.last = int(file.read())
        except (OSError, ValueError):
            self.last = 63

    def prctl(self, option: int, value: int) -> None:
        c_ulong = ctypes.c_ulong
        if self.libc.prctl(option, c_ulong(value), c_ulong(0), c_ulong(0), c_ulong(0)) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"prctl({option}): {os.strerror(errno)}")

    def set_proc(self, text: str) -> None:
        caps = self.libcap.cap_from_text(text.encode())
        if not caps:
            raise OSError(ctypes.get_errno(), f"cap_from_text({text!r}) failed")
        try:
            if self.libcap.cap_set_proc(caps) != 0:
                errno = ctypes.get_errno()
                raise OSError(errno, f"cap_set_proc({text!r}): {os.strerror(errno)}")
        finally:
            self.libcap.cap_free(caps)


def become_keeping_read_search(libcap: Libcap, uid: int) -> None:
    """Switch to `uid` for good, holding CAP_DAC_READ_SEARCH only; OSError when any step fails.

    On failure the caller must not run student code (it may be half switched).
    """
    for cap in range(libcap.last + 1):
        if cap != _CAP_DAC_READ_SEARCH:
            try:
                libcap.prctl(_PR_CAPBSET_DROP, cap)
            except OSError as exc:
                if exc.errno != 22:  # EINVAL: a capability this kernel does not have
                    raise
    libcap.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL)
    libcap.prctl(_PR_SET_KEEPCAPS, 1)
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    libcap.set_proc(f"cap_{KEPT}=ep")
    libcap.prctl(_PR_SET_KEEPCAPS, 0)
    held = sets_held()
    wanted = 1 << _CAP_DAC_READ_SEARCH
    if held != {"CapInh": 0, "CapPrm": wanted, "CapEff": wanted, "CapBnd": wanted, "CapAmb": 0}:
        raise OSError(1, f"the capability sets are not as asked: {held}")


def sets_held() -> dict[str, Any]:
    """This process's capability sets from /proc/self/status, as integers."""
    held: dict[str, Any] = {}
    with open("/proc/self/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
                held[name] = int(value.strip(), 16)
    return held
