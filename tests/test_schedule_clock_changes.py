"""`reporting schedule` lists exactly the runs Prefect's scheduler makes, on the days the
clocks change too (issue 22): a time the clocks skip runs an hour later, a repeated one once."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT

from cli import main as cli
from reporting.cron import Cron

LONDON = ZoneInfo("Europe/London")
SPRING_FORWARD = datetime(2023, 3, 26, 1, 0, tzinfo=timezone.utc)  # 01:00 GMT -> 02:00 BST
FALL_BACK = datetime(2023, 10, 29, 1, 0, tzinfo=timezone.utc)  # 02:00 BST -> 01:00 GMT


def _prefects(text: str, start: datetime, count: int) -> list[datetime]:
    """The runs Prefect's server scheduler makes of `text` (Europe/London) from `start`."""
    from prefect.server.schemas.schedules import CronSchedule

    dates = asyncio.run(CronSchedule(cron=text, timezone="Europe/London").get_dates(
        count, start=start))
    return [datetime.fromtimestamp(d.timestamp(), LONDON) for d in dates]


@pytest.mark.parametrize("text", [
    "30 1 26 3 *", "30 1 29 10 *", "30 1 * * *", "0,30 0-3 * 3,10 SUN", "45 1,2 * * *",
    "*/20 1 * * *", "0 1 * * *", "59 1 * * *", "0 2 * * *"])
@pytest.mark.parametrize("start", [
    SPRING_FORWARD - timedelta(days=1, minutes=17), SPRING_FORWARD - timedelta(minutes=7),
    SPRING_FORWARD + timedelta(minutes=13),  # 02:13 BST: a skipped 01:30 is still to come
    FALL_BACK - timedelta(days=1, minutes=17), FALL_BACK - timedelta(minutes=43),
    FALL_BACK + timedelta(minutes=13),  # 01:13 GMT, the second time 01:13 comes round
    FALL_BACK + timedelta(minutes=71)])
def test_the_runs_on_clock_change_days_are_those_prefect_makes(text, start):
    ours = Cron.parse(text).next_runs(start, LONDON, 6)
    assert [o.timestamp() for o in ours] == [p.timestamp() for p in _prefects(text, start, 6)]


def test_the_latest_run_before_a_time_takes_a_skipped_time_an_hour_later():
    cron = Cron.parse("30 1 26 3 *")
    assert cron.last_run(datetime(2023, 3, 26, 2, 29, tzinfo=LONDON), LONDON).year == 2022
    assert cron.last_run(datetime(2023, 3, 26, 2, 30, tzinfo=LONDON), LONDON) == datetime(
        2023, 3, 26, 2, 30, tzinfo=LONDON)
    back = Cron.parse("30 1 29 10 *")  # on the fall-back day, 01:30 BST runs, not 01:30 GMT
    at = datetime(2023, 10, 29, 1, 10, tzinfo=timezone.utc)  # 01:10 GMT, after 01:30 BST
    assert back.last_run(at, LONDON).astimezone(timezone.utc) == datetime(
        2023, 10, 29, 0, 30, tzinfo=timezone.utc)


def test_the_schedule_listing_shows_prefect_s_runs_on_both_clock_change_days(tmp_path, capsys):
    settings = (ROOT / "reporting.toml").read_text(encoding="utf-8")
    settings = re.sub(r'(?m)^quarterly_cron = .*$', 'quarterly_cron = "30 1 26 3 *"', settings)
    settings = re.sub(r'(?m)^six_monthly_cron = .*$', 'six_monthly_cron = "30 1 29 10 *"',
                      settings)
    config = tmp_path / "reporting.toml"
    config.write_text(settings, encoding="utf-8")
    for path in ("inputs", "outputs"):
        (tmp_path / path).symlink_to(ROOT / path)

    assert cli.main(["--config", str(config), "schedule", "--from", "2023-01-01",
                     "--count", "3"]) == 0
    out = capsys.readouterr().out
    start = datetime(2023, 1, 1, tzinfo=LONDON)
    for heading, text in (("Quarterly report", "30 1 26 3 *"),
                          ("Six-monthly report", "30 1 29 10 *")):
        section = out.split(f"{heading}  [{text}]\n", 1)[1].split("\n\n", 1)[0]
        listed = re.findall(r"^  (\w{3} \d\d \w{3} \d{4} \d\d:\d\d \w+)  reports on",
                            section, re.M)
        assert listed == [f"{p:%a %d %b %Y %H:%M %Z}" for p in _prefects(text, start, 3)]
    assert "Sun 26 Mar 2023 02:30 BST  reports on" in out  # the day the clocks go forward
    assert "Sun 29 Oct 2023 01:30 BST  reports on" in out  # the first 01:30 of the two
