"""Reading returns where a native library's crash cannot take the run down.

The readers underneath (calamine, a Rust library; the XML parser) are bounded by the intake
checks, but a file built to hurt may still find a way to abort one or eat the machine's
memory. So a run's files are read in one child process, with a memory limit: if a file
kills it, that file is refused as unsafe to read, a new child takes the files after it,
and the run goes on and publishes. One child for all of a run's files, so sixty returns
cost one start-up, not sixty.

The child is a fresh interpreter running this module (`python -m reporting.intake.isolated`),
spoken to in pickled frames over its stdin and stdout: it needs nothing of the caller's own
program, so it works the same under a flow, the command line, a notebook or a test.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
from pathlib import Path

from reporting.intake.files import Unreadable
from reporting.settings import IntakeSettings

# How long one file may take to read before it is given up as built to hurt.
SECONDS_PER_FILE = 120
CHILD = [sys.executable, "-m", "reporting.intake.isolated"]
_FRAME = struct.Struct(">Q")


def _send(stream, value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_FRAME.pack(len(data)) + data)
    stream.flush()


def _receive(stream) -> object:
    head = stream.read(_FRAME.size)
    if len(head) < _FRAME.size:
        raise EOFError("the reader stopped")
    (size,) = _FRAME.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the reader stopped")
    return pickle.loads(data)  # noqa: S301  (our own child's frames, over a private pipe)


def _limit_memory(megabytes: int) -> None:
    try:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this system: read without a limit
        pass


def die_with_parent() -> None:
    """In a child about to run: ask Linux to stop it (SIGTERM) when its parent dies, even by
    kill -9, so nothing started for a run outlives it. Elsewhere, nothing."""
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def serve(stdin=None, stdout=None) -> None:
    """The child: read each path it is sent and send back the Return (or why not)."""
    from reporting.intake.returns import read_return

    stdin = stdin or sys.stdin.buffer
    if stdout is None:
        # The frames go out on a copy of stdout; anything a library prints goes to stderr.
        stdout = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1)
    settings: IntakeSettings = _receive(stdin)
    _limit_memory(settings.reader_memory_mb)
    while True:
        try:
            path = _receive(stdin)
        except EOFError:
            return
        if path is None:
            return
        try:
            _send(stdout, read_return(Path(path), settings))
        except MemoryError:
            _send(stdout, Unreadable(
                f"reading the file needed more than {settings.reader_memory_mb:,} MB",
                "copy the return table into a new workbook, save and send it again"))


class IsolatedReader:
    """Reads returns in a child process; `read(path)` gives the Return, or Unreadable."""

    def __init__(self, settings: IntakeSettings, command: list[str] | None = None) -> None:
        self.settings = settings
        self.command = command or CHILD  # what the child runs (a test may give one that crashes)
        self.child: subprocess.Popen | None = None

    def _start(self) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (str(Path(__file__).resolve().parents[2]),
                        os.environ.get("PYTHONPATH", "")) if p)}
        self.child = subprocess.Popen(self.command, stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, env=env,
                                      preexec_fn=die_with_parent)
        _send(self.child.stdin, self.settings)

    def _stop(self, kill: bool = False) -> None:
        if self.child is None:
            return
        if not kill:
            try:
                _send(self.child.stdin, None)
            except OSError:
                pass
        for stream in (self.child.stdin, self.child.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            self.child.wait(1 if kill else 5)
        except subprocess.TimeoutExpired:
            pass
        if self.child.poll() is None:
            self.child.kill()
            self.child.wait(5)
        self.child = None

    def _answer(self):
        """Wait for the child's answer, up to SECONDS_PER_FILE."""
        import select

        ready, _, _ = select.select([self.child.stdout], [], [], SECONDS_PER_FILE)
        if not ready:
            return None
        return _receive(self.child.stdout)

    def read(self, path: Path):
        if self.child is None:
            self._start()
        try:
            _send(self.child.stdin, str(path))
            answer = self._answer()
            if answer is None:
                self._stop(kill=True)
                return Unreadable(
                    f"the file took more than {SECONDS_PER_FILE} seconds to read, far longer "
                    "than a return can need",
                    "copy the return table into a new workbook, save and send it again")
            return answer
        except (EOFError, OSError, pickle.UnpicklingError):
            self.child.poll()
            code = self.child.returncode
            self._stop(kill=True)
            return Unreadable(
                "the file made the spreadsheet reader stop"
                + (f" (exit {code})" if code is not None else "")
                + ", so it may be damaged or built to do harm; it was not read",
                "copy the return table into a new workbook, save and send it again")

    def __enter__(self) -> IsolatedReader:
        return self

    def __exit__(self, *exc) -> None:
        self._stop()


def read_isolated(paths: list[Path], settings: IntakeSettings, refused) -> list:
    """Give the Return of each path, read in one child process; a file that kills the
    reader (or takes too long) becomes `refused(path, why)`, and the others are still read."""
    found = []
    with IsolatedReader(settings) as reader:
        for path in paths:
            result = reader.read(path)
            found.append(refused(path, result) if isinstance(result, Unreadable) else result)
    return found


if __name__ == "__main__":
    serve()
