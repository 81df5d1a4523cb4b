"""A run given no period: which period it takes, and that it never takes one that has not
ended or whose returns are not in."""

from __future__ import annotations

import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import BUNDLED_INPUTS

from reporting.automation.run_period import choose_period, no_paper_reason, report_cron
from reporting.cadence import Cadence
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
    (Cadence.QUARTERLY, datetime(2023, 1, 5, 12), "2022/23 Q2"),
    (Cadence.QUARTERLY, datetime(2023, 1, 24, 7), "2022/23 Q3"),  # the January run itself
    (Cadence.QUARTERLY, datetime(2023, 1, 24, 6, 59), "2022/23 Q2"),
    (Cadence.SIX_MONTHLY, datetime(2023, 4, 5, 9), "2022/23 Q2"),
    (Cadence.SIX_MONTHLY, datetime(2023, 4, 25, 7, 30), "2022/23 Q4"),
])
def test_a_deployment_run_with_no_period_takes_its_latest_scheduled_runs_period(
        tmp_path, cadence, when, period):
    choice = choose_period(cadence, tmp_path / "returns", when.replace(tzinfo=LONDON), LONDON,
                           report_cron(SCHEDULE, cadence))
    assert choice.period == Period.parse(period)


def test_a_run_by_hand_takes_the_latest_period_with_returns(tmp_path):
    root = _returns(tmp_path, "2022-23-Q1", "2022-23-Q2")
    choice = choose_period(Cadence.QUARTERLY, root, datetime(2023, 1, 5, tzinfo=LONDON), LONDON)
    assert choice.ok and choice.period == Period.parse("2022/23 Q2")


def test_a_period_that_has_not_ended_is_named_with_why_not(tmp_path):
    root = _returns(tmp_path, "2022-23-Q2")
    (root / "2031-32-Q1").mkdir()  # an empty folder made years early
    choice = choose_period(Cadence.QUARTERLY, root, datetime(2025, 5, 1, tzinfo=LONDON), LONDON)
    assert not choice.ok and choice.period == Period.parse("2031/32 Q1")
    assert "2031/32 Q1 has not ended (it ends on 30 June 2031)" in str(choice)


def test_a_period_with_no_returns_in_is_named_with_why_not(tmp_path):
    root = _returns(tmp_path, "2022-23-Q2")
    (root / "2022-23-Q3").mkdir()
    (root / "2022-23-Q3" / "~$housing.xlsx").write_bytes(b"")  # Excel's lock file only
    choice = choose_period(Cadence.QUARTERLY, root, datetime(2023, 2, 1, tzinfo=LONDON), LONDON)
    assert not choice.ok and f"no returns are in {root / '2022-23-Q3'}" in str(choice)
    nothing = choose_period(Cadence.QUARTERLY, tmp_path / "none",
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
