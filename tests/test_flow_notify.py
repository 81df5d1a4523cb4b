"""The notify flow against a real Prefect API and a loopback SMTP server (issue 21): a failed
run makes the notify deployment's automation ask for a notice of it, which is told to the
policy officer once; with nobody to tell, the notice run still ends Completed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.flow


def _settings_file(folder: Path, port: int, policy_officer: bool = True) -> Path:
    text = (ROOT / "reporting.toml").read_text()
    changes = {"enabled = false": "enabled = true",
               'host = "localhost"': 'host = "127.0.0.1"\nretry_delays_seconds = [0.2]\n'
                                     "timeout_seconds = 5",
               "port = 25": f"port = {port}"}
    if policy_officer:
        changes['# policy_officer = "policy.performance@harborough.gov.uk"'] = \
            'policy_officer = "policy.officer@example.gov.uk"'
    for old, new in changes.items():
        assert text.count(old) == 1, f"reporting.toml no longer says {old!r}"
        text = text.replace(old, new)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "reporting.toml"
    path.write_text(text)
    return path


def _run_made_by_the_automation(deployment_id, wait_seconds: float = 60):
    """The run of the notify deployment its automation makes (nothing runs it here)."""
    import time

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

    deadline = time.monotonic() + wait_seconds
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            made = client.read_flow_runs(deployment_filter=DeploymentFilter(
                id=DeploymentFilterId(any_=[deployment_id])))
            if made:
                return made[0]
            time.sleep(0.5)
    raise AssertionError(f"the automation made no run in {wait_seconds} s")


def test_a_failed_run_is_told_to_the_policy_officer_once_and_never_without_one(
        prefect_harness, tmp_path, smtp_server):
    from prefect import flow
    from prefect.client.orchestration import get_client

    from flows.deployments import deployments
    from flows.notify import notify_policy_officer
    from reporting.automation.deployments import NOTIFY

    port, inbox = smtp_server()
    outputs = tmp_path / "outputs"
    # Deployed as `reporting serve` deploys it: its triggers become automations.
    (notify,) = [d for d in deployments(ROOT / "reporting.toml") if d.name == NOTIFY]
    deployment_id = notify.apply()

    # A report run that fails as a real one would, with the parameters a real one is given.
    @flow(name="scrutiny-report", flow_run_name="Test Plan: quarterly, 2022/23 Q2")
    def scrutiny_report(period: str, cadence: str, config: str, outputs: str) -> None:
        raise RuntimeError("The mail server refused every member")

    failed = scrutiny_report(period="2022-23-Q2", cadence="quarterly", outputs=str(outputs),
                             config=str(_settings_file(tmp_path / "told", port)),
                             return_state=True)
    assert failed.is_failed()
    run_id = str(failed.state_details.flow_run_id)

    # The automation asks for a notice of that run, as Prefect renders its parameters.
    try:
        asked = _run_made_by_the_automation(deployment_id).parameters
    finally:
        with get_client(sync_client=True) as client:  # no more notices for other tests' runs
            client.delete_resource_owned_automations(f"prefect.deployment.{deployment_id}")
            client.delete_deployment(deployment_id)
    assert asked == {"flow_run": f"prefect.flow-run.{run_id}"}
    assert notify_policy_officer(**asked) == ["policy.officer@example.gov.uk"]
    ((to, message),) = inbox.messages
    assert to == ("policy.officer@example.gov.uk",)
    assert message["Subject"] == "Run failed: Test Plan: quarterly, 2022/23 Q2"
    body = message.get_content()
    assert "Period: 2022/23 Q2" in body and "quarterly scrutiny report (run by hand)" in body
    assert "The mail server refused every member" in body
    assert 'reporting run --period "2022/23 Q2" --cadence quarterly' in body
    assert f"/runs/flow-run/{run_id}" in body
    record = json.loads((outputs / "run-notices-sent.json").read_text())
    assert list(record["sent"]) == [f"run-failed/{run_id}/failed"]

    # The automation firing again for the same run and state tells nobody again.
    assert notify_policy_officer(flow_run=run_id) == []
    assert len(inbox.messages) == 1

    # No policy officer set: the notice run says nobody was told, and ends Completed.
    untold = scrutiny_report(period="2022-23-Q2", cadence="quarterly", outputs=str(outputs),
                             config=str(_settings_file(tmp_path / "untold", port,
                                                       policy_officer=False)),
                             return_state=True)
    state = notify_policy_officer(flow_run=str(untold.state_details.flow_run_id),
                                  return_state=True)
    assert state.is_completed() and state.result() == [] and len(inbox.messages) == 1

    # A notice run given a notice run (its own, here) tells nobody of it.
    with get_client(sync_client=True) as client:
        notice_runs = [r for r in client.read_flow_runs()
                       if r.name.startswith("notice of run")]
    assert notify_policy_officer(flow_run=str(notice_runs[0].id)) == []
    assert len(inbox.messages) == 1
