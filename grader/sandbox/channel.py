"""The two pipes to one worker: framed JSON both ways, and every wait under a deadline.

A message is a 4-byte big-endian length and UTF-8 JSON (the worker's side: worker/framing.py).
Every request carries a sequence number that its reply must echo, so that a stray write (the
student's code writing into the pipe, or a process it left behind) cannot pass for a reply.
A reply is at most MAX_REPLY bytes and is parsed as JSON only, never unpickled.  Whatever
goes wrong raises `WorkerGone` with the reason in words; killing the worker is the caller's.
"""

from __future__ import annotations

import json
import os
import select
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grader.sandbox.capture import Capture

__all__ = ["MAX_REPLY", "Channel", "WorkerGone"]

MAX_REPLY = 16 * 1024 * 1024


class WorkerGone(Exception):
    """The worker gave no usable answer: it died, hung, overran, or wrote something else."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Channel:
    """The pipes to one worker; `why_gone` says why it stopped when a pipe closes.

    `output`, when given, is the pipe of what the student's code prints: drained whenever the
    channel waits, so that a worker blocked on a full output pipe goes on.
    """

    def __init__(
        self, to_worker: int, from_worker: int, why_gone: Callable[[], str], output: Capture | None = None
    ) -> None:
        self.to_worker = to_worker
        self.from_worker = from_worker
        self.why_gone = why_gone
        self.output = output
        self.seq = 0

    def _wait(self, read: list[int], write: list[int], seconds: float) -> tuple[list[int], list[int]]:
        """select() on the pipes, draining the output pipe while it is open."""
        output = self.output
        watched = [*read, output.fd] if output is not None and output.fd >= 0 else read
        ready, writable, _ = select.select(watched, write, [], seconds)
        if output is not None and output.fd in ready and not output.drain():
            self.output = None  # every writer closed it (the student closed fds 1 and 2)
        return [fd for fd in ready if fd in read], writable

    def close(self) -> None:
        """Close both pipes (once)."""
        for fd in (self.to_worker, self.from_worker):
            if fd >= 0:
                os.close(fd)
        self.to_worker = self.from_worker = -1

    def exchange(self, message: dict[str, Any], seconds: float, timeout: str) -> dict[str, Any]:
        """Send `message` and return the worker's reply to it; WorkerGone(timeout) past `seconds`."""
        self.seq += 1
        data = json.dumps({**message, "seq": self.seq}).encode("utf-8")
        deadline = time.monotonic() + seconds
        self._write(len(data).to_bytes(4, "big") + data, deadline, timeout)
        reply = self.receive(deadline, timeout)
        for _ in range(100):
            # A well-framed reply to an earlier request is stale: the student's code wrote
            # an answer of its own into the pipe before the worker's.  Skip it.
            seq = reply.get("seq") if isinstance(reply, dict) else None
            if not (type(seq) is int and 0 < seq < self.seq):
                break
            reply = self.receive(deadline, timeout)
        if not isinstance(reply, dict) or reply.get("seq") != self.seq:
            # Something else wrote into the pipe: the student's code, or a process it left.
            raise WorkerGone("sent a malformed reply (did the code write into the grader's pipe?)")
        return reply

    def receive(self, deadline: float, timeout: str) -> Any:
        """The next message from the worker, parsed as JSON (not yet checked)."""
        size = int.from_bytes(self._read(4, deadline, timeout), "big")
        if size > MAX_REPLY:
            raise WorkerGone("sent an oversized reply")
        body = self._read(size, deadline, timeout)
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise WorkerGone("sent a malformed reply") from None

    def _write(self, data: bytes, deadline: float, timeout: str) -> None:
        view = memoryview(data)
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerGone(timeout)
            _, ready = self._wait([], [self.to_worker], remaining)
            if not ready:
                continue
            try:
                written = os.write(self.to_worker, view[: 1 << 16])
            except OSError:
                raise WorkerGone(self.why_gone()) from None
            view = view[written:]

    def _read(self, size: int, deadline: float, timeout: str) -> bytes:
        chunks: list[bytes] = []
        while size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerGone(timeout)
            ready, _ = self._wait([self.from_worker], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.from_worker, min(size, 1 << 20))
            if not chunk:
                raise WorkerGone(self.why_gone())
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)
