"""Clearance, role by role, of the exact draft (issue 23): the library's decisions."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import make_settings

from reporting.automation.clearance import (
    CHANGES_NEEDED,
    ClearanceError,
    clearance_line,
    decide,
    drafts_under,
    model_fingerprint,
    read_draft,
    start_draft,
    write_draft,
)
from reporting.cadence import Cadence
from reporting.layout import OutputLayout
from reporting.period import Period
from reporting.settings import ClearanceSettings, EmailSettings

NOW = datetime(2022, 10, 20, 9, 0).astimezone()
ROLES = ("Head of Service", "Portfolio Holder")


def _draft(fingerprint="f1", previous=None, roles=ROLES):
    return start_draft(previous, period="2022/23 Q2", cadence="quarterly",
                       fingerprint=fingerprint, roles=roles,
                       documents={"paper.pdf": "aa"}, now=NOW)


def test_roles_clear_in_order_and_then_the_draft_is_cleared():
    draft = _draft()
    assert draft.next_role == "Head of Service" and not draft.cleared
    with pytest.raises(ClearanceError, match="waits for the Head of Service first"):
        decide(draft, "Portfolio Holder", "Cllr Jones", NOW)
    draft = decide(draft, "head of  service", "A. Smith", NOW)  # any case, any spacing
    assert draft.next_role == "Portfolio Holder"
    assert draft.state == "waiting for the Portfolio Holder"
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
    record = layout.clearance_record(Period.parse("2022/23 Q2"), Cadence.QUARTERLY)
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
    assert make_settings(email=EmailSettings(enabled=True)).clearance_required
    assert not make_settings(email=EmailSettings(enabled=True),
                             clearance=ClearanceSettings(required=False)).clearance_required
    assert make_settings(clearance=ClearanceSettings(required=True)).clearance_required


def test_the_paper_names_the_roles_that_cleared_it_only_when_asked():
    from dataclasses import replace

    from sample_model import sample_model

    front = sample_model("An update").front
    assert "Cleared by" not in dict(front.rows())
    shown = replace(front, cleared_by="Head of Service, Portfolio Holder")
    assert dict(shown.rows())["Cleared by"] == "Head of Service, Portfolio Holder"
