"""Schedule arithmetic: cron times in Europe/London, working days, deadlines, what a run reports on."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from reporting.automation.schedule import (
    Cron,
    period_open_for_returns,
    period_reported_on,
    planned_reminders,
    planned_report_runs,
    reminders_due,
    reminders_for,
)
from reporting.cadence import Paper
from reporting.period import Period
from reporting.working_days import (
    add_working_days,
    bank_holidays,
    is_working_day,
    returns_deadline,
)

LONDON = ZoneInfo("Europe/London")
QUARTERLY = Cron.parse("0 7 15 1,4,7,10 *")
SIX_MONTHLY = Cron.parse("0 7 15 4,10 *")


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def test_the_quarterly_runs_are_at_seven_london_time_whatever_the_clocks_say():
    runs = QUARTERLY.next_runs(datetime(2022, 12, 1, tzinfo=LONDON), LONDON, 4)
    assert [r.astimezone(timezone.utc) for r in runs] == [
        utc(2023, 1, 15, 7),  # GMT
        utc(2023, 4, 15, 6),  # BST
        utc(2023, 7, 15, 6),
        utc(2023, 10, 15, 6),
    ]
    assert all((r.hour, r.minute) == (7, 0) for r in runs)


@pytest.mark.parametrize("when, period", [
    # across the year end: the January run reports on October to December
    (datetime(2023, 1, 15, 7, tzinfo=LONDON), "2022/23 Q3"),
    (datetime(2022, 12, 31, 23, 59, tzinfo=LONDON), "2022/23 Q2"),
    (datetime(2023, 1, 1, 0, 0, tzinfo=LONDON), "2022/23 Q3"),
    # across the financial year end, in British Summer Time: 00:30 BST on 1 April is
    # 23:30 UTC on 31 March, and still an April run
    (utc(2023, 3, 31, 23, 30), "2022/23 Q4"),
    (utc(2023, 3, 31, 22, 59), "2022/23 Q3"),
    # the July and October runs
    (datetime(2022, 7, 15, 7, tzinfo=LONDON), "2022/23 Q1"),
    (datetime(2022, 10, 15, 7, tzinfo=LONDON), "2022/23 Q2"),
])
def test_a_quarterly_run_reports_on_the_last_quarter_that_ended(when, period):
    assert period_reported_on(Paper.QUARTERLY, when, LONDON) == Period.parse(period)


@pytest.mark.parametrize("when, half", [
    (datetime(2023, 4, 15, 7, tzinfo=LONDON), "2022/23 H2"),
    (datetime(2022, 10, 15, 7, tzinfo=LONDON), "2022/23 H1"),
    (datetime(2023, 1, 15, 7, tzinfo=LONDON), "2022/23 H1"),  # an off-cycle run: the last half
])
def test_a_six_monthly_run_reports_on_the_last_half_year_that_ended(when, half):
    quarter = period_reported_on(Paper.SIX_MONTHLY, when, LONDON)
    assert quarter.number in (2, 4)
    assert quarter.half() == Period.parse(half)


def test_the_planned_runs_name_their_period_and_warn_when_they_beat_the_deadline():
    runs = planned_report_runs(Paper.SIX_MONTHLY, SIX_MONTHLY, LONDON,
                               datetime(2022, 12, 1, tzinfo=LONDON), 2, 10)
    assert [(r.when.date(), r.period.label) for r in runs] == [
        (date(2023, 4, 15), "2022/23 H2"), (date(2023, 10, 15), "2023/24 H1")]
    # Easter 2023 pushes the Q4 deadline to 18 April, after the 15 April run
    assert "before the returns deadline, Tue 18 Apr 2023" in runs[0].note
    # and 15 October 2023 is a Sunday
    assert runs[1].note == "not a working day: nobody is in to clear or send the paper"


def test_a_wall_clock_time_the_clocks_skip_runs_an_hour_later_and_a_repeated_one_once():
    cron = Cron.parse("30 1 * * *")
    spring = cron.next_runs(datetime(2023, 3, 25, 12, tzinfo=LONDON), LONDON, 2)
    assert [r.date() for r in spring] == [date(2023, 3, 26), date(2023, 3, 27)]
    assert spring[0].astimezone(timezone.utc) == utc(2023, 3, 26, 1, 30)  # 02:30 BST
    autumn = cron.next_runs(datetime(2023, 10, 28, 12, tzinfo=LONDON), LONDON, 2)
    assert [r.date() for r in autumn] == [date(2023, 10, 29), date(2023, 10, 30)]
    assert autumn[0].astimezone(timezone.utc) == utc(2023, 10, 29, 0, 30)  # the BST one


@pytest.mark.parametrize("text", ["0 7 15 1,4,7,10", "0 25 * * *", "x 7 * * *", "0 7 0 * *"])
def test_a_cron_string_that_is_wrong_is_refused(text):
    with pytest.raises(ValueError, match="not a cron string"):
        Cron.parse(text)


def test_cron_steps_ranges_and_either_day_rule():
    cron = Cron.parse("*/15 8-9 1 * 1")
    assert cron.minutes == {0, 15, 30, 45} and cron.hours == {8, 9}
    assert cron.matches_day(date(2023, 5, 1))  # the 1st (and a Monday)
    assert cron.matches_day(date(2023, 5, 8))  # a Monday
    assert not cron.matches_day(date(2023, 5, 9))


def test_bank_holidays_of_england_and_wales():
    assert bank_holidays(2022) == {
        date(2022, 1, 3), date(2022, 4, 15), date(2022, 4, 18), date(2022, 5, 2),
        date(2022, 6, 2), date(2022, 6, 3), date(2022, 8, 29), date(2022, 9, 19),
        date(2022, 12, 26), date(2022, 12, 27)}
    assert bank_holidays(2023) == {
        date(2023, 1, 2), date(2023, 4, 7), date(2023, 4, 10), date(2023, 5, 1),
        date(2023, 5, 8), date(2023, 5, 29), date(2023, 8, 28), date(2023, 12, 25),
        date(2023, 12, 26)}
    assert not is_working_day(date(2022, 12, 27)) and is_working_day(date(2022, 12, 28))


def test_working_days_skip_weekends_and_bank_holidays_across_the_year_end():
    assert add_working_days(date(2022, 12, 23), 1) == date(2022, 12, 28)
    assert add_working_days(date(2022, 12, 30), 1) == date(2023, 1, 3)
    assert add_working_days(date(2023, 1, 3), -1) == date(2022, 12, 30)


@pytest.mark.parametrize("period, deadline", [
    ("2022/23 Q2", date(2022, 10, 14)),  # ends Fri 30 Sep: ten weekdays later
    ("2022/23 Q3", date(2023, 1, 16)),  # 2 January is a bank holiday
    ("2022/23 Q4", date(2023, 4, 18)),  # Good Friday and Easter Monday
])
def test_the_returns_deadline_is_ten_working_days_after_the_quarter(period, deadline):
    assert returns_deadline(Period.parse(period), 10) == deadline


def test_reminders_go_working_days_before_the_deadline_and_the_working_day_after():
    before, after = reminders_for(Period.parse("2022/23 Q3"), 10, 3)
    assert (before.day, after.day) == (date(2023, 1, 11), date(2023, 1, 17))
    assert [r.kind for r in reminders_due(date(2023, 1, 11), 10, 3)] == ["before"]
    assert [r.kind for r in reminders_due(date(2023, 1, 17), 10, 3)] == ["after"]
    assert reminders_due(date(2023, 1, 12), 10, 3) == []
    # Q2 2022/23: the deadline is Friday 14 October, so the day after is Monday 17th
    assert reminders_for(Period.parse("2022/23 Q2"), 10, 3)[1].day == date(2022, 10, 17)
    upcoming = planned_reminders(datetime(2023, 1, 12, tzinfo=LONDON), LONDON, 2, 10, 3)
    assert [(r.period.label, r.kind) for r in upcoming] == [
        ("2022/23 Q3", "after"), ("2022/23 Q4", "before")]


@pytest.mark.parametrize("when, period", [
    (datetime(2022, 9, 30, 12, tzinfo=LONDON), None),  # the quarter has not ended
    (datetime(2022, 10, 1, 0, 5, tzinfo=LONDON), "2022/23 Q2"),
    (datetime(2022, 10, 14, 23, 0, tzinfo=LONDON), "2022/23 Q2"),  # deadline day
    (datetime(2022, 10, 15, 6, 59, tzinfo=LONDON), "2022/23 Q2"),  # until the report runs
    (datetime(2022, 10, 15, 7, 1, tzinfo=LONDON), None),
    (datetime(2023, 1, 16, 20, 0, tzinfo=LONDON), "2022/23 Q3"),  # deadline after the run
    (datetime(2022, 11, 20, 9, tzinfo=LONDON), None),
])
def test_a_period_is_open_for_returns_from_its_end_to_its_deadline_or_report(when, period):
    found = period_open_for_returns(when, LONDON, 10, QUARTERLY)
    assert found == (Period.parse(period) if period else None)


def test_a_scottish_or_northern_irish_council_skips_its_own_bank_holidays():
    # 2 January and St Andrew's Day (30 November 2022) are Scottish; 12 July and St
    # Patrick's Day are Northern Irish; Easter Monday is not a Scottish bank holiday.
    assert date(2023, 1, 3) in bank_holidays(2023, "scotland")
    assert date(2022, 11, 30) in bank_holidays(2022, "scotland")
    assert date(2022, 4, 18) not in bank_holidays(2022, "scotland")
    assert {date(2022, 3, 17), date(2022, 7, 12)} <= bank_holidays(2022, "northern-ireland")
    # So the Q2 deadline (ten working days after 30 September 2022) is the same everywhere,
    # but the Q3 one is a day later in Scotland (3 January 2023 is off there).
    q3 = Period.parse("2022/23 Q3")
    assert returns_deadline(q3, 10) == date(2023, 1, 16)
    assert returns_deadline(q3, 10, "scotland") == date(2023, 1, 17)


def test_the_nation_is_a_setting(tmp_path):
    from reporting.settings import ConfigError, load_settings

    base = '[council]\nname = "A"\ncommittee = "B"\n[plan]\ntitle = "C"\n[schedule]\n'
    path = tmp_path / "reporting.toml"
    path.write_text(base + 'bank_holidays = "scotland"\n')
    settings = load_settings(path)
    assert settings.schedule.bank_holidays == settings.intake.bank_holidays == "scotland"
    path.write_text(base + 'bank_holidays = "wales"\n')
    with pytest.raises(ConfigError, match="bank_holidays must be"):
        load_settings(path)


@pytest.mark.parametrize("nation", ["england-and-wales", "scotland", "northern-ireland"])
def test_the_default_report_runs_fall_on_a_working_day_after_the_returns_deadline(nation):
    from reporting.settings import ScheduleSettings

    schedule = ScheduleSettings()
    start = datetime(2023, 1, 1, tzinfo=LONDON)
    for paper, text in ((Paper.QUARTERLY, schedule.quarterly_cron),
                          (Paper.SIX_MONTHLY, schedule.six_monthly_cron)):
        runs = planned_report_runs(paper, schedule.cron(text), LONDON, start, 120,
                                   schedule.returns_deadline_working_days, nation)
        assert len(runs) == 120
        for run in runs:
            assert run.when.weekday() == 1 and is_working_day(run.when.date(), nation)
            assert run.note == "", (run.when, run.note)


def test_a_report_run_on_a_sunday_is_said_to_fall_on_no_working_day():
    # cron's own reading of the 15th: 15 October 2023 is a Sunday.
    runs = planned_report_runs(Paper.QUARTERLY, QUARTERLY, LONDON,
                               datetime(2023, 8, 1, tzinfo=LONDON), 1, 10)
    assert runs[0].when.date() == date(2023, 10, 15)
    assert "not a working day" in runs[0].note
