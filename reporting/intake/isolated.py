"""Reading returns where a native library's crash cannot take the run down.

The readers underneath (calamine, a Rust library; the XML parser) are bounded by the intake
checks, but a file built to hurt may still find a way to abort one or eat the machine's
memory. So a run's files are read in one child process, with a memory limit: if a file
kills it, that file is refused as unsafe to read, a new child takes the files after it,
and the run goes on and publishes. One child for all of a run's files, so sixty returns
cost one start-up, not sixty.

The child is a fresh interpreter running `serve()` (`python -I -c ...`, given the folder
holding `reporting` on its command line: isolated from the caller's environment, its user
site-packages and its working folder, whose files cannot shadow a module), spoken to in
pickled frames over its stdin and stdout: it needs nothing of the caller's own program, so
it works the same under a flow, the command line, a notebook or a test. It imports only
what it reads with (`reporting.intake.returns` and calamine), never pandas or Prefect.

A caller that is one thread and has already imported the reader (`reporting check`) may
ask for a forked child instead (`IsolatedReader(settings, fork=True)`): the same serve()
behind the same pipes and memory limit, ready in milliseconds instead of a new
interpreter's start. A run keeps the fresh interpreter: a flow has threads, which a fork
must not copy.

Each frame names one file: a plain path is a return, read with `read_return`; a frame
`(reader, path, what)` has it read by `reader(path, settings)` instead, a module-level
function the child imports by its name (so `reporting plan import` has a published plan's
tables read here by `plan_import.read_tables`, and this module needs to know nothing of it).
"""

from __future__ import annotations

import os
import pickle
import struct
import signal
import sys
from pathlib import Path

from reporting.intake.files import Unreadable
from reporting.settings import IntakeSettings

# How long one file may take to read before it is given up as built to hurt.
SECONDS_PER_FILE = 120
# The child's start: `-I` leaves out PYTHON* variables, the user's site-packages and the
# working folder, so the folder holding `reporting` (and any PYTHONPATH folders) come as its
# arguments. (`-S`, skipping site-packages' start-up, saved nothing measurable: what it
# skips, the reader imports anyway.)
_BOOT = ("import sys; sys.path[:0] = sys.argv[1:]; "
         "from reporting.intake.isolated import serve; serve()")
CHILD = [sys.executable, "-I", "-c", _BOOT, str(Path(__file__).resolve().parents[2])]
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


def die_with_parent(signum: int = signal.SIGTERM) -> None:
    """In a child about to run: ask Linux to stop it (with `signum`, SIGTERM unless told)
    when its parent dies, even by kill -9, so nothing started for a run outlives it.
    Elsewhere, nothing."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signum, 0, 0, 0)  # PR_SET_PDEATHSIG
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


def serve(stdin=None, stdout=None, inherited_mb: int = 0) -> None:
    """The child: read each file it is sent and send back the Return or tables (or why not).

    `inherited_mb` is the address space a forked child starts with, which its memory limit
    allows on top of the settings' figure."""
    stdin = stdin or sys.stdin.buffer
    if stdout is None:
        # The frames go out on a copy of stdout; anything a library prints goes to stderr.
        stdout = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1)
    settings: IntakeSettings = _receive(stdin)
    _limit_memory(settings.reader_memory_mb + inherited_mb)
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

    def __init__(self, settings: IntakeSettings, command: list[str] | None = None,
                 fork: bool = False) -> None:
        self.settings = settings
        self.command = command  # what the child runs (a test may give one that crashes)
        self.fork = fork
        self.child = None  # a subprocess.Popen, or a _Forked

    def start(self) -> None:
        """Start the child now (else the first read does), so that it gets ready while
        the caller does other work."""
        if self.child is None:
            self._start()

    def _start(self) -> None:
        import threading

        if self.fork and self.command is None and hasattr(os, "fork") \
                and threading.active_count() == 1:
            self.child = _Forked(self.settings)
            return
        import subprocess

        # A command of a test's own finds `reporting` through PYTHONPATH; ours is told.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (str(Path(__file__).resolve().parents[2]),
                        os.environ.get("PYTHONPATH", "")) if p)}
        command = self.command or [
            *CHILD, *(p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p)]
        self.child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      env=env, preexec_fn=die_with_parent)
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
        _wait_up_to(self.child, 1 if kill else 5)
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


def _wait_up_to(child, seconds: float) -> None:
    """Wait up to `seconds` for a Popen or a _Forked to end."""
    import subprocess

    try:
        child.wait(seconds)
    except subprocess.TimeoutExpired:
        pass


class _Forked:
    """A forked child serving reads, with as much of Popen's face as IsolatedReader uses."""

    def __init__(self, settings: IntakeSettings) -> None:
        to_child, from_parent = os.pipe()[::-1]
        from_child, to_parent = os.pipe()
        # Buffered output in the parent would be written twice, once by each process.
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: serve, then leave without running the parent's exit hooks
            code = 0
            try:
                os.close(to_child)
                os.close(from_child)
                die_with_parent()
                # The file's reading gets the room a fresh child has, over what it inherited.
                serve(os.fdopen(from_parent, "rb"), os.fdopen(to_parent, "wb"),
                      inherited_mb=_address_space_mb())
            except BaseException:  # noqa: BLE001  (anything: the parent sees the child stop)
                code = 70
            finally:
                os._exit(code)
        os.close(from_parent)
        os.close(to_parent)
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = os.fdopen(to_child, "wb")
        self.stdout = os.fdopen(from_child, "rb")
        _send(self.stdin, settings)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, seconds: float) -> int | None:
        """Wait up to `seconds` for the child to end; give its exit status (None: running)."""
        import time

        deadline = time.monotonic() + seconds
        while self.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        return self.returncode

    def kill(self) -> None:
        import signal

        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)


def _address_space_mb() -> int:
    """Give this process's address space in MB (0 where /proc cannot say)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return 0


def read_isolated(paths: list[Path], settings: IntakeSettings, refused,
                  reader: IsolatedReader | None = None) -> list:
    """Give the Return of each path, read in one child process; a file that kills the
    reader (or takes too long) becomes `refused(path, why)`, and the others are still read.

    `reader` is a reader the caller already holds (and stops itself), else one is started
    for these files and stopped after them."""
    if reader is None:
        with IsolatedReader(settings) as own:
            return read_isolated(paths, settings, refused, own)
    found = []
    for path in paths:
        result = reader.read(path)
        found.append(refused(path, result) if isinstance(result, Unreadable) else result)
    return found


if __name__ == "__main__":  # `python -m reporting.intake.isolated`, as before
    serve()
