"""Clearance, role by role, of the exact draft (issue 23): the library's decisions."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import ROOT, make_settings

from reporting.automation.clearance import (
    CHANGES_NEEDED,
    ClearanceError,
    clearance_line,
    decide,
    drafts_under,
    form_description,
    model_fingerprint,
    read_draft,
    start_draft,
    uncleared_note,
    write_draft,
)
from reporting.cadence import Paper
from reporting.layout import OutputLayout
from reporting.period import Period
from reporting.settings import ClearanceSettings, EmailSettings

NOW = datetime(2022, 10, 20, 9, 0).astimezone()
ROLES = ("Head of Service", "Portfolio Holder")


def _draft(fingerprint="f1", previous=None, roles=ROLES):
    return start_draft(previous, period="2022/23 Q2", cadence="quarterly",
                       fingerprint=fingerprint, roles=roles,
                       documents={"paper.pdf": "aa"}, now=NOW, expires_days=14)


def test_roles_clear_in_order_and_then_the_draft_is_cleared():
    draft = _draft()
    assert draft.next_role == "Head of Service" and not draft.cleared
    with pytest.raises(ClearanceError, match="waits for the Head of Service first"):
        decide(draft, "Portfolio Holder", "Cllr Jones", NOW)
    draft = decide(draft, "head of  service", "A. Smith", NOW)  # any case, any spacing
    assert draft.next_role == "Portfolio Holder"
    assert draft.state == "waiting for the Portfolio Holder"
    # A second sign-off by the same role is told it is done, not that it is out of turn.
    with pytest.raises(ClearanceError, match="the Head of Service cleared this draft already "
                                             r"\(.*\): it waits for the Portfolio Holder now"):
        decide(draft, "Head of Service", "A. Smith", NOW)
    draft = decide(draft, "Portfolio Holder", "Cllr Jones", NOW + timedelta(hours=2))
    assert draft.cleared and draft.next_role is None
    assert [d.documents for d in draft.decisions] == [{"paper.pdf": "aa"}] * 2
    assert clearance_line(draft) == "Cleared by: Head of Service, Portfolio Holder"
    assert "Smith" not in clearance_line(draft)
    with pytest.raises(ClearanceError, match="already cleared"):
        decide(draft, "Portfolio Holder", "Cllr Jones", NOW)


def test_changes_needed_ends_the_round_and_the_next_draft_asks_again_from_the_first_role():
    draft = decide(_draft(), "Head of Service", "A. Smith", NOW)
    draft = decide(draft, "Portfolio Holder", "Cllr Jones", NOW, changes="1.c reads wrong")
    assert draft.state == CHANGES_NEEDED and not draft.cleared and draft.next_role is None
    assert draft.decisions[-1].comments == "1.c reads wrong"
    with pytest.raises(ClearanceError, match="asked for changes"):
        decide(draft, "Portfolio Holder", "Cllr Jones", NOW)
    again = _draft("f1", previous=draft)  # even from the same inputs
    assert again.decisions == () and again.next_role == "Head of Service"


def test_a_sign_off_is_for_the_exact_draft():
    cleared = decide(_draft("f1"), "Head of Service", "A. Smith", NOW)
    assert _draft("f1", previous=cleared).cleared_by == ("Head of Service",)
    assert _draft("f2", previous=cleared).cleared_by == ()  # a late return came in
    assert _draft("f1", previous=cleared, roles=("Director",)).cleared_by == ()


def test_the_fingerprint_changes_with_the_inputs_or_any_word_of_the_paper():
    assert model_fingerprint("abc", ("words",)) == model_fingerprint("abc", ("words",))
    assert model_fingerprint("abc", ("words",)) != model_fingerprint("abd", ("words",))
    assert model_fingerprint("abc", ("words",)) != model_fingerprint("abc", ("word",))


def test_an_unknown_role_or_no_name_is_refused_saying_what_to_give():
    with pytest.raises(ClearanceError, match="roles, in order, are: Head of Service, "
                                             "Portfolio Holder"):
        decide(_draft(), "Director", "A. Smith", NOW)
    with pytest.raises(ClearanceError, match="--by NAME"):
        decide(_draft(), "Head of Service", "  ", NOW)


def test_the_record_reads_back_and_drafts_are_found_under_the_outputs(tmp_path):
    layout = OutputLayout(tmp_path)
    record = layout.clearance_record(Period.parse("2022/23 Q2"), Paper.QUARTERLY)
    draft = decide(_draft(), "Head of Service", "A. Smith", NOW, comments="Fine")
    write_draft(record, draft)
    assert record == tmp_path / "2022-23-Q2" / "quarterly" / "draft" / "clearance.json"
    assert read_draft(record) == draft
    assert [d for _, d in drafts_under(layout)] == [draft]
    assert read_draft(tmp_path / "nothing.json") is None
    record.write_text("{not json")
    with pytest.raises(ClearanceError, match="cannot be read"):
        read_draft(record)


def test_clearance_follows_email_unless_the_council_says():
    assert not make_settings().clearance_required
    assert make_settings(email=EmailSettings(enabled=True),
                         clearance=ClearanceSettings()).clearance_required
    assert not make_settings(email=EmailSettings(enabled=True),
                             clearance=ClearanceSettings(required=False)).clearance_required
    assert make_settings(clearance=ClearanceSettings(required=True)).clearance_required


def _installation(folder, clearance: str):
    from reporting.settings import load_settings

    text = (ROOT / "reporting.toml").read_text().replace("enabled = false", "enabled = true")
    table = text.index("[clearance]")
    text = text[:table] + clearance + text[text.index("[glossary]"):]
    (folder / "reporting.toml").write_text(text)
    return load_settings(folder / "reporting.toml")


def test_an_installation_from_before_clearance_mails_as_before_and_says_clearance_is_there(
        tmp_path):
    old = _installation(tmp_path, "")  # no [clearance] table: email on, papers uncleared
    assert old.email.enabled and not old.clearance_required
    assert "no [clearance] table. Clearance is available" in uncleared_note(old)
    # A table without `required` follows [email] enabled; one that says false is obeyed.
    assert _installation(tmp_path, "[clearance]\n").clearance_required
    told = _installation(tmp_path, "[clearance]\nrequired = false\n")
    assert not told.clearance_required
    assert uncleared_note(told) == "Papers go to members uncleared: [clearance] required is false."


def test_the_paper_names_the_roles_that_cleared_it_only_when_asked():
    from dataclasses import replace

    from sample_model import sample_model

    front = sample_model("An update").front
    assert "Cleared by" not in dict(front.rows())
    shown = replace(front, cleared_by="Head of Service, Portfolio Holder")
    assert dict(shown.rows())["Cleared by"] == "Head of Service, Portfolio Holder"


def test_the_form_says_whose_turn_what_each_answer_does_and_shows_the_drafts_escaped():
    from reporting.checks import Finding, codes

    sent_back = decide(_draft(), "Head of Service", "A. Smith", NOW, changes="1.c <b>wrong</b>")
    draft = decide(_draft("f2", previous=sent_back), "Head of Service", "A. Smith", NOW,
                   comments="[see](http://x.example)")
    findings = [Finding(codes.UNAPPROVED_RETURN, "", "Housing", "No approver"),
                Finding(codes.UNAPPROVED_RETURN, "", "Leisure", "No approver"),
                Finding(codes.STALE_UPDATE, "1.a", "Housing", "Same words")]
    text = form_description(draft, "Portfolio Holder", Path("/out/2022-23-Q2/quarterly/draft"),
                            {"PDF": "paper.pdf"}, ["1.c *Housing*: Off track"], findings)
    assert "Waiting for the **Portfolio Holder**" in text
    assert "**changes needed** (say what in Comments) publishes and sends nothing" in text
    assert "In `/out/2022-23-Q2/quarterly/draft`:" in text and "- PDF: `paper.pdf`" in text
    # What the last draft was sent back for, and who has cleared this one, escaped.
    assert r"sent the last draft back (A\. Smith, 20 Oct 2022 09\:00)" in text
    assert r"1\.c \<b\>wrong\<\/b\>" in text and "<b>" not in text
    assert r"\[see\]\(http\:\/\/x\.example\)" in text and "[see](" not in text
    assert r"- 1\.c \*Housing\*\: Off track" in text
    assert "### Data quality (3 findings)" in text
    assert text.index("- 2 unapproved return (Medium)") < text.index("- 1 stale update (Low)")
    assert "`data-quality.html`" in text


def test_each_roles_suspend_key_is_its_own_and_one_prefect_accepts():
    from flows.clearance import pause_key

    draft = _draft(roles=("Head of Service", "Finance & Legal (S151)"))
    keys = [pause_key(draft, role, "ab12") for role in draft.roles]
    assert keys == ["1-head-of-service-ab12", "2-finance-legal-s151-ab12"]


def test_reporting_clear_records_nothing_when_the_waiting_runs_api_cannot_be_reached(
        tmp_path, capsys):
    from dataclasses import replace
    from uuid import uuid4

    from conftest import free_port

    from cli.main import main

    record = OutputLayout(tmp_path).clearance_record(Period.parse("2022/23 Q2"),
                                                     Paper.QUARTERLY)
    made = datetime.now().astimezone().isoformat(timespec="seconds")  # not yet expired
    waiting = write_draft(record, replace(_draft(), flow_run=str(uuid4()), made=made,
                                          api=f"http://127.0.0.1:{free_port()}/api"))
    assert main(["clear", "--config", str(ROOT / "reporting.toml"), "--period", "2022/23 Q2",
                 "--outputs", str(tmp_path), "--as", "Head of Service", "--by", "A. Smith"]) == 2
    (said,) = capsys.readouterr().err.splitlines()
    assert f"the Prefect API at {waiting.api} cannot be reached" in said
    assert "nothing was recorded: start the server (`reporting serve`" in said
    assert read_draft(record) == waiting  # the run still waits for the Head of Service


def _waiting_on_a_run(tmp_path):
    from dataclasses import replace
    from uuid import uuid4

    record = OutputLayout(tmp_path).clearance_record(Period.parse("2022/23 Q2"),
                                                     Paper.QUARTERLY)
    made = datetime.now().astimezone().isoformat(timespec="seconds")  # not yet expired
    return record, write_draft(record, replace(_draft(), flow_run=str(uuid4()), made=made,
                                               api="http://127.0.0.1:4200/api"))


def _run_in(state, draft):
    """The run as Prefect's API would give it, in `state`."""
    from uuid import UUID, uuid4

    from prefect.client.schemas.objects import FlowRun

    return FlowRun(id=UUID(draft.flow_run), flow_id=uuid4(), state=state,
                   name="Corporate Plan: quarterly, 2022/23 Q2")


