"""The worker's side of the pipes: each message a 4-byte big-endian length and UTF-8 JSON.

The grader's side is grader/sandbox/channel.py; the messages are listed in worker/main.py.
"""

from __future__ import annotations

import json
import os
from typing import Any


def _read_exact(fd: int, n: int) -> bytes:
    chunks = []
    while n:
        chunk = os.read(fd, n)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def receive(fd: int) -> Any:
    """The next request; EOFError when the grader has closed the pipe."""
    size = int.from_bytes(_read_exact(fd, 4), "big")
    return json.loads(_read_exact(fd, size).decode("utf-8"))


def send(fd: int, message: dict[str, Any]) -> None:
    """Write one message whole."""
    data = json.dumps(message, allow_nan=True).encode("utf-8")
    data = len(data).to_bytes(4, "big") + data
    while data:
        written = os.write(fd, data)
        data = data[written:]

