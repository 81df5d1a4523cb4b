"""How `reporting serve` stops: every run it was making ends Cancelled or Crashed, recorded
on the Prefect server before that server is stopped, and the policy officer is told.

Ctrl-C (SIGINT), systemd's stop (SIGTERM) and a closed terminal (SIGHUP) all stop the
runner as Prefect stops it on SIGTERM: no new runs, and each run in progress cancelled (its
process sent SIGTERM, then killed after Prefect's grace). A run whose process ended
without saying so (it was killed, or a second Ctrl-C cut the stop short) is marked Crashed
here. Each run ended so is told of by the notify deployment (its automation fires on
Cancelled and Crashed); serve waits a few seconds for those notify runs to be made, so that
a local server still holds them when it is stopped, and they run when serve starts again
(at once, on a worker).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterDeploymentId,
    FlowRunFilterEndTime,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.runner import Runner
from prefect.states import Crashed

# The signals that stop serve; SIGTERM is the runner's own.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_IN_PROGRESS = [StateType.RUNNING, StateType.PENDING, StateType.CANCELLING]
_ENDED = [StateType.CANCELLED, StateType.CRASHED]
# A notify run that has told of its run, or still may: every state but ended and Failed.
_TOLD_OR_TO_TELL = [StateType.COMPLETED, StateType.SCHEDULED, StateType.PAUSED,
                    *_IN_PROGRESS]
# How long serve waits for the processes of its runs, and for the notify runs to be made.
CHILDREN_SECONDS = 10
NOTICE_SECONDS = 10
# How far back serve, starting, looks for notice runs a stop ended before they told anyone.
RETELL_DAYS = 14


class StoppingRunner(Runner):
    """Prefect's runner, stopped the same way by SIGINT, SIGTERM and SIGHUP, and remembering
    which signal stopped it and when."""

    stopped_by: str | None = None
    stop_began: datetime | None = None

    def handle_sigterm(self, signum: int | None = None, *args, **kwargs) -> None:
        if self.stopped_by is None:
            self.stopped_by = signal.Signals(signum).name if signum else "a stop"
            self.stop_began = datetime.now(timezone.utc)
        super().handle_sigterm(signum, *args, **kwargs)


def _children(parent: int, leave: Iterable[int] = ()) -> list[int]:
    """The processes whose parent is `parent` (Linux; elsewhere none), except `leave`."""
    found = []
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        pid = int(entry.parent.name)
        if int(fields[1]) == parent and fields[0] != "Z" and pid not in leave:
            found.append(pid)
    return found


def wait_for_children(leave: Iterable[int] = (), seconds: float = CHILDREN_SECONDS) -> list[int]:
    """Wait for this process's children (the runs' processes, not `leave`) to end; kill those
    still there after `seconds`. Give the ones killed."""
    leave = set(leave)
    deadline = time.monotonic() + seconds
    while (left := _children(os.getpid(), leave)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return left


def _runs(client, deployment_ids: list[UUID], states: list[StateType],
          ended_after: datetime | None = None) -> list[FlowRun]:
    return client.read_flow_runs(flow_run_filter=FlowRunFilter(
        deployment_id=FlowRunFilterDeploymentId(any_=deployment_ids),
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=states)),
        end_time=FlowRunFilterEndTime(after_=ended_after) if ended_after else None))


def end_stopped_runs(deployment_ids: list[UUID], stopped_by: str, since: datetime
                     ) -> list[FlowRun]:
    """Mark Crashed each run of the served deployments still in progress (its process is
    gone: serve's runs are made only by serve); give every run the stop ended (Cancelled or
    Crashed since `since`), as the server has it now."""
    with get_client(sync_client=True) as client:
        for run in _runs(client, deployment_ids, _IN_PROGRESS):
            client.set_flow_run_state(run.id, Crashed(message=(
                f"reporting serve was stopped ({stopped_by}) while this run was in progress, "
                "and its process ended without saying how the run ended")), force=True)
        return _runs(client, deployment_ids, _ENDED, ended_after=since)


def _told_of(notice: FlowRun) -> str:
    """Give the id of the run a notify run tells of ("" for none), as its parameter names it
    ("prefect.flow-run.<id>" from the automation, or the id)."""
    return str((notice.parameters or {}).get("flow_run", "")).removeprefix("prefect.flow-run.")


def wait_for_notices(notify_deployment: UUID, runs: list[FlowRun],
                     seconds: float = NOTICE_SECONDS) -> list[FlowRun]:
    """Wait until the notify deployment has a run for each of `runs` (made by its
    automation); give the runs it has none for after `seconds`."""
    wanted = {str(run.id): run for run in runs}
    deadline = time.monotonic() + seconds
    with get_client(sync_client=True) as client:
        while wanted and time.monotonic() < deadline:
            told = client.read_flow_runs(flow_run_filter=FlowRunFilter(
                deployment_id=FlowRunFilterDeploymentId(any_=[notify_deployment])))
            for notice in told:
                wanted.pop(_told_of(notice), None)
            if wanted:
                time.sleep(0.5)
    return list(wanted.values())


def notices_to_make_again(notify_deployment: UUID, days: float = RETELL_DAYS) -> list[FlowRun]:
    """Make again each run of the notify deployment a stop ended (Cancelled or Crashed in
    the last `days`) before it told of its run, unless another run tells of that run (done,
    or still to come); give the runs made. Safe to repeat: a notice is sent at most once,
    by its key in the notices' sent record."""
    since = datetime.now(timezone.utc) - timedelta(days=days)
    with get_client(sync_client=True) as client:
        settled = {_told_of(run) for run in _runs(client, [notify_deployment], _TOLD_OR_TO_TELL)}
        stopped: dict[str, FlowRun] = {}
        for run in _runs(client, [notify_deployment], _ENDED, ended_after=since):
            stopped.setdefault(_told_of(run), run)
        return [client.create_flow_run_from_deployment(notify_deployment,
                                                       parameters=dict(run.parameters or {}))
                for about, run in stopped.items() if about and about not in settled]


def serve_until_stopped(runner: StoppingRunner, deployment_ids: list[UUID],
                        notify_deployment: UUID | None, server_pid: int | None,
                        say: Callable[[str], None]) -> None:
    """Run `runner` until a stop signal, then end and record its runs (see the module)."""
    import asyncio

    previous = {signum: signal.signal(signum, runner.handle_sigterm)
                for signum in (signal.SIGINT, signal.SIGHUP)}  # the runner sets SIGTERM
    try:
        asyncio.run(runner.start())
    except (KeyboardInterrupt, SystemExit):  # a second signal cuts the runner's stop short
        pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        stopped_by = runner.stopped_by or "its runner ended"
        killed = wait_for_children(leave=[server_pid] if server_pid else [])
        if killed:
            say(f"Killed {len(killed)} run process(es) that had not ended after "
                f"{CHILDREN_SECONDS} s.")
        since = runner.stop_began or datetime.now(timezone.utc)
        ended = end_stopped_runs(deployment_ids, stopped_by, since)
        for run in ended:
            say(f"Run {run.name!r} ended {run.state.name} by the stop ({stopped_by}).")
        told = [run for run in ended if run.deployment_id != notify_deployment]
        if told and notify_deployment is not None:
            untold = wait_for_notices(notify_deployment, told)
            if untold:
                say("No notice is made yet for: " + ", ".join(repr(r.name) for r in untold)
                    + "; the policy officer is not told of them: check the automations.")
            else:
                say(f"The policy officer is told of {len(told)} run(s) by the notify "
                    "deployment: at once on a worker, else when reporting serve starts again.")
