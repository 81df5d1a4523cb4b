"""End to end: the flow on the bundled plan and returns, documents read back."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from conftest import BUNDLED_INPUTS
from conftest import settings_file as _settings_file
from docx import Document

from reporting.cadence import Paper
from reporting.period import Period
from reporting.pipeline import prepare_report, read_period
from reporting.settings import READ_NOW, load_settings

pytestmark = pytest.mark.flow
SETTINGS = BUNDLED_INPUTS.parent / "reporting.toml"


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    shutil.copytree(BUNDLED_INPUTS, folder, dirs_exist_ok=True)
    # A fresh checkout gives every file this minute's time, which the copy keeps; returns
    # are dropped days before a run, so date them a day back (else the settle time, meant
    # for files still copying, would leave them all for the next run).
    day_ago = time.time() - 86400
    for path in folder.rglob("*"):
        os.utime(path, (day_ago, day_ago))
    return folder


@pytest.fixture(scope="module")
def runs(prefect_harness, inputs, tmp_path_factory):
    """Run the quarterly and six-monthly Q2 reports once; give (inputs before, outputs, paths)."""
    from flows.scrutiny_report import scrutiny_report

    before = _hashes(inputs)
    outputs = tmp_path_factory.mktemp("outputs")
    paths = {
        cadence: scrutiny_report(period="2022/23 Q2", cadence=cadence, inputs=str(inputs),
                                 outputs=str(outputs), config=str(SETTINGS), settle_seconds=0)
        for cadence in ("quarterly", "six-monthly")
    }
    return before, outputs, paths


def _expected(inputs: Path, cadence: str):
    """Give what the pipeline decides for the report, to hold the documents against."""
    settings = load_settings(SETTINGS)
    read = read_period(settings, Period.parse("2022/23 Q2"), inputs, READ_NOW)
    report = prepare_report(settings, read, Paper(cadence), datetime.now().astimezone())
    return report.merged, list(report.findings)


@pytest.mark.parametrize("cadence, actions", [("quarterly", 15), ("six-monthly", 21)])
def test_pdf_and_docx_show_every_action_status_and_flag(runs, inputs, cadence, actions):
    _, outputs, paths = runs
    merged, flags = _expected(inputs, cadence)
    assert len(merged.progress) == actions
    folder = outputs / "2022-23-Q2" / cadence
    assert Path(paths[cadence]["pdf"]).parent == folder
    for text in (_pdf_text(Path(paths[cadence]["pdf"])), _docx_text(Path(paths[cadence]["docx"]))):
        flat = " ".join(text.split())
        for progress in merged.progress:
            # Table cells wrap and interleave in the PDF's text: the Word rows below are exact.
            assert f"{progress.action.id} " in flat
            assert progress.status.value in flat
        # The committee reads delivery exceptions in words, never a flag code or a cell.
        for flag in flags:
            assert flag.code not in flat
            assert "Return!" not in flat
        for flag in (f for f in flags if f.delivery and f.action_id):
            assert f"{flag.action_id} " in flat.split("6. Delivery exceptions")[-1]
        assert "Not reported: Housing" in flat  # a table cell may wrap
        # Each paper speaks to its own committee: Cabinet, then the Scrutiny Commission.
        body = "Cabinet" if cadence == "quarterly" else "the Scrutiny Commission"
        assert f"That {body} notes" in flat
    # In Word, each action is one row of its priority's table, its status beside it (the
    # six-monthly paper gives Q1's status, then Q2's).
    column = 3 if cadence == "six-monthly" else 2
    rows = {row.cells[0].text: [c.text for c in row.cells]
            for table in Document(str(paths[cadence]["docx"])).tables for row in table.rows}
    for progress in merged.progress:
        assert rows[progress.action.id][column] == progress.status.value, progress.action.id
    if cadence == "six-monthly":
        assert rows["Ref"][2:4] == ["Q1 status", "Q2 status"]
        assert rows["2.c"][2] == "Not due"  # a six-monthly action does not report in Q1
    # The policy officer's data-quality note has every other finding, with its file and cell.
    note = (folder / "data-quality.html").read_text(encoding="utf-8")
    for flag in (f for f in flags if not f.delivery):
        assert flag.code in note
    for code in ("UNKNOWN_ACTION", "MISSING_STATUS"):
        assert code in note


def test_the_front_sheet_and_page_numbers(runs):
    _, _, paths = runs
    text = _pdf_text(Path(paths["quarterly"]["pdf"]))
    assert "Harborough District Council" in text
    assert "2022/23 Q2 (July to September 2022)" in text
    pages = text.count("\f")
    assert f"Page 1 of {pages}" in " ".join(text.split()) or f"Page 1 of {pages}" in text
    six = _pdf_text(Path(paths["six-monthly"]["pdf"]))
    assert "2022/23 H1 (April to September 2022)" in six
    # A councillor's paper is short: issue 19 asks for the quarterly in 8 A4 pages, the
    # six-monthly in 10 (rows are kept whole: a row broken across pages is read out of
    # order in the PDF's tags).
    assert pages <= 8, f"the quarterly paper runs to {pages} pages"
    assert six.count("\f") <= 10, f"the six-monthly paper runs to {six.count(chr(12))} pages"


def test_flags_csv_and_manifest(runs, inputs):
    _, outputs, paths = runs
    merged, flags = _expected(inputs, "quarterly")
    with open(paths["quarterly"]["flags"], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["code", "severity", "action_id", "service_area", "message", "source"]
    assert [(r["code"], r["action_id"]) for r in rows] == [(f.code, f.action_id) for f in flags]
    manifest = json.loads(Path(paths["quarterly"]["manifest"]).read_text())
    read = {i["path"]: i["sha256"] for i in manifest["inputs"]}
    # The plan, this period's returns and last period's (for direction of travel).
    assert set(read) == {"plan/health-and-wellbeing-action-plan-2022-23.xlsx",
                         *(f"returns/{period}/{p.name}" for period in ("2022-23-Q1", "2022-23-Q2")
                           for p in (inputs / "returns" / period).iterdir())}
    for name, digest in read.items():
        original = inputs / name
        assert hashlib.sha256(original.read_bytes()).hexdigest() == digest
        assert (outputs / "archive" / f"{digest}{original.suffix}").read_bytes() == \
            original.read_bytes()
    written = {o["file"] for o in manifest["outputs"]}
    assert written == {Path(p).name for k, p in paths["quarterly"].items() if k != "manifest"} \
        | {"data-quality.html", "data-quality.csv"}
    assert manifest["counts"] == {"actions": 15, "returns": 6, "flags": len(flags)}
    assert manifest["started"] <= manifest["finished"]
    leftovers = [p for p in (outputs / "2022-23-Q2").rglob("*.tmp")]
    assert leftovers == []


def test_inputs_are_never_changed(runs, inputs):
    before, _, _ = runs
    assert _hashes(inputs) == before


def test_the_command_runs_the_flow_and_prints_the_paths(runs, inputs, tmp_path, capsys):
    from cli.main import main

    code = main(["run", "--period", "2022-23-Q1", "--inputs", str(inputs),
                 "--outputs", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    pdf = tmp_path / "2022-23-Q1" / "quarterly" / "scrutiny-report-2022-23-Q1-quarterly.pdf"
    assert str(pdf) in out and pdf.read_bytes().startswith(b"%PDF")


def test_the_command_fails_in_one_line_when_no_report_can_be_made(runs, tmp_path, capsys):
    from cli.main import main

    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "plan.xlsx").write_text("not a workbook")
    code = main(["run", "--period", "2022/23 Q2", "--inputs", str(tmp_path),
                 "--outputs", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert code != 0
    assert len(err.splitlines()) == 1 and "cannot be opened as an Excel workbook" in err


# -- running unattended: deployments, run safety, caching, delivery --------------------

LONDON = "Europe/London"


def test_a_scheduled_deployment_run_through_the_api_reports_on_the_last_quarter(
        prefect_harness, inputs, tmp_path):
    import asyncio
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.runner import Runner

    from flows.deployments import deployments
    from reporting.automation.deployments import QUARTERLY

    quarterly = next(d for d in deployments(BUNDLED_INPUTS.parent / "reporting.toml")
                     if d.name == QUARTERLY)
    runner = Runner(name="test-runner", query_seconds=1)
    runner.add_deployment(quarterly)
    # The October run (Tuesday 25 October 2022), as the schedule makes it: it reports on
    # July to September.
    flow_run = run_deployment(
        f"scrutiny-report/{QUARTERLY}", timeout=0,
        parameters={"inputs": str(inputs), "outputs": str(tmp_path)},
        scheduled_time=datetime(2022, 10, 25, 7, tzinfo=ZoneInfo(LONDON)))
    asyncio.run(runner.start(run_once=True))
    with get_client(sync_client=True) as client:
        ran = client.read_flow_run(flow_run.id)
    assert ran.state.is_completed(), ran.state
    # Named by the period its scheduled time reports on, not "scheduled period".
    assert ran.name == "Health & Wellbeing Action Plan 2022/23: quarterly, 2022/23 Q2"
    pdf = tmp_path / "2022-23-Q2" / "quarterly" / "scrutiny-report-2022-23-Q2-quarterly.pdf"
    assert "2022/23 Q2 (July to September 2022)" in _pdf_text(pdf)


def _manifest(outputs: Path, cadence: str = "quarterly") -> dict:
    return json.loads((outputs / "2022-23-Q2" / cadence / "manifest.json").read_text())


def test_two_runs_of_one_report_take_turns_and_the_second_reuses_the_first(
        prefect_harness, inputs, tmp_path, monkeypatch):
    import threading

    import flows.scrutiny_report as module
    from reporting.automation.lock import RunInProgress

    config = _settings_file(tmp_path)
    config.write_text(config.read_text() + "# two runs\n")  # its own cache key
    outputs = tmp_path / "outputs"
    rendering, finish, renders = threading.Event(), threading.Event(), []
    import reporting.pipeline as pipeline
    import reporting.render.html as html_renderer

    real_pdf = html_renderer.render_pdf

    def slow_pdf(html, *args, **kwargs):
        renders.append(threading.current_thread().name)
        rendering.set()
        finish.wait(60)
        return real_pdf(html, *args, **kwargs)

    manifests, real_publish_run = {}, pipeline.publish_run

    def publish_run(*args, **kwargs):
        path = real_publish_run(*args, **kwargs)
        manifests[threading.current_thread().name] = json.loads(path.read_text())
        return path

    monkeypatch.setattr(html_renderer, "render_pdf", slow_pdf)
    monkeypatch.setattr(pipeline, "publish_run", publish_run)
    arguments = dict(period="2022/23 Q2", cadence="quarterly", inputs=str(inputs),
                     outputs=str(outputs), config=str(config))
    results = {}

    def run(name: str) -> None:
        results[name] = module.scrutiny_report(**arguments)

    first = threading.Thread(target=run, args=("first",), name="first")
    first.start()
    assert rendering.wait(60)
    # A run that will not wait is told at once why it cannot go.
    with pytest.raises(RunInProgress, match="another run of the 2022/23 Q2 quarterly report "
                                            "is in progress"):
        module.scrutiny_report(**arguments, wait_for_other_run_seconds=0)
    second = threading.Thread(target=run, args=("second",), name="second")
    second.start()
    second.join(2)
    assert second.is_alive()  # waiting for the first
    finish.set()
    first.join(60)
    second.join(60)
    first_manifest, second_manifest = manifests["first"], manifests["second"]
    assert results["first"] == results["second"]
    assert second_manifest["inputs_fingerprint"] == first_manifest["inputs_fingerprint"]
    assert renders == ["first"]  # rendered once: the second run reused the first's documents
    assert first_manifest["documents_reused"] is False
    assert second_manifest["documents_reused"] is True
    assert second_manifest["started"] >= first_manifest["finished"]
    assert second_manifest["outputs"] == first_manifest["outputs"]


KILLED_RUN = """
import pathlib, sys, time
import flows.scrutiny_report as module
import reporting.render.html as html_renderer

