"""Each flag fires where it should and stays quiet where it should not."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from conftest import make_action, make_plan, make_return, make_row, raise_flags

from reporting.cadence import Cadence, Paper
from reporting.checks import Severity
from reporting.intake.returns import Problem
from reporting.merge import merge
from reporting.period import Period

Q2 = Period.parse("2022/23 Q2")


def flags_for(plan, returns, period=Q2, cadence=Paper.QUARTERLY):
    return raise_flags(merge(plan, list(returns), cadence, period))


def codes(flags, action_id=None):
    return [f.code for f in flags if action_id is None or f.action_id == action_id]


def test_a_clean_return_raises_nothing():
    plan = make_plan(make_action("1.a"), make_action("1.b"))
    assert flags_for(plan, [make_return("Regulatory Services", make_row("1.a"),
                                        make_row("1.b", row=9))]) == []


def test_no_return_names_the_service_and_its_actions():
    plan = make_plan(make_action("1.a"), make_action("1.e", lead_service_area="Housing"))
    flags = flags_for(plan, [make_return("Regulatory Services", make_row("1.a"))])
    [flag] = flags
    assert (flag.code, flag.service_area, flag.severity) == ("NO_RETURN", "Housing", Severity.HIGH)
    assert "1.e" in flag.message and "2022/23 Q2" in flag.message


def test_a_return_under_another_spelling_of_the_service_counts():
    plan = make_plan(make_action("2.c", lead_service_area="Health & Wellbeing"))
    ret = make_return("Health and Wellbeing Team", make_row("2.c"))
    assert "NO_RETURN" not in codes(flags_for(plan, [ret]))


def test_an_unreadable_return_is_flagged_and_counts_as_missing():
    plan = make_plan(make_action("1.a"))
    broken = make_return("Regulatory Services", problems=(
        Problem("regulatory-services.xlsx", "", "the file is not a spreadsheet", fatal=True),))
    assert sorted(codes(flags_for(plan, [broken]))) == ["NO_RETURN", "UNREADABLE_RETURN"]


def test_missing_update_when_the_return_has_no_row_for_an_action():
    plan = make_plan(make_action("1.a"), make_action("1.b"))
    flags = flags_for(plan, [make_return("Regulatory Services", make_row("1.a"))])
    assert codes(flags) == ["MISSING_UPDATE"]
    assert flags[0].action_id == "1.b"


def test_missing_update_when_the_progress_update_is_empty():
    plan = make_plan(make_action("1.a"))
    flags = flags_for(plan, [make_return("Regulatory Services", make_row("1.a", update=""))])
    assert codes(flags) == ["MISSING_UPDATE"]
    assert flags[0].source == "regulatory-services.xlsx, Return!E8"


@pytest.mark.parametrize("typed", ["", "Purple"])
def test_missing_status_when_blank_or_unrecognised(typed):
    plan = make_plan(make_action("1.a"))
    flags = flags_for(plan, [make_return("Regulatory Services", make_row("1.a", status=typed))])
    assert codes(flags) == ["MISSING_STATUS"]
    assert flags[0].source.endswith("Return!D8")
    if typed:
        assert "Purple" in flags[0].message


def test_milestone_undefined_only_for_actions_with_nothing_to_judge_and_once_for_the_plan():
    plan = make_plan(
        make_action("5.b", target=""),  # a milestone and a date: progress can be judged
        make_action("6.c", milestones=()),
        make_action("6.d", milestones=(), target="", due_date=None, by_when=""),
        make_action("6.e", milestones=(), target="", due_date=None, by_when=""),
        make_action("6.f", milestones=(), target="", due_date=None, by_when="Ongoing"),
    )
    rows = [make_row(i, row=n) for n, i in enumerate(["5.b", "6.c", "6.d", "6.e", "6.f"], 8)]
    flags = flags_for(plan, [make_return("Regulatory Services", *rows)])
    [flag] = [f for f in flags if f.code == "MILESTONE_UNDEFINED"]
    assert flag.officer == ("2 actions (6.d, 6.e) have no milestone, no due date and no "
                            "target: progress cannot be judged until the plan defines one")
    assert flag.cell == "Actions sheet, 6.d, 6.e" and flag.action_id == ""


def test_an_unled_plan_raises_one_finding_and_no_lead_is_made_up():
    plan = make_plan(*(make_action(f"1.{n}", leads=()) for n in "abcdefghijk"))
    flags = flags_for(plan, [])
    [flag] = [f for f in flags if f.code == "MILESTONE_UNDEFINED"]
    assert flag.officer.startswith("the plan names no lead service for any action")
    assert all(not p.action.leads for p in merge(plan, [], Paper.QUARTERLY,
                                                  Period.parse("2022/23 Q2")).progress)


def test_the_bundled_plan_has_nothing_undefined(bundled_plan):
    flags = flags_for(bundled_plan, [])
    assert not [f for f in flags if f.code == "MILESTONE_UNDEFINED"]


def test_overdue_when_the_due_date_passed_and_not_complete():
    plan = make_plan(make_action("1.a", due_date=date(2022, 8, 31)),
                     make_action("1.b", due_date=date(2022, 8, 31)),
                     make_action("1.c", due_date=date(2022, 10, 31)))
    ret = make_return("Regulatory Services", make_row("1.a"),
                      make_row("1.b", status="Complete", row=9), make_row("1.c", row=10))
    flags = flags_for(plan, [ret])
    assert [(f.code, f.action_id) for f in flags] == [("OVERDUE", "1.a")]


def test_overdue_uses_the_revised_date_when_there_is_one():
    plan = make_plan(make_action("1.a", due_date=date(2022, 8, 31)),
                     make_action("1.b", due_date=date(2023, 3, 31)))
    ret = make_return("Regulatory Services",
                      make_row("1.a", revised_date=date(2022, 12, 31), reason_for_revised_date="x"),
                      make_row("1.b", revised_date=date(2022, 9, 1), row=9))
    flags = flags_for(plan, [ret])
    assert [(f.code, f.action_id) for f in flags if f.code == "OVERDUE"] == [("OVERDUE", "1.b")]


def test_date_slipped_gives_the_dates_and_the_reason():
    plan = make_plan(make_action("1.a"))
    ret = make_return("Regulatory Services", make_row(
        "1.a", revised_date=date(2023, 9, 30), reason_for_revised_date="Waiting for the NPPF"))
    [flag] = flags_for(plan, [ret])
    assert flag.code == "DATE_SLIPPED"
    assert flag.message == ("1.a has slipped from 31 March 2023 to 30 September 2023: "
                            "Waiting for the NPPF.")
    assert flag.source.endswith("Return!F8")


def test_date_slipped_says_when_no_reason_was_given():
    plan = make_plan(make_action("1.a"))
    ret = make_return("Regulatory Services", make_row("1.a", revised_date=date(2023, 6, 30)))
    assert "no reason given" in flags_for(plan, [ret])[0].message


def test_an_earlier_revised_date_is_not_a_slip():
    plan = make_plan(make_action("1.a"))
    ret = make_return("Regulatory Services", make_row("1.a", revised_date=date(2023, 1, 31)))
    assert "DATE_SLIPPED" not in codes(flags_for(plan, [ret]))


def test_unknown_action_keeps_what_the_officer_typed():
    plan = make_plan(make_action("1.a"))
    ret = make_return("Regulatory Services", make_row("1.a"),
                      make_row("4.d", row=9), make_row("", row=10, raw_action_id="Misc"))
    flags = flags_for(plan, [ret])
    assert [(f.code, f.action_id) for f in flags] == [
        ("UNKNOWN_ACTION", "4.d"), ("UNKNOWN_ACTION", "Misc")]
    assert {f.source for f in flags} == {"regulatory-services.xlsx, Return!A9",
                                         "regulatory-services.xlsx, Return!A10"}


def test_an_action_not_covered_this_period_is_not_unknown():
    plan = make_plan(make_action("1.a"), make_action("2.a", cadence=Cadence.ANNUAL))
    ret = make_return("Regulatory Services", make_row("1.a"), make_row("2.a", row=9))
    assert flags_for(plan, [ret]) == []


def test_duplicate_update_for_two_rows_on_one_action():
    plan = make_plan(make_action("1.a"))
    ret = make_return("Regulatory Services", make_row("1.a"),
                      make_row("1.a", update="Second go", row=9))
    flags = flags_for(plan, [ret])
    assert codes(flags) == ["DUPLICATE_UPDATE"]
    assert "Return!A8" in flags[0].message  # the row that was used
    assert flags[0].cell == "Return!A9"


def test_a_duplicate_row_never_hides_the_worse_status():
    """Two rows for one action disagreeing: the worse is used, so its exception is raised."""
    plan = make_plan(make_action("1.a"))
    ret = make_return("Regulatory Services", make_row("1.a"),
                      make_row("1.a", status="Red", update="Second go", row=9))
    flags = flags_for(plan, [ret])
    assert codes(flags) == ["OFF_TRACK", "DUPLICATE_UPDATE"]
    [duplicate] = [f for f in flags if f.code == "DUPLICATE_UPDATE"]
    assert duplicate.cell == "Return!A8" and "Return!A9" in duplicate.message


def test_one_row_per_milestone_is_not_a_duplicate():
    plan = make_plan(make_action("1.b", milestones=("First", "Second")))
    ret = make_return("Regulatory Services", make_row("1.b", milestone="First"),
                      make_row("1.b", milestone="Second", status="Amber", row=9))
    merged = merge(plan, [ret], Paper.QUARTERLY, Q2)
    assert raise_flags(merged) == [
        f for f in raise_flags(merged) if f.code == "AT_RISK"]
    assert merged.progress[0].status.value == "At risk"  # the worse of the two


@pytest.mark.parametrize("status, code, severity",
                         [("Red", "OFF_TRACK", Severity.HIGH), ("Amber", "AT_RISK", Severity.MEDIUM)])
def test_off_track_and_at_risk_come_from_the_status(status, code, severity):
    plan = make_plan(make_action("1.a"))
    [flag] = flags_for(plan, [make_return("Regulatory Services", make_row("1.a", status=status))])
    assert (flag.code, flag.severity) == (code, severity)
    assert "Going well." in flag.message


def test_flags_are_listed_most_severe_first():
    plan = make_plan(make_action("1.a", target=""), make_action("1.b"),
                     make_action("1.e", lead_service_area="Housing"))
    ret = make_return("Regulatory Services", make_row("1.a"),
                      make_row("1.b", status="Red", row=9), make_row("9.z", row=10))
    severities = [f.severity for f in flags_for(plan, [ret])]
    assert severities == sorted(severities)
    assert severities[0] is Severity.HIGH and severities[-1] is Severity.LOW


def test_the_six_monthly_report_covers_more_actions():
    plan = make_plan(make_action("1.a"), make_action("2.a", cadence=Cadence.ANNUAL),
                     make_action("2.c", cadence=Cadence.SIX_MONTHLY))
    q2 = merge(plan, [], Paper.SIX_MONTHLY, Q2)
    q4 = merge(plan, [], Paper.SIX_MONTHLY, Period.parse("2022/23 Q4"))
    quarterly = merge(plan, [], Paper.QUARTERLY, Q2)
    assert [p.action.id for p in quarterly.progress] == ["1.a"]
    assert [p.action.id for p in q2.progress] == ["1.a", "2.c"]
    assert [p.action.id for p in q4.progress] == ["1.a", "2.a", "2.c"]
    with pytest.raises(ValueError, match="Q2 and Q4"):
        merge(plan, [], Paper.SIX_MONTHLY, Period.parse("2022/23 Q3"))


# The intake flags: about the returns as documents, and about what updates say.


def test_wrong_period_when_the_return_names_another_period():
    plan = make_plan(make_action("1.a"))
    ret = make_return("Regulatory Services", make_row("1.a"), period_text="2022/23 Q1",
                      field_cells={"Period": "Return!B2"})
    [flag] = flags_for(plan, [ret])
    assert (flag.code, flag.severity, flag.source) == (
        "WRONG_PERIOD", Severity.MEDIUM, "regulatory-services.xlsx, Return!B2")
    assert "2022/23 Q1" in flag.message and "2022/23 Q2" in flag.message


@pytest.mark.parametrize("typed", ["", "2022/23 Q2", "Q2 2022/23", "Quarter 2 22/23"])
def test_no_wrong_period_when_it_matches_or_is_blank(typed):
    plan = make_plan(make_action("1.a"))
    ret = make_return("Regulatory Services", make_row("1.a"), period_text=typed)
    assert flags_for(plan, [ret]) == []


def test_unapproved_return():
    plan = make_plan(make_action("1.a"))
    [flag] = flags_for(plan, [make_return("Regulatory Services", make_row("1.a"), approved_by="")])
    assert (flag.code, flag.service_area) == ("UNAPPROVED_RETURN", "Regulatory Services")


def test_superseded_return_keeps_both_on_record(tmp_path):
    plan = make_plan(make_action("1.a"))
    older = make_return("Regulatory Services", make_row("1.a", update="Old words."),
                        path=tmp_path / "regulatory-services.xlsx", date_completed=date(2022, 10, 3))
    newer = make_return("Regulatory Services", make_row("1.a", update="New words."),
                        path=tmp_path / "regulatory-services-v2.xlsx",
                        date_completed=date(2022, 10, 10))
    merged = merge(plan, [older, newer], Paper.QUARTERLY, Q2)
    [flag] = raise_flags(merged)
    assert flag.code == "SUPERSEDED_RETURN" and flag.severity is Severity.LOW
    assert "regulatory-services-v2.xlsx (the newest, completed 10 October 2022) was used" \
        in flag.message
    assert "regulatory-services.xlsx was superseded" in flag.message
    assert merged.progress[0].progress_update == "New words."
    assert merged.returns == (older, newer)


def test_stale_update_repeats_last_periods_words():
    plan = make_plan(make_action("1.a"), make_action("1.b"))
    last = make_return("Regulatory Services", make_row("1.a", update="Work continues."),
                       make_row("1.b", update="Survey sent out.", row=9))
    now = make_return("Regulatory Services", make_row("1.a", update="work  continues"),
                      make_row("1.b", update="Survey results in.", row=9))
    flags = raise_flags(merge(plan, [now], Paper.QUARTERLY, Q2), previous=[last])
    assert [(f.code, f.action_id, f.source) for f in flags] == [
        ("STALE_UPDATE", "1.a", "regulatory-services.xlsx, Return!E8")]
    assert raise_flags(merge(plan, [now], Paper.QUARTERLY, Q2)) == []


def test_long_update_over_the_word_limit():
    from reporting.settings import IntakeSettings

    plan = make_plan(make_action("1.a"), make_action("1.b"))
    ret = make_return("Regulatory Services", make_row("1.a", update="word " * 151),
                      make_row("1.b", update="word " * 150, row=9))
    flags = flags_for(plan, [ret])
    assert [(f.code, f.action_id) for f in flags] == [("LONG_UPDATE", "1.a")]
    assert "151 words" in flags[0].message
    shorter = raise_flags(merge(plan, [ret], Paper.QUARTERLY, Q2),
                          intake=IntakeSettings(long_update_words=100))
    assert len(shorter) == 2


@pytest.mark.parametrize("status, update, word", [
    ("On track", "The launch has been delayed until spring.", "delayed"),
    ("Complete", "Postponed by the board.", "Postponed"),
    ("Green", "We are behind on recruitment.", "behind"),
    ("On track", "Work paused over the summer.", "paused"),
    ("On track", "The survey has not started yet.", "not started"),
])
def test_status_mismatch_when_the_words_say_delayed(status, update, word):
    plan = make_plan(make_action("1.a"))
    [flag] = flags_for(plan, [make_return("Regulatory Services", make_row("1.a", status, update))])
    assert (flag.code, flag.severity) == ("STATUS_MISMATCH", Severity.MEDIUM)
    assert word in flag.message and flag.source.endswith("Return!D8")


@pytest.mark.parametrize("status, update", [
    ("On track", "Delivered without delay."), ("On track", "No delays so far."),
    ("Amber", "Delayed by staff sickness."), ("On track", "Everything as planned."),
])
def test_no_status_mismatch_when_status_and_words_agree(status, update):
    plan = make_plan(make_action("1.a"))
    flags = flags_for(plan, [make_return("Regulatory Services", make_row("1.a", status, update))])
    assert "STATUS_MISMATCH" not in codes(flags)


def test_a_settling_return_is_said_to_be_unread_not_broken():
    from pathlib import Path

    from reporting.intake.returns import settling_return

    plan = make_plan(make_action("1.a"))
    flags = flags_for(plan, [settling_return(Path("regulatory-services.xlsx"), 5)])
    assert sorted(codes(flags)) == ["NO_RETURN", "UNREADABLE_RETURN"]
    assert "not read this run" in next(f for f in flags if f.code == "UNREADABLE_RETURN").message


def test_script_and_javascript_in_a_return_cell_are_inert_in_the_data_quality_note():
    from test_receipts import SCRIPTED, inert

    from reporting.render.flags import data_quality_csv, data_quality_html

    plan = make_plan(make_action("1.a"))
    # An unrecognised status is a data-quality finding that quotes the cell back.
    ret = make_return("Regulatory Services", make_row("1.a", status=SCRIPTED),
                      make_row("javascript:alert(5)", row=9), path=Path(f"{SCRIPTED}.xlsx"))
    flags = flags_for(plan, [ret])
    assert {"MISSING_STATUS", "UNKNOWN_ACTION"} <= set(codes(flags))
    html = data_quality_html(flags, f"Plan {SCRIPTED}", late=SCRIPTED).decode()
    inert(html, SCRIPTED, "javascript:alert(5)")
    assert "default-src 'none'" in html
    # The CSV keeps the text as it was typed, for a person to read in a spreadsheet.
    cells = [c for row in csv.reader(io.StringIO(data_quality_csv(flags).decode("utf-8-sig")))
             for c in row]
    assert any(SCRIPTED in c for c in cells)
