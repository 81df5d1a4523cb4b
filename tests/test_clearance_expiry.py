"""A draft that waits longer than `[clearance] expires_days` expires, and says so (issue 23):
in `reporting clear --status`, in `reporting clear`'s refusal and in the policy officer's
notice of the run Prefect failed for it; the next run makes a new draft."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from uuid import uuid4

import pytest
from conftest import ROOT

from reporting.automation.clearance import (
    ClearanceError,
    decide,
    read_draft,
    refuse_expired,
    start_draft,
    write_draft,
)
from reporting.automation.run_notice import FailedRun, run_notice, with_clearance
from reporting.cadence import Paper
from reporting.layout import OutputLayout
from reporting.period import Period

ROLES = ("Head of Service", "Portfolio Holder")
MADE = datetime(2022, 10, 20, 9, 0).astimezone()
# Prefect 3's words when a suspended run's timeout passes: the server's pause-expiration
# service, and a resume that comes too late.
PREFECT_EXPIRED = "The flow was paused and never resumed."
PREFECT_TOO_LATE = "The flow was resuming and never resumed."


def _draft(now=MADE, previous=None, fingerprint="f1", expires_days=14):
    return start_draft(previous, period="2022/23 Q2", cadence="quarterly",
                       fingerprint=fingerprint, roles=ROLES, documents={"paper.pdf": "aa"},
                       now=now, expires_days=expires_days)


def test_a_draft_expires_its_recorded_days_after_it_was_made_unless_decided():
    draft = _draft(expires_days=14)
    assert draft.expires_days == 14
    assert not draft.expired(MADE + timedelta(days=13, hours=23), 14)
    assert draft.expired(MADE + timedelta(days=14), 14)
    # The days the draft was made with count, not a later edit of the settings.
    assert draft.expired(MADE + timedelta(days=20), 30)
    assert not draft.expired(MADE + timedelta(days=13), 7)
    # A record from before the days were kept takes the settings' value.
    older = replace(draft, expires_days=0)
    assert older.expired(MADE + timedelta(days=4), 3) and not older.expired(MADE, 3)
    # A draft decided either way waits for nobody, so never expires.
    cleared = decide(decide(draft, "Head of Service", "A. Smith", MADE),
                     "Portfolio Holder", "Cllr Jones", MADE)
    sent_back = decide(draft, "Head of Service", "A. Smith", MADE, changes="1.c")
    assert not cleared.expired(MADE + timedelta(days=60), 14)
    assert not sent_back.expired(MADE + timedelta(days=60), 14)


def test_the_next_run_after_an_expiry_makes_a_new_draft_from_the_first_role():
    waiting = decide(_draft(), "Head of Service", "A. Smith", MADE)
    later = MADE + timedelta(days=15)
    # The same inputs, before the expiry: the sign-off stands, the draft's time runs on.
    again = _draft(now=MADE + timedelta(days=2), previous=waiting)
    assert again.cleared_by == ("Head of Service",) and again.made == waiting.made
    # After it: a new draft, asked from the first role, with its own days from now.
    fresh = _draft(now=later, previous=waiting, expires_days=21)
    assert fresh.decisions == () and fresh.next_role == "Head of Service"
    assert fresh.made == later.isoformat(timespec="seconds") and fresh.expires_days == 21
    assert not fresh.expired(later + timedelta(days=20), 14)


def test_an_expired_draft_is_refused_in_one_line_saying_what_to_do():
    draft = decide(_draft(), "Head of Service", "A. Smith", MADE)
    again = 'reporting run --period "2022/23 Q2" --cadence quarterly'
    refuse_expired(draft, MADE + timedelta(days=13), 14, again)  # not yet: no refusal
    with pytest.raises(ClearanceError) as refused:
        refuse_expired(draft, MADE + timedelta(days=15), 14, again)
    said = str(refused.value)
    assert "\n" not in said
    assert said.startswith("The quarterly paper for 2022/23 Q2 waited 14 days for the "
                           "Portfolio Holder's clearance and expired; nothing was published "
                           "or sent. Expired on 3 November 2022 09:00")
    assert said.endswith(f"run it again to make a new draft, cleared from the first role: "
                         f"{again}")


def _record(tmp_path, draft):
    record = OutputLayout(tmp_path).clearance_record(Period.parse("2022/23 Q2"),
                                                     Paper.QUARTERLY)
    return record, write_draft(record, draft)


def _clear(tmp_path, *more):
    from cli.main import main

    return main(["clear", "--config", str(ROOT / "reporting.toml"), "--outputs",
                 str(tmp_path), *more])


def test_reporting_clear_status_lists_an_expired_draft_as_expired_since_when_for_whom(
        tmp_path, capsys):
    made = datetime.now().astimezone() - timedelta(days=20)
    _record(tmp_path, _draft(now=made))
    (tmp_path / "2022-23-Q2" / "six-monthly" / "draft").mkdir(parents=True)
    write_draft(OutputLayout(tmp_path).clearance_record(Period.parse("2022/23 Q2"),
                                                        Paper.SIX_MONTHLY),
                replace(_draft(now=datetime.now().astimezone()), cadence="six-monthly"))
    assert _clear(tmp_path, "--status") == 0
    expired, words, waiting = capsys.readouterr().out.splitlines()
    since = (made + timedelta(days=14)).isoformat(timespec="seconds")
    assert expired.startswith(f"2022/23 Q2 quarterly: expired, since {since}, for the Head "
                              "of Service (")
    assert "waiting" not in expired
    assert words == ("  The quarterly paper for 2022/23 Q2 waited 14 days for the Head of "
                     "Service's clearance and expired; nothing was published or sent; a new "
                     'draft: reporting run --period "2022/23 Q2" --cadence quarterly')
    assert waiting.startswith("2022/23 Q2 six-monthly: waiting for the Head of Service, since")


def test_reporting_clear_refuses_an_expired_draft_and_records_nothing(tmp_path, capsys):
    from conftest import free_port

    made = datetime.now().astimezone() - timedelta(days=15)
    # Its deployment run was failed by Prefect: the API is not even asked.
    record, draft = _record(tmp_path, replace(
        _draft(now=made), flow_run=str(uuid4()), api=f"http://127.0.0.1:{free_port()}/api"))
    assert _clear(tmp_path, "--period", "2022/23 Q2", "--as", "Head of Service",
                  "--by", "A. Smith") == 2
    (said,) = capsys.readouterr().err.splitlines()
    assert said.startswith("reporting: The quarterly paper for 2022/23 Q2 waited 14 days "
                           "for the Head of Service's clearance and expired")
    assert said.endswith('reporting run --period "2022/23 Q2" --cadence quarterly')
    assert read_draft(record) == draft


RUN_ID = "0b9f6c1e-0000-4000-8000-000000000002"
EXPIRED_RUN = FailedRun(
    id=RUN_ID, name="Corporate Plan 2024-28: quarterly, 2022/23 Q2", flow="scrutiny-report",
    state_type="FAILED", state_name="Failed", message=PREFECT_EXPIRED,
    deployment="corporate-quarterly-report", started=MADE, period="2022/23 Q2",
    cadence="quarterly", plan="corporate", link=f"http://127.0.0.1:4200/runs/flow-run/{RUN_ID}",
    waited_for="Portfolio Holder", waited_days=14)


@pytest.mark.parametrize("message", [
    PREFECT_EXPIRED, PREFECT_TOO_LATE,
    "Flow run encountered an exception: ClearanceExpired: The quarterly paper for 2022/23 "
    "Q2 waited 14 days for the Portfolio Holder's clearance and expired"])
def test_the_notice_of_an_expired_clearance_says_so_in_the_councils_words(message):
    run = replace(EXPIRED_RUN, message=message)
    notice = run_notice(run, "policy@example.gov.uk", MADE + timedelta(days=14))
    assert notice.subject == f"Clearance expired: {run.name}"
    assert notice.key == f"run-failed/{RUN_ID}/failed"  # told once, like any failure
    assert notice.body.startswith(
        "The quarterly scrutiny report for 2022/23 Q2 waited 14 days for the Portfolio "
        "Holder's clearance and expired; nothing was published or sent. Run it again (the "
        "deployment's page in the UI, Run, with the same parameters; or, in the installation "
        'folder, reporting run --plan corporate --period "2022/23 Q2" --cadence quarterly) '
        "to make new drafts")
    assert f"Prefect says: {message}" in notice.body and run.link in notice.body
    assert "Mend what Prefect's message" not in notice.body  # not the failure's words


def test_a_failure_that_is_no_expiry_keeps_the_failure_notice():
    run = replace(EXPIRED_RUN, message="The mail server refused every member",
                  waited_for=None, waited_days=None)
    notice = run_notice(run, "policy@example.gov.uk", MADE)
    assert notice.subject.startswith("Run failed: ") and "expired" not in notice.body
    crashed = replace(EXPIRED_RUN, state_type="CRASHED", state_name="Crashed")
    assert run_notice(crashed, "policy@example.gov.uk", MADE).subject.startswith("Run crashed")


def test_the_notice_takes_the_role_and_days_from_the_expired_runs_own_draft(tmp_path):
    run = replace(EXPIRED_RUN, waited_for=None, waited_days=None)
    _record(tmp_path, replace(decide(_draft(expires_days=10), "Head of Service", "A. Smith",
                                     MADE), flow_run=RUN_ID))
    told = with_clearance(run, tmp_path, expires_days=14)
    assert (told.waited_for, told.waited_days) == ("Portfolio Holder", 10)
    # A newer draft's record (another run's) gives no role; the days are the settings'.
    _record(tmp_path, replace(_draft(), flow_run=str(uuid4())))
    told = with_clearance(run, tmp_path, expires_days=14)
    assert (told.waited_for, told.waited_days) == (None, 14)
    body = run_notice(told, "policy@example.gov.uk", MADE).body
    assert "waited 14 days for clearance and expired" in body
    # A run that is no expiry is left as it is.
    failed = replace(run, message="The mail server refused every member")
    assert with_clearance(failed, tmp_path, expires_days=14) == failed