def hang(html, *args, **kwargs):
    pathlib.Path(sys.argv[1]).write_text("rendering")
    time.sleep(300)

html_renderer.render_pdf = hang
module.scrutiny_report(period="2022/23 Q2", cadence="quarterly", inputs=sys.argv[2],
                       outputs=sys.argv[3], config=sys.argv[4])
"""


def test_a_run_killed_mid_render_leaves_the_last_documents_intact(
        prefect_harness, inputs, tmp_path):
    import os
    import signal
    import time

    from prefect.settings import PREFECT_API_URL

    from flows.scrutiny_report import scrutiny_report

    mine = tmp_path / "inputs"
    shutil.copytree(inputs, mine)
    config, outputs = _settings_file(tmp_path), tmp_path / "outputs"
    config.write_text(config.read_text() + "# killed run\n")
    arguments = dict(period="2022/23 Q2", cadence="quarterly", inputs=str(mine),
                     outputs=str(outputs), config=str(config))
    paths = scrutiny_report(**arguments)
    folder = outputs / "2022-23-Q2" / "quarterly"
    before = _hashes(folder)
    # A return is withdrawn, so the next run renders afresh; it is killed while rendering.
    (mine / "returns" / "2022-23-Q2" / "communications.xlsx").unlink()
    marker = tmp_path / "rendering"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_RUN, str(marker), str(mine), str(outputs), str(config)],
        env={**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while not marker.exists():
            assert child.poll() is None and time.monotonic() < deadline, "never reached render"
            time.sleep(0.1)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert _hashes(folder) == before
    assert "2022/23 Q2" in _pdf_text(Path(paths["pdf"]))
    assert "2022-23-Q2/communications.xlsx" in json.dumps(_manifest(outputs))
    # The killed run's lock went with it: the next run goes straight through.
    again = scrutiny_report(**arguments, wait_for_other_run_seconds=0)
    assert again == paths
    assert "2022-23-Q2/communications.xlsx" not in json.dumps(_manifest(outputs)["inputs"])
    assert list(folder.glob("*.tmp")) == [] and list(folder.glob(".*.tmp")) == []


def test_papers_reach_the_committee_once_and_a_refusing_server_does_not_stop_publishing(
        prefect_harness, inputs, tmp_path, smtp_server):
    from flows.scrutiny_report import scrutiny_report

    outputs = tmp_path / "outputs"
    arguments = dict(period="2022/23 Q2", cadence="six-monthly", inputs=str(inputs),
                     outputs=str(outputs))
    port, refusing = smtp_server(refuse=True)
    state = scrutiny_report(**arguments, config=str(_settings_file(tmp_path, port)),
                            return_state=True)
    # Published all the same, and the run ends Failed naming the members not reached.
    assert state.is_failed()
    said = str(state.result(raise_on_failure=False))
    assert "not reached: member.one@example.gov.uk" in said
    assert "not reached: member.two@example.gov.uk" in said
    assert (outputs / "2022-23-Q2" / "six-monthly" /
            "scrutiny-report-2022-23-Q2-six-monthly.pdf").exists()
    record = json.loads((outputs / "2022-23-Q2" / "email-sent.json").read_text())
    assert record["sent"] == {}
    failed = record["failed"]["papers/2022-23-Q2/six-monthly/member.one@example.gov.uk"]
    assert failed["attempts"] == 3 and "Relaying refused" in failed["error"]  # 1 + 2 retries
    # The server is back: the next run sends the papers, and a run after that sends nothing.
    port, inbox = smtp_server()
    config = str(_settings_file(tmp_path, port))
    scrutiny_report(**arguments, config=config)
    scrutiny_report(**arguments, config=config)
    assert sorted(to for (to,), _ in inbox.messages) == [
        "member.one@example.gov.uk", "member.two@example.gov.uk"]
    _, mail = inbox.messages[0]
    assert {p.get_filename() for p in mail.iter_attachments()} == {
        "scrutiny-report-2022-23-Q2-six-monthly.pdf", "scrutiny-report-2022-23-Q2-six-monthly.docx"}
    record = json.loads((outputs / "2022-23-Q2" / "email-sent.json").read_text())
    assert len(record["sent"]) == 2 and record["failed"] == {}


def test_a_record_unwritable_mid_delivery_mails_each_member_at_most_once_and_fails_the_run(
        prefect_harness, inputs, tmp_path, smtp_server, monkeypatch):
    import reporting.automation.mail as mail
    from flows.scrutiny_report import scrutiny_report

    port, inbox = smtp_server()
    writes, real = [], mail.write_atomic

    def full_after_the_first_intent(path, data):  # the disk fills once member one's is written
        writes.append(path)
        if len(writes) > 1:
            raise OSError(28, "No space left on device", str(path))
        return real(path, data)

    monkeypatch.setattr(mail, "write_atomic", full_after_the_first_intent)
    outputs = tmp_path / "outputs"
    state = scrutiny_report(period="2022/23 Q2", cadence="quarterly", inputs=str(inputs),
                            outputs=str(outputs), config=str(_settings_file(tmp_path, port)),
                            return_state=True)
    assert state.is_failed()
    said = str(state.result(raise_on_failure=False))
    assert "not reached: member.two@example.gov.uk" in said
    # Member one's paper went (its outcome was never recorded): the retries did not resend it.
    assert "outcome unknown, not sent again: member.one@example.gov.uk" in said
    assert [to for (to,), _ in inbox.messages] == ["member.one@example.gov.uk"]
    assert len(writes) > 3  # the SMTP retries tried again, and wrote nothing
    record = json.loads((outputs / "2022-23-Q2" / "email-sent.json").read_text())
    assert list(record["sending"]) == ["papers/2022-23-Q2/quarterly/member.one@example.gov.uk"]
    assert record["sent"] == {}


def test_a_run_with_no_period_for_a_period_without_returns_mails_no_one(
        prefect_harness, inputs, tmp_path, smtp_server):
    from flows.scrutiny_report import scrutiny_report

    port, inbox = smtp_server()
    outputs = tmp_path / "outputs"
    # Run now, with no period: the schedule's latest run reports on a quarter years after
    # the bundled returns, which has no returns folder.
    result = scrutiny_report(cadence="quarterly", inputs=str(inputs), outputs=str(outputs),
                             config=str(_settings_file(tmp_path, port)))
    assert "has no returns folder" in result["no_paper"]
    assert inbox.messages == []
    assert not list(outputs.rglob("*.pdf")) and not list(outputs.rglob("email-sent.json"))
    chase = Path(result["chase_list"])
    assert chase.exists() and "Housing" in chase.read_text(encoding="utf-8-sig")


def test_a_deployment_run_without_returns_tells_the_policy_officer_once(
        prefect_harness, inputs, tmp_path, smtp_server, monkeypatch):
    import flows.scrutiny_report as module

    # As a scheduled or Quick run of a deployment (not a person's `reporting run`).
    monkeypatch.setattr(module, "on_a_deployment", lambda: True)
    port, inbox = smtp_server()
    outputs = tmp_path / "outputs"
    config = _settings_file(tmp_path, port)
    text = config.read_text().replace('# policy_officer = "policy.performance@harborough.gov.uk"',
                                      'policy_officer = "policy@example.gov.uk"')
    config.write_text(text.replace("# stopped = false", "stopped = true"))
    period = "2024/25 Q1"  # ended, with no returns folder

    def run() -> dict:
        return module.scrutiny_report(period=period, cadence="quarterly", inputs=str(inputs),
                                      outputs=str(outputs), config=str(config))

    held = run()
    assert "has no returns folder" in held["no_paper"] and inbox.messages == []
    config.write_text(text)  # mail started again
    run()
    run()
    assert [to for (to,), _ in inbox.messages] == ["policy@example.gov.uk"]
    _, mail = inbox.messages[0]
    assert mail["Subject"] == "Health & Wellbeing Action Plan 2022/23: no quarterly paper for " \
                              "2024/25 Q1"
    assert str(outputs / "2024-25-Q1" / "chase-list.csv") in mail.get_body().get_content()
    assert not list(outputs.rglob("*.pdf"))


def test_the_mail_stopped_variable_holds_back_every_message(
        prefect_harness, inputs, tmp_path, smtp_server):
    from prefect import flow
    from prefect.variables import Variable

    from flows.delivery import MAIL_STOPPED, send_with_retries
    from reporting.automation.mail import Outgoing
    from reporting.settings import load_settings

    port, inbox = smtp_server()
    email = load_settings(_settings_file(tmp_path, port)).email
    message = Outgoing("k/1", "member.one@example.gov.uk", "Papers", "Body")

    @flow
    def send() -> object:
        return send_with_retries(email, [message], tmp_path / "sent.json", "papers", "papers")

    Variable.set(MAIL_STOPPED, True, overwrite=True)
    try:
        stopped = send()
    finally:
        Variable.unset(MAIL_STOPPED)
    assert stopped.stopped and stopped.withheld == [message] and inbox.messages == []
    assert send().sent == [message] and len(inbox.messages) == 1


def test_a_mail_stopped_variable_that_cannot_be_read_sends_nothing_and_fails(
        prefect_harness, tmp_path, smtp_server, monkeypatch):
    from prefect import flow

    import flows.delivery
    from flows.delivery import send_with_retries
    from reporting.automation.mail import Outgoing
    from reporting.settings import load_settings

    port, inbox = smtp_server()
    email = load_settings(_settings_file(tmp_path, port)).email
    message = Outgoing("k/1", "member.one@example.gov.uk", "Papers", "Body")

    def unreachable(*args, **kwargs):
        raise ConnectionError("the API is down")

    monkeypatch.setattr(flows.delivery.Variable, "get", unreachable)

    @flow
    def send() -> object:
        return send_with_retries(email, [message], tmp_path / "sent.json", "papers", "papers")

    held = send()
    assert inbox.messages == [] and not held.ok
    (failed, why), = held.failed
    assert failed == message and "could not be read (the API is down)" in why


def test_the_intake_check_writes_the_chase_list_and_reminders_go_once(
        prefect_harness, inputs, tmp_path, smtp_server):
    from flows.intake_check import intake_check
    from flows.reminders import reminders

    port, inbox = smtp_server()
    outputs, config = tmp_path / "outputs", str(_settings_file(tmp_path, port))
    arguments = dict(inputs=str(inputs), outputs=str(outputs), config=config)
    # Between rounds the check does nothing.
    assert intake_check(**arguments, at="2022-11-20T09:00") is None
    chase_path = Path(intake_check(**arguments, at="2022-10-11T09:15"))
    assert chase_path == outputs / "2022-23-Q2" / "chase-list.csv"
    with chase_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["service_area"]: r for r in csv.DictReader(handle)}
    assert rows["Housing"]["lead_officer"] == "Housing Options Manager"
    assert rows["Housing"]["days_to_deadline"] == "3"
    assert rows["Housing"]["status"] == "due in 3 days"
    assert "Communications" not in rows  # its return is in
    # 11 October 2022 is three working days before the 14 October deadline.
    assert reminders(**arguments, at="2022-10-12T08:00") == []
    reminded = reminders(**arguments, at="2022-10-11T08:00")
    assert "housing@harborough.gov.uk" in reminded
    assert reminders(**arguments, at="2022-10-11T08:00") == reminded  # recorded, not re-sent
    assert sorted(to for (to,), _ in inbox.messages) == sorted(reminded)
    housing = next(m for (to,), m in inbox.messages if to == "housing@harborough.gov.uk")
    assert housing["Subject"] == "Reminder: Housing return for 2022/23 Q2 due 14 October"
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:  # named by plan and day, not "giga-oxpecker"
        names = {run.name for run in client.read_flow_runs()}
    plan = "Health & Wellbeing Action Plan 2022/23"
    assert {f"{plan}: intake check, 11 Oct 2022", f"{plan}: reminders, 12 Oct 2022"} <= names


def test_runs_are_named_by_plan_cadence_and_period(runs):
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        names = {run.name for run in client.read_flow_runs()}
    for cadence in ("quarterly", "six-monthly"):
        assert f"Health & Wellbeing Action Plan 2022/23: {cadence}, 2022/23 Q2" in names


def test_two_workers_running_one_plan_and_period_at_once_take_turns_and_mail_once(
        prefect_harness, inputs, tmp_path, smtp_server):
    """Three processes, as two or three workers would run them, against one Prefect API:
    two six-monthly runs of one plan and period, and its quarterly run, all at once."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags
    from prefect.settings import PREFECT_API_URL

    port, inbox = smtp_server()
    plan = tmp_path / "plans" / "health"
    shutil.copytree(inputs, plan / "inputs")  # keeps the files' times (a day back)
    _settings_file(plan, port)
    environment = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    command = [str(Path(sys.executable).with_name("reporting")), "--plan", "health", "run",
               "--period", "2022/23 Q2", "--cadence"]
    runs = [subprocess.Popen(command + [cadence], cwd=tmp_path, env=environment, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for cadence in ("six-monthly", "six-monthly", "quarterly")]
    said = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], said
    # One six-monthly run waited for the other, then reused its documents.
    waited = [text for text in said[:2] if "six-monthly report is in progress" in text]
    assert len(waited) == 1, said
    outputs = plan / "outputs"
    assert _manifest(outputs, "six-monthly")["documents_reused"] is True
    for cadence in ("quarterly", "six-monthly"):
        pdf = outputs / "2022-23-Q2" / cadence / f"scrutiny-report-2022-23-Q2-{cadence}.pdf"
        assert "Health & Wellbeing Action Plan 2022/23" in _pdf_text(pdf)
    # Each paper went to each member once: four messages, whichever run sent them.
    sent = sorted((to, mail["Subject"]) for (to,), mail in inbox.messages)
    assert len(sent) == 4 and len(set(sent)) == 4, sent
    record = json.loads((outputs / "2022-23-Q2" / "email-sent.json").read_text())
    assert len(record["sent"]) == 4 and record["failed"] == {}
    # The receipts the three runs share are whole, with nothing half-written beside them.
    receipts = outputs / "2022-23-Q2" / "receipts"
    assert sorted(p.suffix for p in receipts.iterdir()) and not list(receipts.glob("*.tmp*"))
    for receipt in receipts.glob("*.html"):
        assert receipt.read_text().rstrip().endswith("</html>")
    # The runs carry their plan's tag, as its scheduled runs do.
    with get_client(sync_client=True) as client:
        tagged = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            tags=FlowRunFilterTags(all_=["plan:health"])))
    assert len(tagged) == 3


