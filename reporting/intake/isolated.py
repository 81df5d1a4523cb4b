"""Reading returns where a native library's crash cannot take the run down.

The readers underneath (calamine, a Rust library; the XML parser) are bounded by the intake
checks, but a file built to hurt may still find a way to abort one or eat the machine's
memory. So a run's files are read in one child process, with a memory limit: if a file
kills it, that file is refused as unsafe to read, a new child takes the files after it,
and the run goes on and publishes. One child for all of a run's files, so sixty returns
cost one start-up, not sixty.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path

from reporting.intake.files import Unreadable
from reporting.settings import IntakeSettings

# How long one file may take to read before it is given up as built to hurt.
SECONDS_PER_FILE = 120


def _limit_memory(megabytes: int) -> None:
    try:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this system: read without a limit
        pass


def _serve(connection, settings: IntakeSettings) -> None:
    """The child: read each path it is sent and send back the Return (or the error)."""
    from reporting.intake.returns import read_return

    _limit_memory(settings.reader_memory_mb)
    while True:
        try:
            path = connection.recv()
        except EOFError:
            return
        if path is None:
            return
        try:
            connection.send(read_return(Path(path), settings))
        except MemoryError:
            connection.send(Unreadable(
                f"reading the file needed more than {settings.reader_memory_mb:,} MB",
                "copy the return table into a new workbook, save and send it again"))


class IsolatedReader:
    """Reads returns in a child process; `read(path)` gives the Return, or Unreadable."""

    def __init__(self, settings: IntakeSettings, serve: Callable = _serve) -> None:
        self.settings = settings
        self.serve = serve  # what the child runs (a test may give one that crashes)
        self.context = multiprocessing.get_context("spawn")
        self.child = None
        self.connection = None

    def _start(self) -> None:
        parent, child_end = self.context.Pipe()
        self.child = self.context.Process(target=self.serve, args=(child_end, self.settings),
                                          daemon=True)
        self.child.start()
        child_end.close()
        self.connection = parent

    def _stop(self, kill: bool = False) -> None:
        if self.child is None:
            return
        if kill:
            self.child.kill()
        else:
            try:
                self.connection.send(None)
            except OSError:
                pass
        self.child.join(5)
        if self.child.is_alive():
            self.child.kill()
            self.child.join(5)
        self.connection.close()
        self.child = self.connection = None

    def read(self, path: Path):
        if self.child is None:
            self._start()
        try:
            self.connection.send(str(path))
            if self.connection.poll(SECONDS_PER_FILE):
                return self.connection.recv()
            self._stop(kill=True)
            return Unreadable(f"the file took more than {SECONDS_PER_FILE} seconds to read, "
                              "far longer than a return can need",
                              "copy the return table into a new workbook, save and send it "
                              "again")
        except (EOFError, OSError, BrokenPipeError):
            code = self.child.exitcode if self.child else None
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


def read_isolated(paths: list[Path], settings: IntakeSettings,
                  refused: Callable[[Path, Unreadable], object]) -> list:
    """Give the Return of each path, read in one child process; a file that kills the
    reader (or takes too long) becomes `refused(path, why)`, and the others are still read."""
    found = []
    with IsolatedReader(settings) as reader:
        for path in paths:
            result = reader.read(path)
            found.append(refused(path, result) if isinstance(result, Unreadable) else result)
    return found
