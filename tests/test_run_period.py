"""A run given no period: which period it takes, and that it never takes one that has not
ended or whose returns are not in."""

from __future__ import annotations

import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import BUNDLED_INPUTS

from reporting.automation.run_period import choose_period, no_paper_reason, report_cron
from reporting.cadence import Paper
from reporting.intake.folder import unusable_return
from reporting.sheets.bounds import Unreadable
from reporting.period import Period
from reporting.settings import ScheduleSettings

LONDON = ZoneInfo("Europe/London")
SCHEDULE = ScheduleSettings()


def _returns(tmp_path, *folders: str):
    root = tmp_path / "returns"
    for name in folders:
        (root / name).mkdir(parents=True)
        (root / name / "housing.csv").write_text("Action ID,Status,Progress update\n")
    return root


@pytest.mark.parametrize("cadence, when, period", [
    # A Quick run days after a quarter ends takes the schedule's last run's quarter, whose
    # returns are in, not the one just ended.
    (Paper.QUARTERLY, datetime(2023, 1, 5, 12), "2022/23 Q2"),
    # the January run itself: the first Tuesday on or after the 19th
    (Paper.QUARTERLY, datetime(2023, 1, 24, 7), "2022/23 Q3"),
    (Paper.QUARTERLY, datetime(2023, 1, 24, 6, 59), "2022/23 Q2"),
    (Paper.SIX_MONTHLY, datetime(2023, 4, 5, 9), "2022/23 Q2"),
    (Paper.SIX_MONTHLY, datetime(2023, 4, 25, 7, 30), "2022/23 Q4"),
])
def test_a_deployment_run_with_no_period_takes_its_latest_scheduled_runs_period(
        tmp_path, cadence, when, period):
    choice = choose_period(cadence, tmp_path / "returns", when.replace(tzinfo=LONDON), LONDON,
                           report_cron(SCHEDULE, cadence))
    assert choice.period == Period.parse(period)


def test_a_run_by_hand_takes_the_latest_period_with_returns(tmp_path):
    root = _returns(tmp_path, "2022-23-Q1", "2022-23-Q2")
    choice = choose_period(Paper.QUARTERLY, root, datetime(2023, 1, 5, tzinfo=LONDON), LONDON)
    assert choice.ok and choice.period == Period.parse("2022/23 Q2")


def test_a_period_that_has_not_ended_is_named_with_why_not(tmp_path):
    root = _returns(tmp_path, "2022-23-Q2")
    (root / "2031-32-Q1").mkdir()  # an empty folder made years early
    choice = choose_period(Paper.QUARTERLY, root, datetime(2025, 5, 1, tzinfo=LONDON), LONDON)
    assert not choice.ok and choice.period == Period.parse("2031/32 Q1")
    assert "2031/32 Q1 has not ended (it ends on 30 June 2031)" in str(choice)


def test_a_period_with_no_returns_in_is_named_with_why_not(tmp_path):
    root = _returns(tmp_path, "2022-23-Q2")
    (root / "2022-23-Q3").mkdir()
    (root / "2022-23-Q3" / "~$housing.xlsx").write_bytes(b"")  # Excel's lock file only
    choice = choose_period(Paper.QUARTERLY, root, datetime(2023, 2, 1, tzinfo=LONDON), LONDON)
    assert not choice.ok and f"no returns are in {root / '2022-23-Q3'}" in str(choice)
    nothing = choose_period(Paper.QUARTERLY, tmp_path / "none",
                            datetime(2023, 2, 1, tzinfo=LONDON), LONDON)
    assert nothing.period is None and "no period folder" in str(nothing)


def test_no_paper_is_made_without_a_usable_return(tmp_path):
    root = _returns(tmp_path, "2022-23-Q2")
    q2, q3 = Period.parse("2022/23 Q2"), Period.parse("2022/23 Q3")
    assert "no returns folder" in no_paper_reason(q3, (), root)
    assert "no returns are in" in no_paper_reason(q2, (), root)
    broken = unusable_return(root / "2022-23-Q2" / "housing.csv",
                             Unreadable("the file is not a spreadsheet", "send it again"))
    assert "none of the 1 files" in no_paper_reason(q2, (broken,), root)


