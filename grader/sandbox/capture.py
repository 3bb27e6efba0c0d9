"""Capture: the file the worker's stdout and stderr go to, read by the grader after each request.

The grader makes the file (a memfd: in memory, with no name in any file system, so no path
of the grader's is read or written) and gives it to each worker it starts, which points its
file descriptors 1 and 2 at it just before the first request (worker/main.py).  A write of
the student's code, from Python, C or a subprocess, lands in it; the worker flushes its
streams before it replies, so a reply finds all of its request's output in the file.

After each request the grader reads at most SHOWN_BYTES of the file, counts the rest and
empties it: the file never holds more than one request's output, and the worker's limit on
file size (`Limits.file_mb`) bounds that.  What is collected adds up until it is taken
(`take`): the output of a load, or of one exercise's requests.  Nothing read here is trusted:
protocol.output_of decodes and bounds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile

from grader.sandbox.protocol import output_of
from grader.student_output import SHOWN_BYTES, StudentOutput

__all__ = ["Capture"]


def _anonymous_file() -> int:
    """A read-write file with no name, in append mode (a memfd where the system has one)."""
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("matgrade-output", os.MFD_CLOEXEC)
    else:  # pragma: no cover - macOS: an unlinked temporary file
        with tempfile.TemporaryFile() as handle:
            fd = os.dup(handle.fileno())
    # Appending: every write lands at the end, whatever offset the worker's processes hold.
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_APPEND)
    return fd


class Capture:
    """The output file of one Sandbox's workers, and what was collected from it so far."""

    def __init__(self) -> None:
        self.fd = _anonymous_file()
        self._head = bytearray()
        self._total = 0
        self._stopped = False

    def collect(self, *, keep: bool = True, stopped: bool = False) -> None:
        """Move what the file holds into the collected output (or drop it: `keep=False`), empty it.

        `stopped`: the worker was stopped in the middle of the request (a timeout).
        """
        if self.fd < 0:
            return
        try:
            size = os.fstat(self.fd).st_size
            if keep and size > 0:
                room = SHOWN_BYTES - len(self._head)
                if room > 0:
                    self._head += os.pread(self.fd, min(room, size), 0)
                self._total += size
                self._stopped = self._stopped or stopped
            os.ftruncate(self.fd, 0)
            os.lseek(self.fd, 0, os.SEEK_SET)
        except OSError:
            return

    def take(self) -> StudentOutput | None:
        """Everything collected (and what the file still holds) as StudentOutput; then start anew."""
        self.collect()
        output = output_of(bytes(self._head), self._total, stopped=self._stopped)
        self._head = bytearray()
        self._total = 0
        self._stopped = False
        return output

    def close(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1
