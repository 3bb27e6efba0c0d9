"""A seccomp filter: the system calls that student code never needs, refused (libseccomp).

Everything is allowed but what lets one process reach into another, change what it can see,
or hold memory outside its limits; those fail with an error (EPERM), never a kill, so that a
library that tries one degrades cleanly:
- reaching another process: ptrace, process_vm_readv/writev, pidfd_getfd, kcmp;
- changing the view: mount and the new mount API, pivot_root, unshare, setns, and clone with
  any CLONE_NEW* flag (clone3, whose flags a filter cannot read, says ENOSYS: glibc then
  falls back to clone);
- the kernel's other doors: keyctl, add_key, request_key, bpf, io_uring, userfaultfd,
  perf_event_open, open_by_handle_at (the way past a path-based rule with CAP_DAC_READ_SEARCH),
  and module, kexec, reboot and swap calls;
- memory outside RLIMIT_AS: memfd_create, memfd_secret and System V shared memory;
- the network: socket and socketpair of any family but AF_UNIX (EAFNOSUPPORT).
The set*id calls stay allowed: the worker switches uid after the filter, and without
capabilities they cannot give root back.  A system call of another ABI (i386 on x86_64) kills
the process, as libseccomp does by default.

The filter is built by the PyPI package `pyseccomp` (ctypes over libseccomp.so.2, the API of
libseccomp's own bindings), imported by `prepare` before Landlock closes anything.
"""

from __future__ import annotations

import errno
from typing import Any

_REFUSED = (
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
    "mount", "umount2", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
    "mount_setattr", "pivot_root", "unshare", "setns",
    "keyctl", "add_key", "request_key", "bpf", "userfaultfd", "perf_event_open",
    "io_uring_setup", "io_uring_enter", "io_uring_register", "open_by_handle_at",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load", "reboot",
    "swapon", "swapoff",
    "memfd_create", "memfd_secret", "shmget", "shmat", "shmctl",
)  # fmt: skip
_CLONE_NEW = {
    "CLONE_NEWTIME": 0x00000080,
    "CLONE_NEWNS": 0x00020000,
    "CLONE_NEWCGROUP": 0x02000000,
    "CLONE_NEWUTS": 0x04000000,
    "CLONE_NEWIPC": 0x08000000,
    "CLONE_NEWUSER": 0x10000000,
    "CLONE_NEWPID": 0x20000000,
    "CLONE_NEWNET": 0x40000000,
}
_AF_UNIX = 1


def prepare() -> Any:
    """The filter, built but not loaded; raises ImportError or OSError when it cannot be.

    Importing pyseccomp finds and loads libseccomp.so.2, so this runs while the whole file
    system is still readable.
    """
    import pyseccomp as seccomp

    refuse = seccomp.ERRNO(errno.EPERM)
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for name in _REFUSED:
        if seccomp.resolve_syscall(seccomp.Arch.NATIVE, name) < 0:
            continue  # not a system call of this architecture (libseccomp's table says)
        rules.add_rule(refuse, name)
    for flag in _CLONE_NEW.values():
        rules.add_rule(refuse, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    for call in ("socket", "socketpair"):
        rules.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), call, seccomp.Arg(0, seccomp.NE, _AF_UNIX))
    rules.set_attr(seccomp.Attr.CTL_TSYNC, 1)  # every thread of the worker, not only this one
    rules.set_attr(seccomp.Attr.ACT_BADARCH, seccomp.KILL_PROCESS)  # int 0x80 on x86_64, say
    return rules


def install(rules: Any) -> None:
    """Load the filter for this process and all it starts, for good; OSError when refused."""
    rules.load()