def test_a_paper_is_cleared_role_by_role_before_it_is_published_and_mailed_once(
        prefect_harness, inputs, tmp_path, smtp_server, capsys):
    from cli.main import main
    from flows.scrutiny_report import scrutiny_report

    port, inbox = smtp_server()
    config = str(_settings_file(tmp_path, port, cleared_first=True))
    outputs = tmp_path / "outputs"
    papers = outputs / "2022-23-Q2" / "quarterly"
    name = "scrutiny-report-2022-23-Q2-quarterly"
    result = scrutiny_report(period="2022/23 Q2", cadence="quarterly", inputs=str(inputs),
                             outputs=str(outputs), config=config)
    # A draft, marked on every page and in the Word file, and nothing for members.
    assert result["draft"] == "waiting for the Head of Service"
    pdf = _pdf_text(papers / "draft" / f"{name}.pdf")
    assert pdf.count("Draft: not for publication") >= pdf.count("\f")
    draft_docx = Document(str(papers / "draft" / f"{name}.docx"))
    assert draft_docx.core_properties.content_status == "Draft"
    assert "Draft: not for publication" in (papers / "draft" / f"{name}.html").read_text()
    assert not (papers / f"{name}.pdf").exists() and inbox.messages == []
    assert (outputs / "2022-23-Q2" / "receipts").is_dir()  # officers have theirs at once

    clear = ["clear", "--config", config, "--period", "2022/23 Q2", "--inputs", str(inputs),
             "--outputs", str(outputs)]
    assert main([*clear, "--as", "Portfolio Holder", "--by", "Cllr Jones"]) == 2
    assert "waits for the Head of Service first" in capsys.readouterr().err
    assert main([*clear, "--as", "Head of Service", "--by", "A. Smith"]) == 0
    assert "now waits for the Portfolio Holder" in capsys.readouterr().out
    assert not (papers / f"{name}.pdf").exists() and inbox.messages == []
    assert main([*clear, "--as", "Portfolio Holder", "--by", "Cllr Jones"]) == 0
    # Published without the mark, the clearance in the manifest (roles and names), mailed once.
    assert "Draft: not for publication" not in _pdf_text(papers / f"{name}.pdf")
    assert "Draft" not in (Document(str(papers / f"{name}.docx")).core_properties.content_status
                           or "")
    manifest = json.loads((papers / "manifest.json").read_text())
    assert [(d["role"], d["by"]) for d in manifest["clearance"]["decisions"]] == [
        ("Head of Service", "A. Smith"), ("Portfolio Holder", "Cllr Jones")]
    assert "Smith" not in _pdf_text(papers / f"{name}.pdf")
    assert sorted(to for (to,), _ in inbox.messages) == [
        "member.one@example.gov.uk", "member.two@example.gov.uk"]
    # The same inputs again: still cleared, published, and nothing mailed twice.
    scrutiny_report(period="2022/23 Q2", cadence="quarterly", inputs=str(inputs),
                    outputs=str(outputs), config=config)
    assert len(inbox.messages) == 2


