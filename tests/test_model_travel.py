"""The model decides direction of travel, forecasts and the glossary; renderers only show them."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from conftest import (
    make_action,
    make_plan,
    make_return,
    make_row,
    make_settings,
    prepare,
)

from reporting.merge import digest_last_period
from reporting.period import Period
from reporting.report.travel import Travel, direction, previous_period
from reporting.status import Status

Q1, Q2 = Period.parse("2022/23 Q1"), Period.parse("2022/23 Q2")
PRODUCED = datetime(2022, 10, 20, 9, 30)


@pytest.mark.parametrize(
    ("before", "now", "expected"),
    [
        (Status.AT_RISK, Status.ON_TRACK, Travel.IMPROVED),
        (Status.OFF_TRACK, Status.COMPLETE, Travel.IMPROVED),
        (Status.NOT_STARTED, Status.ON_TRACK, Travel.IMPROVED),
        (Status.ON_TRACK, Status.ON_TRACK, Travel.NO_CHANGE),
        (Status.COMPLETE, Status.COMPLETE, Travel.NO_CHANGE),
        (Status.ON_TRACK, Status.AT_RISK, Travel.WORSE),
        (Status.AT_RISK, Status.OFF_TRACK, Travel.WORSE),
        # A direction only where both periods have a status.
        (Status.ON_TRACK, Status.NO_UPDATE, Travel.NOT_COMPARED),
        (Status.ON_TRACK, Status.NOT_GIVEN, Travel.NOT_COMPARED),
        (None, Status.ON_TRACK, Travel.NOT_COMPARED),
        (Status.NO_UPDATE, Status.AT_RISK, Travel.NOT_COMPARED),
        (Status.NO_UPDATE, Status.NO_UPDATE, Travel.NOT_COMPARED),
    ],
)
def test_direction_of_travel(before, now, expected):
    assert direction(before, now) is expected


def test_every_direction_has_a_word_and_an_arrow():
    for travel in Travel:
        assert travel.value and travel.arrow and travel.arrow != travel.value


PLAN = make_plan(make_action("1.a"), make_action("1.b"), make_action("1.c"))


def _model(*rows, previous=(), **settings):
    """Give the model the pipeline makes of one return holding `rows` (and last period's)."""
    return prepare(PLAN, [make_return("Regulatory Services", *rows)], previous=previous,
                   settings=make_settings(**settings), produced=PRODUCED).model


def test_the_previous_period_is_read_from_its_returns():
    before = previous_period(digest_last_period(
        PLAN, [make_return("Regulatory Services", make_row("1.a", "Amber"),
                           make_row("1.b", "Green"), make_row("1.c", ""))], Q1))
    assert before.label == "2022/23 Q1"
    assert dict(before.statuses) == {"1.a": Status.AT_RISK, "1.b": Status.ON_TRACK}


def test_each_action_gets_a_direction_of_travel_against_the_previous_period():
    last = make_return("Regulatory Services", make_row("1.a", "At risk"),
                       make_row("1.b", "On track"))
    model = _model(make_row("1.a", "On track"), make_row("1.b", "Red"),
                   make_row("1.c", "Green"), previous=[last])
    travel = {a.id: (a.travel, a.travel_text) for s in model.sections for a in s.actions}
    assert travel == {
        "1.a": (Travel.IMPROVED, "Improved (was At risk in 2022/23 Q1)"),
        "1.b": (Travel.WORSE, "Worse (was On track in 2022/23 Q1)"),
        "1.c": (Travel.NOT_COMPARED, "Not compared (no status in 2022/23 Q1)"),
    }
    assert "Compared with 2022/23 Q1: 1 worse, 1 improved and 1 not compared (no status in " \
        "one of the two)." in model.summary
    assert [line.travel for line in model.travel_key] == list(Travel)


def test_an_unchanged_status_is_no_change():
    last = make_return("Regulatory Services", make_row("1.a", "On track", update="Earlier."))
    model = _model(make_row("1.a", "On track"), previous=[last])
    first = model.sections[0].actions[0]
    assert first.travel is Travel.NO_CHANGE


def test_without_a_previous_period_there_is_no_direction_of_travel():
    model = _model(make_row("1.a", "On track"))
    assert all(a.travel is None and a.travel_text == "" for s in model.sections for a in s.actions)
    assert model.travel_key == ()
    assert model.glossary == ()
    # Said once, in the summary, instead of on every action.
    assert "This report has no returns for 2022/23 Q1, the quarter before, to compare with, " \
           "so it shows no direction of travel." in model.summary


def test_a_forecast_year_end_status_is_shown_when_the_return_gives_one():
    row = make_row("1.a", "At risk")
    forecast_row = dataclasses.replace(row, forecast_status=Status.OFF_TRACK)
    model = _model(forecast_row, make_row("1.b", "On track"))
    forecasts = {a.id: a.forecast for s in model.sections for a in s.actions}
    assert forecasts == {"1.a": Status.OFF_TRACK, "1.b": None, "1.c": None}
    assert "Returns forecast a year-end status for 1 action: 1 off track." in model.summary


def test_the_glossary_lists_only_abbreviations_the_report_uses():
    glossary = {"ASR": "Annual Status Report (to DEFRA)", "DEFRA": "Department for Environment",
                "HMO": "House in Multiple Occupation", "MHFA": "Mental Health First Aid",
                "s106": "Section 106 agreement"}
    model = _model(make_row("1.a", "On track", update="ASR sent; two HMOs licensed."),
                   glossary=glossary)
    # DEFRA is not in the report's text, but it explains ASR, so it is explained too.
    assert [term for term, _ in model.glossary] == ["ASR", "DEFRA", "HMO"]
    assert ("glossary", "Appendix C: glossary of abbreviations") in model.contents


def test_the_chart_alt_text_states_every_number():
    model = _model(make_row("1.a", "Red"), make_row("1.b", "Green"))
    assert model.chart is not None
    assert "3 actions" in model.chart.alt_text
    assert "1 off track, 1 not reported and 1 on track (3 actions)" in model.chart.alt_text
    assert [s.status for s in model.chart.series] == [
        Status.OFF_TRACK, Status.NO_UPDATE, Status.ON_TRACK]


def test_with_many_priorities_the_chart_is_one_bar_whose_alt_text_states_every_number():
    from reporting.report.by_priority import CHART_MAX_PRIORITIES, PrioritySummary, status_chart
    from reporting.status import STATUS_ORDER

    def priority(n: int) -> PrioritySummary:
        counts = tuple(1 if s in (Status.ON_TRACK, Status.AT_RISK) else 0 for s in STATUS_ORDER)
        return PrioritySummary(f"Priority {n}", counts, 2)

    few = tuple(priority(n) for n in range(CHART_MAX_PRIORITIES))
    assert len(status_chart(few, 2 * len(few)).categories) == CHART_MAX_PRIORITIES
    many = (*few, priority(99))
    chart = status_chart(many, 2 * len(many))
    assert chart.categories == (f"All {len(many)} priorities",)
    assert [(s.status, s.counts) for s in chart.series] == [
        (Status.AT_RISK, (len(many),)), (Status.ON_TRACK, (len(many),))]
    assert f"{len(many)} at risk and {len(many)} on track" in chart.alt_text


def test_the_paper_says_which_actions_it_leaves_out_and_when_they_report():
    from reporting.cadence import Cadence

    plan = make_plan(make_action("1.a"), make_action("1.b", cadence=Cadence.ANNUAL),
                     make_action("1.c", cadence=Cadence.SIX_MONTHLY))
    model = prepare(plan, [make_return("Regulatory Services", make_row("1.a"))]).model
    assert model.background[-1] == (
        "The plan has 3 actions; this report leaves out the 1 annual action (1.b), which "
        "reports in the six-monthly report at the year end (Q4); and the 1 six-monthly action "
        "(1.c), which reports in the six-monthly reports (Q2 and Q4).")
    rows = dict(model.front.rows())
    assert (rows["Wards affected"], rows["Key decision"], rows["Exempt information"]) == (
        "All wards", "No", "No")
    assert rows["Date of publication"] == "To be confirmed"  # no meeting date set


def test_not_reported_is_told_apart_from_an_update_with_no_status():
    # 1.a sent words but no status; 1.b sent nothing at all; 1.c is on track.
    model = _model(make_row("1.a", "", update="Work continues."), make_row("1.c", "On track"))
    assert ("Of the 3 actions covered, 1 not reported, 1 with an update but no status given "
            "and 1 on track.") in model.summary