def test_a_plain_run_for_a_quarter_that_has_not_happened_makes_nothing(tmp_path, capsys):
    from cli.main import main

    inputs = tmp_path / "inputs"
    shutil.copytree(BUNDLED_INPUTS, inputs)
    (inputs / "returns" / "2031-32-Q1").mkdir()
    code = main(["run", "--inputs", str(inputs), "--outputs", str(tmp_path / "out"),
                 "--config", str(BUNDLED_INPUTS.parent / "reporting.toml")])
    err = capsys.readouterr().err.strip()
    assert code != 0 and len(err.splitlines()) == 1
    assert "2031/32 Q1" in err and "has not ended" in err and "give --period" in err
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_no_paper_on_a_period_not_ended_or_whose_every_return_is_another_period_s(tmp_path):
    from datetime import date

    from conftest import make_return, make_row

    root = _returns(tmp_path, "2022-23-Q2")
    q2 = Period.parse("2022/23 Q2")
    future = Period.parse("2099/00 Q1")
    given = make_return("Housing", make_row("1.a"), period_text="2022/23 Q2")
    # A mistyped --period or folder name: a period that has not ended has no paper.
    why = no_paper_reason(future, (given,), root, date(2026, 12, 3))
    assert why.startswith("2099/00 Q1 has not ended (it ends on 30 June 2099)")
    assert no_paper_reason(q2, (given,), root, date(2022, 9, 30)).startswith(
        "2022/23 Q2 has not ended")
    assert no_paper_reason(q2, (given,), root, date(2022, 10, 1)) == ""
    # Copies of another period's returns in this period's folder make no paper ...
    old = Period.parse("1999/00 Q1")
    why = no_paper_reason(old, (given,), root, date(2026, 12, 3))
    assert "every return in" in why and "(2022/23 Q2), not 1999/00 Q1" in why
    # ... but one return whose Period is wrong beside one that is right is only flagged,
    # and a half-year's Period (H1) is the period of its second quarter.
    right = make_return("Leisure", make_row("1.b"), period_text="2022/23 H1")
    assert no_paper_reason(q2, (given, right), root, date(2026, 12, 3)) == ""
    stale = make_return("Leisure", make_row("1.b"), period_text="2021/22 Q2")
    assert no_paper_reason(q2, (given, stale), root, date(2026, 12, 3)) == ""
    assert no_paper_reason(q2, (make_return("Leisure", period_text=""),), root,
                           date(2026, 12, 3)) == ""


def test_a_run_says_the_other_paper_of_its_period_is_due_only_until_it_is_published(tmp_path):
    """An operator's re-check: every run said the other paper "is due too", even once both
    had gone to every member, which read as an instruction during a recovery."""
    from reporting.automation.run_period import other_papers_due
    from reporting.layout import OutputLayout

    layout, q2 = OutputLayout(tmp_path), Period.parse("2022/23 Q2")
    assert other_papers_due(layout, q2, Paper.QUARTERLY, "health") == [
        "The six-monthly paper is due for 2022/23 Q2 too: reporting run --plan health "
        "--period '2022/23 Q2' --cadence six-monthly"]
    assert other_papers_due(layout, Period.parse("2022/23 Q1"), Paper.QUARTERLY, None) == []
    manifest = layout.manifest(q2, Paper.SIX_MONTHLY)
    manifest.parent.mkdir(parents=True)
    manifest.write_text("{}")
    assert other_papers_due(layout, q2, Paper.QUARTERLY, "health") == []
    assert other_papers_due(layout, q2, Paper.SIX_MONTHLY, None) == [
        "The quarterly paper is due for 2022/23 Q2 too: reporting run --period '2022/23 Q2' "
        "--cadence quarterly"]