def _clear_head_of_service(tmp_path):
    from cli.main import main

    return main(["clear", "--config", str(ROOT / "reporting.toml"), "--period", "2022/23 Q2",
                 "--outputs", str(tmp_path), "--as", "Head of Service", "--by", "A. Smith"])


@pytest.mark.parametrize("state", ["Running", "Scheduled", "Pending", "Cancelling"])
def test_reporting_clear_refuses_a_run_that_is_going_on_already_and_resumes_nothing(
        tmp_path, capsys, monkeypatch, state):
    import prefect.states

    import flows.clearance

    record, waiting = _waiting_on_a_run(tmp_path)
    # Cleared on its page a moment ago (or a second click): Prefect resumed it.
    now = getattr(prefect.states, state)()
    monkeypatch.setattr(flows.clearance, "_read_run", lambda draft: _run_in(now, draft))
    asked = []
    monkeypatch.setattr(flows.clearance, "_ask_to_resume",
                        lambda draft, answer: asked.append(answer))
    monkeypatch.setattr("flows.launch.run_report", lambda *a, **k: asked.append("run"))
    assert _clear_head_of_service(tmp_path) == 2
    (said,) = capsys.readouterr().err.splitlines()
    assert said.startswith(f"reporting: the run Corporate Plan: quarterly, 2022/23 Q2 "
                           f"({waiting.flow_run}) of the 2022/23 Q2 quarterly paper is "
                           f"{state} already, not waiting for a sign-off")
    assert "nothing was recorded or sent here" in said
    assert "`reporting clear --status`" in said
    assert f"http://127.0.0.1:4200/runs/flow-run/{waiting.flow_run}" in said
    assert asked == [] and read_draft(record) == waiting  # not resumed, nothing recorded


