"""A Prefect API for a command to run against: the one configured, else a local Prefect
server run as a child process (`prefect_api`), for `reporting run` and `reporting serve`.

Prefect's ephemeral API does not run schedules, and a server it starts for a run outlives
a run that is killed, so the commands start a real server of their own. It keeps its
SQLite database in the project's PREFECT_HOME, is ready once its health check answers, and
is stopped (with everything it started) when the command ends, however it ends.

Nothing here imports Prefect at the top: `prefect_environment` must run before Prefect is
imported, and a command imports its flow while the server boots.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from flows import give_run_environment
from reporting.intake.isolated import die_with_parent


class ServerError(RuntimeError):
    """The local Prefect server could not be started."""


def prefect_environment(project: Path) -> None:
    """Keep Prefect's state inside the project and give its local API time to start.

    Call before importing Prefect; settings already in the environment win.
    """
    os.environ.setdefault("PREFECT_HOME", str(project / ".prefect"))
    # The ephemeral API takes about 15 s to start on a 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # Retrying a moment of HTTP 500, heartbeats (given to the runs this process starts).
    give_run_environment()


def free_port(host: str = "127.0.0.1") -> int:
    """Give a port on `host` that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the server will: a port left in TIME_WAIT by the last server is free to use.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def answers_health(api_url: str) -> bool:
    """Whether the Prefect API at `api_url` answers its health check now."""
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as answer:
            return answer.status == 200
    except (urllib.error.URLError, OSError):
        return False


class LocalPrefectServer:
    """`prefect server start` as a child process; use as a context manager giving the API URL."""

    def __init__(self, home: Path, port: int = 4200, host: str = "127.0.0.1",
                 command: list[str] | None = None, startup_timeout: float = 180,
                 tied: bool = False) -> None:
        self.home = Path(home)
        self.host, self.port = host, port
        self.api_url = f"http://{host}:{port}/api"
        # Prefect's server in the foreground, as `prefect server start` runs it, but stopped
        # only by SIGINT (flows.prefect_server): systemd's SIGTERM to every process of the
        # unit, or a terminal's SIGHUP, must not stop it before the runs are recorded.
        self.command = command or [sys.executable, "-m", "flows.prefect_server",
                                   "--host", host, "--port", str(port)]
        self.startup_timeout = startup_timeout
        self.log = self.home / "server.log"
        self.process: subprocess.Popen | None = None
        self.tied = tied  # stopped by the kernel if the process that started it dies

    def start(self) -> str:
        """Start the server and wait until it is healthy; give its API URL."""
        self.launch()
        return self.wait_until_ready()

    def launch(self) -> None:
        """Start the server process without waiting for it (`wait_until_ready` waits): the
        caller can do its own work, such as importing Prefect, while the server boots."""
        if not port_is_free(self.host, self.port):
            raise ServerError(f"port {self.port} on {self.host} is in use: give another with "
                              "--port, or set PREFECT_API_URL to use the server already there")
        self.home.mkdir(parents=True, exist_ok=True)
        env = self.environment()
        with self.log.open("ab") as log:
            # Its own session: Ctrl-C in the terminal reaches only us, and we stop the
            # server after the deployments have stopped using it.
            self.process = subprocess.Popen(self.command, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True,
                                            preexec_fn=partial(die_with_parent, signal.SIGINT)
                                            if self.tied else None)

    def environment(self) -> dict[str, str]:
        """The server's environment: its home, and its host and port told to the UI too
        (else the UI served on --port 4322 would call an API on 4200)."""
        env = {**os.environ, "PREFECT_HOME": str(self.home),
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
               "PREFECT_SERVER_API_HOST": self.host, "PREFECT_SERVER_API_PORT": str(self.port),
               "PREFECT_UI_API_URL": self.api_url}
        env.pop("PREFECT_API_URL", None)
        return env

    def wait_until_ready(self) -> str:
        """Wait until the launched server is healthy; give its API URL (stopping it and
        raising ServerError if it is not)."""
        try:
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        return self.api_url

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"the Prefect server exited with status "
                                  f"{self.process.returncode}; see {self.log}")
            if answers_health(self.api_url):
                return
            time.sleep(0.5)
        raise ServerError(f"the Prefect server did not answer its health check within "
                          f"{self.startup_timeout:g} s; see {self.log}")

    def stop(self, timeout: float = 15) -> int | None:
        """Stop the server and its children (SIGINT, the one signal it stops on, then
        SIGKILL); give its exit status."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self._signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.process.wait()
        return self.process.returncode

    def _signal(self, signum: int) -> None:
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# The signals that stop a command as its `with` blocks end: systemd's stop, a closed terminal.
_STOPPING = (signal.SIGTERM, signal.SIGHUP)


def _stop_on_sigterm(signum, frame) -> None:
    # Leave through the `with` blocks, which stop the server (systemd stops a service so).
    raise SystemExit(128 + signum)


def _send_what_is_queued() -> None:
    """Send the run's queued logs and events while the server is still there to take them."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        try:
            worker.drain_all(timeout=5)  # within systemd's stop timeout
        except Exception:  # noqa: BLE001  (a log not sent must not fail a published run)
            pass


@contextmanager
def prefect_api(project: Path, port: int | None = None,
                while_it_starts: Callable[[], None] | None = None,
                say: Callable[[str], None] | None = None) -> Iterator[LocalPrefectServer | None]:
    """Give the block a Prefect API: the one configured, else a local server of its own.

    Prefect's state is kept in `project`/.prefect unless PREFECT_HOME says otherwise. With
    PREFECT_API_URL unset, a local server is launched on `port` (default: a free one) and
    `while_it_starts` (importing the flows, a few seconds) runs while it boots; if Prefect's
    profile names a server after all, that one is used and the local one stopped. The local
    server is tied to this process: it stops when the block ends however it ends, by an
    error, Ctrl-C, SIGTERM or SIGHUP (an SSH session closed: each leaves the block as
    SystemExit) or even kill -9. Its API
    is given to this process and to the processes it starts (served runs); the run's
    queued logs are sent before it stops. Gives the local server, or None. `say` is told
    when a local server is being started (it takes a while).
    """
    prefect_environment(project)
    server = None
    previous = {signum: signal.signal(signum, _stop_on_sigterm) for signum in _STOPPING}
    try:
        if not os.environ.get("PREFECT_API_URL"):
            server = LocalPrefectServer(Path(os.environ["PREFECT_HOME"]),
                                        port=port or free_port(), tied=True)
            if say is not None:
                say(f"Starting a local Prefect server (SQLite in {server.home}, "
                    f"log {server.log}) ...")
            server.launch()
        if while_it_starts is not None:
            while_it_starts()
        from prefect.settings import PREFECT_API_URL, temporary_settings

        if PREFECT_API_URL.value():  # configured in the environment or Prefect's profile
            if server is not None:
                server.stop()
                server = None
            yield None
            return
        api_url = server.wait_until_ready()
        os.environ["PREFECT_API_URL"] = api_url  # for the processes it starts
        try:
            with temporary_settings({PREFECT_API_URL: api_url}):
                try:
                    yield server
                finally:
                    _send_what_is_queued()
        finally:
            os.environ.pop("PREFECT_API_URL", None)
    finally:
        if server is not None:
            server.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
