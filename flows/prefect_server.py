"""The local Prefect server's process: `prefect server start` in the foreground, as Prefect
runs it (its API, UI and services in one uvicorn process), except that it outlives the stop
of the command that started it until that command is done with it.

systemd stops a service by sending SIGTERM to every process of its control group at once,
and a terminal's SIGHUP reaches the whole session. Under `prefect server start` the server
would stop at the same moment as `reporting serve` and the run it is making, so neither
could record how the run ended: the run would stay Running for ever. Here SIGTERM and SIGHUP
are ignored; the command that started the server stops it with SIGINT once its runs have
ended and been recorded (`LocalPrefectServer.stop`), and Linux sends SIGINT if that command
dies (`die_with_parent`). systemd's SIGKILL after its stop timeout still ends everything.

    python -m flows.prefect_server --host 127.0.0.1 --port 4200
"""

from __future__ import annotations

import argparse
import signal
from contextlib import contextmanager

# The signal that stops this server; the others that stop a command are ignored here.
STOP_SIGNAL = signal.SIGINT
IGNORED = (signal.SIGTERM, signal.SIGHUP)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m flows.prefect_server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4200)
    args = parser.parse_args(argv)
    for signum in IGNORED:  # from the first moment: a stop may come while Prefect imports
        signal.signal(signum, signal.SIG_IGN)

    import uvicorn
    from prefect.server.api.server import create_app

    class Server(uvicorn.Server):
        @contextmanager
        def capture_signals(self):
            # uvicorn would stop on SIGTERM too; only STOP_SIGNAL stops this one.
            previous = signal.signal(STOP_SIGNAL, self.handle_exit)
            try:
                yield
            finally:
                signal.signal(STOP_SIGNAL, previous)

    config = uvicorn.Config(create_app(final=True), host=args.host, port=args.port,
                            timeout_keep_alive=5, log_level="info")
    Server(config).run()


if __name__ == "__main__":
    main()
