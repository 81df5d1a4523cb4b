"""Clearance on a served deployment, against a real Prefect API (issue 23): the run suspends
with a form for each role in turn, is resumed through the API (or by `reporting clear`), and
publishes and mails only the draft every role cleared; one left past its days is failed by
Prefect and the policy officer told why."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from test_flow import _docx_text, _pdf_text, _settings_file, inputs  # noqa: F401 (a fixture)

pytestmark = pytest.mark.flow
MARK = "Draft: not for publication"
NAME = "scrutiny-report-2022-23-Q2-quarterly"


class Served:
    """A quarterly deployment of one installation, served by a Runner that runs what is
    scheduled once each time it is asked (as `reporting serve` would, between polls)."""

    def __init__(self, folder: Path, port: int, inputs: Path) -> None:  # noqa: F811
        from prefect.runner import Runner

        from flows.deployments import deployments
        from reporting.automation.deployments import QUARTERLY

        self.inputs, self.outputs = folder / "inputs", folder / "outputs"
        shutil.copytree(inputs, self.inputs)  # keeps the files' times (a day back)
        config = _settings_file(folder, port, cleared_first=True)
        self.deployment = next(d for d in deployments(config) if d.name == QUARTERLY)
        self.runner = Runner(name=f"clearance-{folder.name}", query_seconds=1)
        self.runner.add_deployment(self.deployment)
        self.papers = self.outputs / "2022-23-Q2" / "quarterly"

    def start(self):
        """Ask for a run of the 2022/23 Q2 paper and serve it; give the run as it ends."""
        from prefect.deployments import run_deployment

        flow_run = run_deployment(
            f"scrutiny-report/{self.deployment.name}", timeout=0,
            parameters={"period": "2022/23 Q2", "inputs": str(self.inputs),
                        "outputs": str(self.outputs)})
        return self.serve(flow_run.id)

    def serve(self, flow_run_id):
        """Run what is scheduled (a resumed run is), once; give the run as it then is."""
        from prefect.client.orchestration import get_client

        asyncio.run(self.runner.start(run_once=True))
        with get_client(sync_client=True) as client:
            return client.read_flow_run(flow_run_id)

    def record(self) -> dict:
        return json.loads((self.papers / "draft" / "clearance.json").read_text())


def _form(flow_run) -> str:
    """The description of the form a suspended run shows on its page."""
    from prefect.input.actions import read_flow_run_input
    from prefect.input.run_input import keyset_from_paused_state

    keyset = keyset_from_paused_state(flow_run.state)
    return read_flow_run_input(keyset["description"], flow_run_id=flow_run.id)


def test_a_served_run_suspends_for_each_role_and_publishes_the_cleared_paper_once(
        prefect_harness, inputs, tmp_path, smtp_server):  # noqa: F811
    from prefect.flow_runs import resume_flow_run

    port, inbox = smtp_server()
    served = Served(tmp_path, port, inputs)
    run = served.start()
    # Drafts written, the run suspended with the first role's form, nothing sent.
    assert run.state.name == "Suspended", run.state
    draft = served.papers / "draft"
    marked = _pdf_text(draft / f"{NAME}.pdf")
    assert marked.count(MARK) > marked.count("\f")  # the cover's banner, and every page's foot
    form = _form(run)
    assert "Waiting for the **Head of Service**" in form
    assert f"In `{draft}`" in form and f"- PDF: `{NAME}.pdf`" in form
    assert "### Delivery exceptions (6)" in form and "### Data quality" in form
    assert not (served.papers / f"{NAME}.pdf").exists() and inbox.messages == []
    assert served.record()["flow_run"] == str(run.id)

    # The first role's answer, through Prefect's API: the run asks the second.
    resume_flow_run(run.id, run_input={"decision": "cleared", "by": "A. Smith"})
    # A second answer while the resumed run waits to go on is refused, resuming nothing.
    record = served.record()
    said = subprocess.run(
        [str(Path(sys.executable).with_name("reporting")), "clear", "--config",
         str(tmp_path / "reporting.toml"), "--period", "2022/23 Q2", "--outputs",
         str(served.outputs), "--as", "Head of Service", "--by", "B. Brown"],
        env={**os.environ, "PREFECT_HOME": str(tmp_path / "home")},
        capture_output=True, text=True, timeout=120)
    assert said.returncode == 2, said
    assert f"({run.id}) of the 2022/23 Q2 quarterly paper is Resuming already" in said.stderr
    assert served.record() == record
    run = served.serve(run.id)
    assert run.state.name == "Suspended", run.state
    assert "Waiting for the **Portfolio Holder**" in _form(run)
    assert [(d["role"], d["by"]) for d in served.record()["decisions"]] == [
        ("Head of Service", "A. Smith")]
    assert not (served.papers / f"{NAME}.pdf").exists() and inbox.messages == []

    # The second: the paper is published without the mark and mailed to each member once.
    resume_flow_run(run.id, run_input={"decision": "cleared", "by": "Cllr Jones",
                                       "comments": "Fine to go"})
    run = served.serve(run.id)
    assert run.state.is_completed(), run.state
    paper = _pdf_text(served.papers / f"{NAME}.pdf")
    assert MARK not in paper
    assert paper.count("\f") == marked.count("\f")  # the draft's pages break as the paper's
    assert MARK not in _docx_text(served.papers / f"{NAME}.docx")
    assert (Document(str(served.papers / f"{NAME}.docx")).core_properties.content_status
            or "") != "Draft"
    assert MARK not in (served.papers / f"{NAME}.html").read_text()
    manifest = json.loads((served.papers / "manifest.json").read_text())
    assert [(d["role"], d["by"], d["comments"]) for d in manifest["clearance"]["decisions"]] \
        == [("Head of Service", "A. Smith", ""), ("Portfolio Holder", "Cllr Jones", "Fine to go")]
    assert sorted(to for (to,), _ in inbox.messages) == [
        "member.one@example.gov.uk", "member.two@example.gov.uk"]


def test_reporting_clear_resumes_a_suspended_run_changes_needed_sends_nothing_and_expiry_says_so(
        prefect_harness, inputs, tmp_path, smtp_server, capsys):  # noqa: F811
    from prefect.client.orchestration import get_client

    from cli.main import main
    from flows.notify import notify_policy_officer

    port, inbox = smtp_server()
    served = Served(tmp_path, port, inputs)
    run = served.start()
    assert run.state.name == "Suspended", run.state
    clear = ["clear", "--config", str(tmp_path / "reporting.toml"), "--period", "2022/23 Q2",
             "--outputs", str(served.outputs)]
    # From a shell that knows nothing of Prefect: the record says which API the run is on.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    said = subprocess.run(
        [str(Path(sys.executable).with_name("reporting")), *clear, "--as", "Head of Service",
         "--by", "A. Smith"], env={**environment, "PREFECT_HOME": str(tmp_path / "home")},
        capture_output=True, text=True, timeout=120)
    assert said.returncode == 0, said.stderr
    assert f"the suspended run {run.id} goes on" in said.stdout
    run = served.serve(run.id)
    assert run.state.name == "Suspended", run.state
    assert "Waiting for the **Portfolio Holder**" in _form(run)

    # Changes needed: the run ends Completed, nothing published or sent.
    assert main([*clear, "--as", "Portfolio Holder", "--by", "Cllr Jones",
                 "--changes", "1.c reads wrong"]) == 0
    run = served.serve(run.id)
    assert run.state.is_completed(), run.state
    assert not (served.papers / f"{NAME}.pdf").exists() and inbox.messages == []
    assert main([*clear, "--status"]) == 0
    assert "changes asked by the Portfolio Holder: 1.c reads wrong" in capsys.readouterr().out

    # The next run makes a new draft and asks again from the first role.
    again = served.start()
    assert again.state.name == "Suspended", again.state
    assert "Waiting for the **Head of Service**" in _form(again)
    assert served.record()["decisions"] == [] and inbox.messages == []

    # Its days pass: Prefect fails the run, `reporting clear` lists the draft as expired and
    # refuses it, and the policy officer is told in the council's words.
    _expire(again, served.papers / "draft" / "clearance.json")
    with get_client(sync_client=True) as client:
        state = client.read_flow_run(again.id).state
    assert state.is_failed() and state.message == "The flow was paused and never resumed."
    assert main([*clear, "--status"]) == 0
    assert "2022/23 Q2 quarterly: expired, since" in capsys.readouterr().out
    assert main([*clear, "--as", "Head of Service", "--by", "A. Smith"]) == 2
    (said,) = capsys.readouterr().err.splitlines()
    assert "waited 14 days for the Head of Service's clearance and expired" in said
    config = tmp_path / "reporting.toml"
    config.write_text(config.read_text().replace(
        '# policy_officer = "policy.performance@harborough.gov.uk"',
        'policy_officer = "policy.officer@example.gov.uk"'))
    assert notify_policy_officer(flow_run=str(again.id)) == ["policy.officer@example.gov.uk"]
    ((to, notice),) = inbox.messages  # and nothing to members
    assert notice["Subject"].startswith("Clearance expired: ")
    assert notice.get_content().startswith(
        "The quarterly scrutiny report for 2022/23 Q2 waited 14 days for the Head of "
        "Service's clearance and expired; nothing was published or sent. Run it again")


def _expire(flow_run, record: Path) -> None:
    """Age a suspended run's draft and its pause past [clearance] expires_days (14), then
    run the step of Prefect's server that fails an expired pause: `prefect server start`
    runs it every 5 s, the test harness's ephemeral server never."""
    from datetime import datetime, timedelta, timezone

    from prefect.client.orchestration import get_client
    from prefect.server.database import provide_database_interface
    from prefect.server.services.pause_expirations import fail_expired_pause
    from prefect.states import Suspended

    draft = json.loads(record.read_text())
    made = datetime.fromisoformat(draft["made"]) - timedelta(days=15)
    record.write_text(json.dumps({**draft, "made": made.isoformat()}))
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(flow_run.id, Suspended(
            pause_expiration_time=datetime.now(timezone.utc) - timedelta(seconds=1),
            pause_key=flow_run.state.state_details.pause_key), force=True)
    asyncio.run(fail_expired_pause(flow_run.id, "expired",
                                   db=provide_database_interface()))