def test_reporting_clear_refuses_when_the_run_is_resumed_between_its_look_and_its_resume(
        tmp_path, capsys, monkeypatch):
    from prefect.client.schemas import OrchestrationResult
    from prefect.client.schemas.responses import SetStateStatus, StateAbortDetails
    from prefect.states import Running, Suspended

    import flows.clearance

    record, waiting = _waiting_on_a_run(tmp_path)
    states = [Suspended(), Running()]  # the form on its page answered in between
    monkeypatch.setattr(flows.clearance, "_read_run",
                        lambda draft: _run_in(states.pop(0), draft))
    # The server resumes a run once: the second ask is aborted, "not paused".
    monkeypatch.setattr(flows.clearance, "_ask_to_resume", lambda draft, answer: (
        OrchestrationResult(state=None, status=SetStateStatus.ABORT, details=StateAbortDetails(
            reason="Cannot resume a flow run that is not paused."))))
    assert _clear_head_of_service(tmp_path) == 2
    (said,) = capsys.readouterr().err.splitlines()
    assert f"({waiting.flow_run}) of the 2022/23 Q2 quarterly paper is Running already" in said
    assert states == [] and read_draft(record) == waiting  # its decision taken back


def test_reporting_clear_resumes_a_suspended_run_and_takes_an_ended_ones_sign_off_itself(
        tmp_path, capsys, monkeypatch):
    from prefect.client.schemas import OrchestrationResult
    from prefect.client.schemas.responses import SetStateStatus, StateAcceptDetails
    from prefect.states import Cancelled, Suspended

    import flows.clearance

    record, waiting = _waiting_on_a_run(tmp_path)
    state = Suspended()
    monkeypatch.setattr(flows.clearance, "_read_run", lambda draft: _run_in(state, draft))
    asked = []
    monkeypatch.setattr(flows.clearance, "_ask_to_resume", lambda draft, answer: (
        asked.append(answer) or OrchestrationResult(
            state=None, status=SetStateStatus.ACCEPT, details=StateAcceptDetails())))
    assert _clear_head_of_service(tmp_path) == 0
    assert f"the suspended run {waiting.flow_run} goes on" in capsys.readouterr().out
    assert asked == [{"by": "A. Smith", "comments": "", "decision": "cleared"}]
    assert read_draft(record).cleared_by == ("Head of Service",)

    # A run cancelled while it waited: the command line takes the sign-off, resuming nothing.
    write_draft(record, waiting)
    state = Cancelled()
    assert _clear_head_of_service(tmp_path) == 0
    assert "no longer waits on this draft" in capsys.readouterr().out
    assert len(asked) == 1
    assert read_draft(record).cleared_by == ("Head of Service",) \
        and read_draft(record).flow_run == ""


@pytest.mark.parametrize("changes", ["", "   ", "\n"])
def test_reporting_clear_with_empty_changes_asked_records_nothing(tmp_path, capsys, changes):
    from cli.main import main

    record = OutputLayout(tmp_path).clearance_record(Period.parse("2022/23 Q2"),
                                                     Paper.QUARTERLY)
    waiting = write_draft(record, _draft())
    assert main(["clear", "--config", str(ROOT / "reporting.toml"), "--period", "2022/23 Q2",
                 "--outputs", str(tmp_path), "--as", "Head of Service", "--by", "A. Smith",
                 "--changes", changes]) == 2
    assert "--changes is empty: say what must change" in capsys.readouterr().err
    assert read_draft(record) == waiting  # not cleared: the role meant to send it back
