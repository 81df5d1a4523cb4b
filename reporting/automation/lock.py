"""One run per period and paper at a time: an advisory lock on a file in the outputs folder.

The lock is `flock` on an open file, so the operating system lets go of it the moment the
holding process ends, however it ends: a run killed half-way never leaves a stale lock
behind. The file also says who holds it, so a second run can say what it is waiting for.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from datetime import datetime
from pathlib import Path

from reporting.errors import ReportingError


class RunInProgress(ReportingError, RuntimeError):
    """Another run of the same report holds the lock."""


class RunLock:
    """A held lock on `path`; release it with `release()` or by leaving the `with` block."""

    def __init__(self, path: Path, handle) -> None:
        self.path = path
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _holder(path: Path) -> str:
    try:
        who = json.loads(path.read_text(encoding="utf-8"))
        return f"process {who['pid']} on {who['host']}, started {who['since']}"
    except (OSError, ValueError, KeyError):
        return "another process"


def acquire(path: Path, what: str, wait_seconds: float = 0.0, poll_seconds: float = 0.5) -> RunLock:
    """Give the lock on `path` for the run described by `what`, waiting up to `wait_seconds`.

    Raises RunInProgress, naming the holder, when the lock is still held after the wait.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
    deadline = time.monotonic() + max(wait_seconds, 0.0)
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                handle.close()
                waited = f"; gave up after waiting {wait_seconds:g} s" if wait_seconds > 0 else ""
                raise RunInProgress(
                    f"another run of {what} is in progress ({_holder(path)}){waited}"
                ) from None
            time.sleep(poll_seconds)
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                             "since": datetime.now().astimezone().isoformat(timespec="seconds"),
                             "run": what}))
    handle.flush()
    return RunLock(path, handle)
