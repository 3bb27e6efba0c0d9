"""Capture: the pipe the worker's stdout and stderr go to, drained by the grader.

The grader makes a pipe for each worker it starts and keeps the read end; the worker points
its file descriptors 1 and 2 at the write end just before the first request (worker/main.py).
A write of the student's code, from Python, C or a subprocess, goes into it.  The grader
drains it whenever it waits on the worker (channel.py), so a flood never blocks the worker
for long nor fills a file, and once more after each reply: the worker flushes its streams
before it replies, so a request's output is all in the pipe by then.  After a crash or a
kill, what the worker wrote before it died is still in the pipe and is read too.

Of what is drained, the first SHOWN_BYTES are kept and the rest only counted; it adds up
until it is taken (`take`): the output of a load, or of one exercise's requests.  Nothing
read here is trusted: protocol.output_of decodes and bounds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os

from grader.sandbox.protocol import output_of
from grader.student_output import SHOWN_BYTES, StudentOutput

__all__ = ["Capture"]

_PIPE_BYTES = 1 << 20  # a larger pipe: fewer reads of a flood (Linux; else the default 64 KiB)


class Capture:
    """The output pipe of one Sandbox's current worker, and what was drained from it so far.

    `quiet`: what is drained now is dropped (a worker being restarted loads the file again).
    """

    def __init__(self) -> None:
        self.fd = -1
        self.quiet = False
        self._head = bytearray()
        self._total = 0
        self._stopped = False

    def open(self) -> int:
        """A new pipe for a new worker; its write end, for the caller to pass on and close."""
        self.close()
        read_end, write_end = os.pipe()
        os.set_blocking(read_end, False)
        with contextlib.suppress(OSError, AttributeError):
            fcntl.fcntl(read_end, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
        self.fd = read_end
        return write_end

    def drain(self) -> bool:
        """Read what the pipe holds now; False once every writer has closed it (or it is closed)."""
        while self.fd >= 0:
            try:
                chunk = os.read(self.fd, _PIPE_BYTES)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not chunk:
                return False
            if not self.quiet:
                room = SHOWN_BYTES - len(self._head)
                if room > 0:
                    self._head += chunk[:room]
                self._total += len(chunk)
        return False

    def stopped(self) -> None:
        """The worker was stopped in the middle of a request (a timeout): do not count what it printed."""
        if not self.quiet:
            self._stopped = True

    def take(self) -> StudentOutput | None:
        """Everything drained (and what the pipe still holds) as StudentOutput; then start anew."""
        self.drain()
        output = output_of(bytes(self._head), self._total, stopped=self._stopped)
        self._head = bytearray()
        self._total = 0
        self._stopped = False
        return output

    def close(self) -> None:
        """Drain the pipe of a worker that is gone, and close it."""
        if self.fd >= 0:
            self.drain()
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1
