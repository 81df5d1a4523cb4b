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

Each frame names one file: a plain path is a return, read with `read_return`; a frame
`(reader, path, what)` has it read by `reader(path, settings)` instead, a module-level
function the child imports by its name (so `reporting plan import` has a published plan's
tables read here by `plan_import.read_tables`, and this module needs to know nothing of it).
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
# What the officer is told to do with a file the child could not read, by the kind of job.
_FIX = {
    "return": "copy the return table into a new workbook, save and send it again",
    "plan": "copy the plan's table into Word or Excel, save it as .docx or .xlsx and "
            "import that",
}


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


def _job(request: object) -> tuple[object, Path, str]:
    """Give (reader, path, what is read) of a request: a plain path is a return."""
    if isinstance(request, tuple):
        reader, path, what = request
        return reader, Path(path), what
    return None, Path(request), "return"


def _run(reader, path: Path, settings: IntakeSettings):
    """Do one job in the child: the reader's answer, or by default the Return."""
    if reader is not None:
        return reader(path, settings)
    # Looked up at each job, so a test can put a reader in its place before serve().
    from reporting.intake import returns

    return returns.read_return(path, settings)


def serve(stdin=None, stdout=None) -> None:
    """The child: read each file it is sent and send back the Return or tables (or why not)."""
    stdin = stdin or sys.stdin.buffer
    if stdout is None:
        # The frames go out on a copy of stdout; anything a library prints goes to stderr.
        stdout = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1)
    settings: IntakeSettings = _receive(stdin)
    _limit_memory(settings.reader_memory_mb)
    while True:
        try:
            request = _receive(stdin)
        except EOFError:
            return
        if request is None:
            return
        reader, path, what = _job(request)
        try:
            _send(stdout, _run(reader, path, settings))
        except MemoryError:
            _send(stdout, Unreadable(
                f"reading the file needed more than {settings.reader_memory_mb:,} MB",
                _FIX.get(what, _FIX["return"])))


class IsolatedReader:
    """Reads returns in a child process; `read(path)` gives the Return, or Unreadable.

    `read(path, reader, "plan")` has the child read the file with `reader` (a module-level
    function taking the path and the settings) and gives its answer instead."""

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

    def read(self, path: Path, reader=None, what: str = "return"):
        if self.child is None:
            self._start()
        fix = _FIX.get(what, _FIX["return"])
        try:
            _send(self.child.stdin, str(path) if reader is None else (reader, str(path), what))
            answer = self._answer()
            if answer is None:
                self._stop(kill=True)
                return Unreadable(
                    f"the file took more than {SECONDS_PER_FILE} seconds to read, far longer "
                    f"than a {what} can need", fix)
            return answer
        except (EOFError, OSError, pickle.UnpicklingError):
            self.child.poll()
            code = self.child.returncode
            self._stop(kill=True)
            return Unreadable(
                "the file made the spreadsheet reader stop"
                + (f" (exit {code})" if code is not None else "")
                + ", so it may be damaged or built to do harm; it was not read", fix)

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
