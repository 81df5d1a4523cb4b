"""A run never stays Running after its process is gone (issue 21): systemd's stop, SIGTERM to
the whole process group of `reporting serve`, and Ctrl-C (SIGINT to the terminal's group)
end a served run Cancelled or Crashed, and a run whose process ended without a word is
marked Crashed by serve's stop."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import BUNDLED_INPUTS, ROOT

pytestmark = pytest.mark.flow

SERVE = "import sys; from cli.main import main; sys.exit(main(sys.argv[1:]))"


def _wait_for(what: str, check, seconds: float, serving: subprocess.Popen):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        assert serving.poll() is None, f"reporting serve ended before {what}"
        time.sleep(0.5)
    raise AssertionError(f"no {what} within {seconds} s")


def _group_is_gone(group: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def _serve_and_stop(tmp_path, config, outputs, signum, waiting) -> tuple:
    """Serve `config`, run its quarterly deployment on 2022/23 Q2, and once `waiting()` says
    the run is where the test holds it, send `signum` to serve's whole process group; give
    the run's state and serve's log."""
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL

    from reporting.automation.deployments import QUARTERLY

    log = (tmp_path / "serve.log").open("w")
    serving = subprocess.Popen(
        [sys.executable, "-c", SERVE, "--config", str(config), "serve"], cwd=ROOT,
        env={**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(),
             "PREFECT_RUNNER_POLL_FREQUENCY": "1"},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # a unit's own group
    try:
        with get_client(sync_client=True) as client:
            def served():  # this serve's deployment (an earlier test may have made one)
                try:
                    found = client.read_deployment_by_name(f"scrutiny-report/{QUARTERLY}")
                except Exception:  # noqa: BLE001  (not there yet)
                    return None
                return found.parameters.get("config") == str(config.resolve())

            _wait_for("served deployment", served, 120, serving)
            flow_run = run_deployment(
                f"scrutiny-report/{QUARTERLY}", timeout=0,
                parameters={"period": "2022/23 Q2", "inputs": str(tmp_path / "inputs"),
                            "outputs": str(outputs), "wait_for_other_run_seconds": 600})
            _wait_for("Running run", lambda: client.read_flow_run(flow_run.id).state.is_running(),
                      120, serving)
            _wait_for("the run where the test holds it", waiting, 240, serving)
            time.sleep(2)  # into the wait

            os.killpg(serving.pid, signum)  # systemd's KillMode=control-group stop, or Ctrl-C
            serving.wait(60)
            assert _group_is_gone(serving.pid, 30), "a process of the group outlived the stop"
            run = client.read_flow_run(flow_run.id)
    finally:
        if serving.poll() is None:
            os.killpg(serving.pid, signal.SIGKILL)
            serving.wait()
        log.close()
    return run, (tmp_path / "serve.log").read_text()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_to_a_served_runs_process_group_ends_the_run_cancelled_or_crashed(
        prefect_harness, tmp_path, signum):
    from prefect.client.schemas.objects import StateType

    from reporting.automation.lock import acquire

    shutil.copytree(BUNDLED_INPUTS, tmp_path / "inputs")
    config, outputs = tmp_path / "reporting.toml", tmp_path / "outputs"
    shutil.copy(BUNDLED_INPUTS.parent / "reporting.toml", config)
    # The run is held Running on the run lock, as behind another run of the same paper.
    lock = acquire(outputs / "2022-23-Q2" / ".quarterly.lock", "the test holding the paper")
    try:
        run, said = _serve_and_stop(tmp_path, config, outputs, signum, lambda: True)
    finally:
        lock.release()
    state = run.state
    assert state.type in (StateType.CANCELLED, StateType.CRASHED), (state, said[-3000:])
    assert f"ended {state.name} by the stop ({signal.Signals(signum).name})" in said
    assert "The policy officer is told of 1 run(s) by the notify deployment" in said, said[-3000:]


def test_a_run_stopped_after_publishing_while_another_paper_holds_the_sent_record_is_told(
        prefect_harness, tmp_path, smtp_server):
    """A second operator review (H1): in April and October both papers of a period mail
    against one sent record. A stop while the six-monthly held it left the published
    quarterly with no entry in it, and `reporting mail` said all clear."""
    from conftest import settings_file
    from prefect.client.schemas.objects import StateType

    from reporting.automation.mail import SentRecord, due_to, not_yet_sent
    from reporting.automation.run_notice import FailedRun, run_notice, with_mailing
    from reporting.cadence import Paper
    from reporting.layout import OutputLayout
    from reporting.period import Period

    port, inbox = smtp_server()
    shutil.copytree(BUNDLED_INPUTS, tmp_path / "inputs")
    config, layout = settings_file(tmp_path, port), OutputLayout(tmp_path / "outputs")
    period = Period.parse("2022/23 Q2")
    manifest = layout.manifest(period, Paper.QUARTERLY)
    members = ("member.one@example.gov.uk", "member.two@example.gov.uk")
    # The six-monthly run is sending: it holds the period's sent record.
    held = SentRecord(layout.sent_record(period)).hold()
    try:
        run, said = _serve_and_stop(tmp_path, config, layout.root, signal.SIGTERM,
                                    lambda: due_to(manifest) == members)
    finally:
        held.release()
    assert run.state.type in (StateType.CANCELLED, StateType.CRASHED), said[-3000:]
    assert inbox.messages == []
    assert layout.document(period, Paper.QUARTERLY, "pdf").is_file()
    # Both members are listed as never sent, with the run that sends it to them.
    assert not_yet_sent(layout, members) == [(period, "quarterly", to) for to in members]
    listed = subprocess.run(
        [sys.executable, "-c", SERVE, "--config", str(config), "mail", "--outputs",
         str(layout.root)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 1, listed.stderr  # something waits
    for to in members:
        assert f"never sent: the quarterly paper for 2022/23 Q2 to {to}" in listed.stdout
    # The notice of the stopped run says the papers were published and went to no one.
    told = with_mailing(FailedRun(id=str(run.id), name=run.name, flow="scrutiny-report",
                                  state_type=run.state.type.value, state_name=run.state.name,
                                  period=period.label, cadence="quarterly"), layout.root)
    body = run_notice(told, "policy.officer@example.gov.uk", run.start_time).body
    assert "The papers had been published, and no member had been sent them yet." in body
    assert f"Not sent to 2 members ({', '.join(members)})" in body


def test_a_served_run_whose_process_ended_without_a_word_is_marked_crashed(prefect_harness):
    from datetime import datetime, timedelta, timezone

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import StateType
    from prefect.states import Running

    from flows.stopping import end_stopped_runs

    since = datetime.now(timezone.utc) - timedelta(seconds=1)
    with get_client(sync_client=True) as client:
        flow_id = client.create_flow_from_name("stop-test-flow")
        served = client.create_deployment(flow_id, "served")
        other = client.create_deployment(flow_id, "not served")
        orphan = client.create_flow_run_from_deployment(served)
        elsewhere = client.create_flow_run_from_deployment(other)
        for run in (orphan, elsewhere):
            client.set_flow_run_state(run.id, Running(), force=True)
        ended = end_stopped_runs([served], "SIGINT", since)
        assert [run.id for run in ended] == [orphan.id]
        state = client.read_flow_run(orphan.id).state
        assert state.type is StateType.CRASHED
        assert "reporting serve was stopped (SIGINT)" in state.message
        assert client.read_flow_run(elsewhere.id).state.type is StateType.RUNNING


def test_a_notice_run_a_stop_ended_is_made_again_when_serve_starts(prefect_harness):
    """A third operator review (M2): a stop while the crash notice was being sent ended the
    notice run Cancelled; nothing ran it again, and the policy officer was never told."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import StateType
    from prefect.states import Cancelled, Completed, Crashed

    from flows.stopping import notices_to_make_again

    with get_client(sync_client=True) as client:
        flow_id = client.create_flow_from_name("notice-retell-test")
        notify = client.create_deployment(flow_id, "notify")
        runs = {}
        for about, ended in (("stopped", Cancelled()), ("crashed", Crashed()),
                             ("told", Cancelled()), ("told", Completed())):
            run = client.create_flow_run_from_deployment(
                notify, parameters={"flow_run": f"prefect.flow-run.{about}"})
            client.set_flow_run_state(run.id, ended, force=True)
            runs.setdefault(about, []).append(run)
        made = notices_to_make_again(notify)
        assert sorted(run.parameters["flow_run"] for run in made) == [
            "prefect.flow-run.crashed", "prefect.flow-run.stopped"]
        assert all(client.read_flow_run(run.id).state.type is StateType.SCHEDULED
                   for run in made)
        # Serve started again before those ran: nothing is made twice.
        assert notices_to_make_again(notify) == []


def test_serve_creates_the_crash_automation_once(prefect_harness):
    from prefect.client.orchestration import get_client

    from flows.deployments import ensure_crash_automation
    from reporting.automation.deployments import crash_automation

    name = crash_automation()["name"]
    first, second = ensure_crash_automation(), ensure_crash_automation()
    assert "Created" in first or "has" in first
    assert second == f"The server has the automation {name!r}."
    with get_client(sync_client=True) as client:
        assert len(client.read_automations_by_name(name)) == 1
