"""Cron strings read by a maintained parser (cronsim), as Prefect's scheduler reads them."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from reporting.cron import Cron

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize("text, field", [
    ("60 7 * * *", "'60' is not a minute (0-59)"),
    ("0 24 * * *", "'24' is not an hour (0-23)"),
    ("0 7 35 * *", "'35' is not a day of month (1-31)"),
    ("0 7 1,15,32 * *", "'1,15,32' is not a day of month (1-31)"),
    ("0 7 15 13 *", "'13' is not a month (1-12, or JAN-DEC)"),
    ("0 7 * * 1-8", "'1-8' is not a day of week (0-7, or SUN-SAT)"),
    ("0 7 * * FRI-MON", "'FRI-MON' is not a day of week"),
    ("*/0 7 * * *", "'*/0' is not a minute"),
])
def test_a_field_out_of_range_is_refused_naming_the_field(text, field):
    with pytest.raises(ValueError, match="not a cron string") as caught:
        Cron.parse(text)
    assert field in str(caught.value)


@pytest.mark.parametrize("text", ["0 7 L * *", "0 7 LW * *", "0 7 * * 5L", "0 7 * * MON#1",
                                  "0 7 ? * *"])
def test_the_extensions_prefect_reads_otherwise_are_refused(text):
    with pytest.raises(ValueError, match="L, W, # and \\? are not used"):
        Cron.parse(text)


def test_a_day_no_month_named_has_is_refused():
    with pytest.raises(ValueError, match="no month '2,4' names has a day '31'"):
        Cron.parse("0 7 31 2,4 *")


def test_a_star_step_beside_a_day_of_week_is_refused_where_prefect_and_cron_differ():
    with pytest.raises(ValueError, match="write the days out"):
        Cron.parse("0 7 */2 * 1")
    assert Cron.parse("0 7 1-31/2 * 1").matches_day(date(2023, 5, 8))  # a Monday, the 8th


def test_month_and_day_names_read_as_their_numbers():
    by_name, by_number = Cron.parse("0 7 15 jan,Apr,JUL,oct MON-FRI"), Cron.parse(
        "0 7 15 1,4,7,10 1-5")
    assert (by_name.months, by_name.weekdays) == (by_number.months, by_number.weekdays)
    assert Cron.parse("0 7 * * 7").weekdays == {0}  # 7 is Sunday too


def test_a_cron_that_runs_once_in_years_still_gives_every_run_asked_for():
    runs = Cron.parse("0 9 29 2 *").next_runs(datetime(2023, 1, 1, tzinfo=LONDON), LONDON, 3)
    assert [r.year for r in runs] == [2024, 2028, 2032]


@pytest.mark.parametrize("text", ["0 7 15 1,4,7,10 *", "0 7 15 4,10 *", "0 8 * * 1-5",
                                  "*/15 8-9 1 * 1", "30 6 20 2,5,8,11 *", "0 12 1-7 * MON",
                                  "5/20 1 1,15 * *"])
def test_the_runs_are_those_prefect_s_scheduler_makes_of_the_same_cron(text):
    from prefect.server.schemas.schedules import CronSchedule

    start = datetime(2022, 9, 1, tzinfo=LONDON)  # across both clock changes
    theirs = asyncio.run(CronSchedule(cron=text, timezone="Europe/London").get_dates(
        60, start=start))
    ours = Cron.parse(text).next_runs(start, LONDON, 60)
    assert [t.timestamp() for t in theirs] == [o.timestamp() for o in ours]


@pytest.mark.parametrize("text", ["0 7 19-25 1,4,7,10 TUE", "0 7 19-25 4,10 TUE",
                                  "0 12 1-7 * MON", "30 1 25-31 3,10 SUN", "0 7 15 1,4,7,10 *",
                                  "*/20 8 1-10 * 1-5"])
def test_with_day_or_false_the_runs_are_those_prefect_makes_with_day_or_false(text):
    from prefect.server.schemas.schedules import CronSchedule

    start = datetime(2022, 9, 1, tzinfo=LONDON)  # across both clock changes
    theirs = asyncio.run(CronSchedule(cron=text, timezone="Europe/London", day_or=False)
                         .get_dates(40, start=start))
    ours = Cron.parse(text, day_or=False).next_runs(start, LONDON, 40)
    assert [t.timestamp() for t in theirs] == [o.timestamp() for o in ours]


def test_with_day_or_false_a_day_must_match_both_day_fields():
    first_tuesday = Cron.parse("0 7 19-25 1,4,7,10 TUE", day_or=False)
    assert first_tuesday.matches_day(date(2023, 4, 25))  # a Tuesday, the 25th
    assert not first_tuesday.matches_day(date(2023, 4, 19))  # the 19th, a Wednesday
    assert not first_tuesday.matches_day(date(2023, 4, 18))  # a Tuesday, the 18th
    either = Cron.parse("0 7 19-25 1,4,7,10 TUE")
    assert either.matches_day(date(2023, 4, 19)) and either.matches_day(date(2023, 4, 4))
    at = datetime(2023, 7, 1, tzinfo=LONDON)
    assert first_tuesday.last_run(at, LONDON) == datetime(2023, 4, 25, 7, tzinfo=LONDON)
    assert first_tuesday.next_runs(at, LONDON)[0] == datetime(2023, 7, 25, 7, tzinfo=LONDON)