def test_changes_needed_publishes_nothing_and_a_changed_return_is_cleared_afresh(
        prefect_harness, inputs, tmp_path, smtp_server, capsys):
    from cli.main import main
    from flows.scrutiny_report import scrutiny_report

    port, inbox = smtp_server()
    config = str(_settings_file(tmp_path, port, cleared_first=True))
    mine = tmp_path / "inputs"
    shutil.copytree(inputs, mine)
    outputs = tmp_path / "outputs"
    papers = outputs / "2022-23-Q2" / "quarterly"
    arguments = dict(period="2022/23 Q2", cadence="quarterly", inputs=str(mine),
                     outputs=str(outputs), config=config)
    clear = ["clear", "--config", config, "--period", "2022/23 Q2", "--inputs", str(mine),
             "--outputs", str(outputs)]
    scrutiny_report(**arguments)
    assert main([*clear, "--as", "Head of Service", "--by", "A. Smith",
                 "--changes", "1.c reads wrong"]) == 0
    assert "Nothing is published or sent" in capsys.readouterr().out
    result = scrutiny_report(**arguments)  # the next run asks again from the first role
    assert result["draft"] == "waiting for the Head of Service"
    assert main([*clear, "--as", "Head of Service", "--by", "A. Smith"]) == 0
    capsys.readouterr()
    # A return corrected after the first role cleared: the draft cleared is not this one.
    late = mine / "returns" / "2022-23-Q2" / "health-and-wellbeing.csv"
    late.write_text(late.read_text().replace("On track", "At risk", 1))
    os.utime(late, (time.time() - 86400, time.time() - 86400))
    assert main([*clear, "--as", "Portfolio Holder", "--by", "Cllr Jones"]) == 2
    assert "inputs changed since the draft was cleared" in capsys.readouterr().err
    assert not (papers / "scrutiny-report-2022-23-Q2-quarterly.pdf").exists()
    assert inbox.messages == []
