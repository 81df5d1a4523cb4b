"""`reporting run`: produce the scrutiny report for a period."""

from __future__ import annotations

import argparse
import os
import signal
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from cli.common import fail, prefect_environment
from reporting.cadence import REPORT_CADENCES, Cadence
from reporting.installation import InstalledPlan
from reporting.intake.returns import latest_period_with_returns
from reporting.period import Period
from reporting.settings import load_settings


def register(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser("run", help="produce the scrutiny report for a period")
    run.add_argument("--period", help="e.g. 2022/23 Q2 (default: latest with a returns folder)")
    run.add_argument("--cadence", choices=[c.value for c in REPORT_CADENCES],
                     default=Cadence.QUARTERLY.value)
    run.add_argument("--inputs", type=Path, help="folder holding plan/ and returns/")
    run.add_argument("--outputs", type=Path, help="folder the documents are written under")
    run.add_argument("--settle-seconds", type=float, default=0,
                     help="leave returns modified this recently for the next run (default 0: "
                          "a person running the report now means now; scheduled runs use "
                          "[intake] settle_seconds)")
    run.set_defaults(handler=run_command)


def _stop_on_sigterm(signum, frame) -> None:
    raise SystemExit(128 + signum)  # leave through the `with`, which stops the server


def _send_what_is_queued() -> None:
    """Send the run's queued logs and events while the server is still there to take them."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        try:
            worker.drain_all(timeout=15)
        except Exception:  # noqa: BLE001  (a log not sent must not fail a published run)
            pass


@contextmanager
def prefect_api(while_it_starts: Callable[[], None] | None = None):
    """Give the run a Prefect API: the one configured, else a local server of its own.

    The local server is launched first and `while_it_starts` (importing the flow, a few
    seconds) runs while it boots. It is tied to this process: it stops when the run ends
    however it ends, by an error, Ctrl-C, SIGTERM or even kill -9, so no server is left
    running after a run.
    """
    server = None
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        if not os.environ.get("PREFECT_API_URL"):
            from flows.local_server import LocalPrefectServer, free_port

            server = LocalPrefectServer(Path(os.environ["PREFECT_HOME"]), port=free_port(),
                                        tied=True)
            server.launch()
        if while_it_starts is not None:
            while_it_starts()
        from prefect.settings import PREFECT_API_URL, temporary_settings

        if PREFECT_API_URL.value():  # configured in the environment or Prefect's profile
            if server is not None:
                server.stop()
                server = None
            yield
            return
        with temporary_settings({PREFECT_API_URL: server.wait_until_ready()}):
            try:
                yield
            finally:
                _send_what_is_queued()
    finally:
        if server is not None:
            server.stop()
        signal.signal(signal.SIGTERM, previous)


def run_command(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    inputs = args.inputs or settings.inputs
    if args.period:
        period = Period.parse(args.period)
    else:
        period = latest_period_with_returns(inputs / "returns")
        if period is None:
            return fail(f"no period folder under {inputs / 'returns'}; give --period")
    outputs = Path(args.outputs or settings.outputs)
    outputs.mkdir(parents=True, exist_ok=True)  # a folder that cannot be made fails now, in a line
    prefect_environment(settings.source.parent)
    from flows.local_server import ServerError

    flows = {}

    def import_the_flow() -> None:  # while the local server boots
        from flows.scrutiny_report import scrutiny_report

        flows["report"] = scrutiny_report

    plan = getattr(args, "plan", None)
    try:
        with prefect_api(import_the_flow):
            from prefect import tags

            # A plan of several is tagged as its scheduled runs are, to be found in the UI.
            with tags(*InstalledPlan(plan, settings.source).tags):
                paths = flows["report"](
                    period=period.label,
                    cadence=args.cadence,
                    inputs=str(inputs),
                    outputs=str(outputs),
                    config=str(settings.source),
                    plan=plan,
                    settle_seconds=args.settle_seconds,
                )
    except ServerError as error:
        return fail(str(error))
    print(f"{period.description}, {args.cadence} report:")
    for kind in ("pdf", "docx", "html", "flags", "manifest"):
        print(f"  {kind:9} {paths[kind]}")
    return 0
