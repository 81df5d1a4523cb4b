"""The date of publication by law: five clear days before the meeting, neither day counted,
leaving out weekends, bank holidays and the Christmas and Easter breaks (ss.100B and 243 of
the Local Government Act 1972)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from reporting.working_days import (
    NATIONS,
    christmas_break,
    easter_break,
    is_clear_day,
    is_working_day,
    latest_publication_day,
)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _clear_days_between(published: date, meeting: date, nation: str = "england-and-wales",
                        closed_days: frozenset[date] = frozenset()) -> list[date]:
    return [day for day in _days(published + timedelta(days=1), meeting - timedelta(days=1))
            if is_clear_day(day, nation, closed_days)]


def test_a_monday_meeting_is_published_by_the_friday_a_week_and_a_half_before():
    # The bundled paper was published Monday 31 October: four clear days, not five.
    meeting = date(2022, 11, 7)
    assert latest_publication_day(meeting, 5) == date(2022, 10, 28)
    assert _clear_days_between(date(2022, 10, 28), meeting) == _days(
        date(2022, 10, 31), date(2022, 11, 4))


def test_a_meeting_in_early_january_steps_over_the_new_year_bank_holiday():
    # Monday 2 January 2023 is New Year's Day's substitute bank holiday.
    assert latest_publication_day(date(2023, 1, 10), 5) == date(2022, 12, 30)


def test_a_meeting_just_after_new_year_steps_over_christmas_and_boxing_day():
    # Christmas Day 2022 was a Sunday: bank holidays Monday 26 and Tuesday 27 December, and
    # the Christmas break runs from Friday 23 to Wednesday 28 December.
    published = latest_publication_day(date(2023, 1, 5), 5)
    assert published == date(2022, 12, 21)
    assert _clear_days_between(published, date(2023, 1, 5)) == [
        date(2022, 12, 22), date(2022, 12, 29), date(2022, 12, 30),
        date(2023, 1, 3), date(2023, 1, 4)]


def test_a_meeting_just_after_easter_steps_over_the_easter_break():
    # Easter Day 2023 was 9 April: the break runs from Thursday 6 to Tuesday 11 April, so
    # Good Friday and Easter Monday are left out, and the days either side of them too.
    published = latest_publication_day(date(2023, 4, 18), 5)
    assert published == date(2023, 4, 4)
    assert _clear_days_between(published, date(2023, 4, 18)) == [
        date(2023, 4, 5), date(2023, 4, 12), date(2023, 4, 13),
        date(2023, 4, 14), date(2023, 4, 17)]


def test_the_easter_break_leaves_out_easter_monday_in_scotland_too():
    # Easter Monday is no bank holiday in Scotland, but the Act's Easter break covers it.
    assert is_working_day(date(2023, 4, 10), "scotland")
    assert not is_clear_day(date(2023, 4, 10), "scotland")
    assert latest_publication_day(date(2023, 4, 18), 5, "scotland") == date(2023, 4, 4)


def test_scotland_also_leaves_out_the_second_of_january():
    # 1 January 2024 was a Monday; Tuesday 2 January is a bank holiday in Scotland only.
    meeting = date(2024, 1, 9)
    assert latest_publication_day(meeting, 5, "england-and-wales") == date(2023, 12, 29)
    assert latest_publication_day(meeting, 5, "northern-ireland") == date(2023, 12, 29)
    assert latest_publication_day(meeting, 5, "scotland") == date(2023, 12, 28)


def test_days_the_council_closes_are_stepped_over():
    # Many councils close between Christmas and New Year; the Act's Christmas break ends on
    # the 28th in 2022, so the council adds the 29th and 30th itself.
    closed = {date(2022, 12, 29), date(2022, 12, 30)}
    assert latest_publication_day(date(2023, 1, 10), 5, closed_days=closed) == date(2022, 12, 22)
    assert latest_publication_day(date(2023, 1, 10), 5, closed_days=sorted(closed)) == date(
        2022, 12, 22)


def test_a_bank_holiday_proclaimed_for_one_year_is_stepped_over():
    # The Queen's state funeral, Monday 19 September 2022.
    assert latest_publication_day(date(2022, 9, 26), 5) == date(2022, 9, 15)


@pytest.mark.parametrize(("year", "first", "last"), [
    (2022, date(2022, 12, 23), date(2022, 12, 28)),  # Christmas on a Sunday
    (2023, date(2023, 12, 22), date(2023, 12, 27)),  # on a Monday
    (2025, date(2025, 12, 24), date(2025, 12, 29)),  # on a Thursday: Boxing Day a Friday
])
def test_the_christmas_break_runs_from_the_weekday_before_to_the_first_working_day_after(
        year: int, first: date, last: date):
    assert christmas_break(year) == frozenset(_days(first, last))


def test_the_easter_break_runs_from_thursday_to_tuesday():
    assert easter_break(2024) == frozenset(_days(date(2024, 3, 28), date(2024, 4, 2)))


def test_the_breaks_do_not_move_the_returns_deadline():
    # Returns are due in working days; only the paper's clear days leave the breaks out.
    assert is_working_day(date(2022, 12, 28))
    assert not is_clear_day(date(2022, 12, 28))


def test_no_clear_days_gives_the_last_clear_day_before_the_meeting():
    assert latest_publication_day(date(2023, 4, 12), 0) == date(2023, 4, 5)


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="clear_working_days"):
        latest_publication_day(date(2022, 11, 7), -1)


@pytest.mark.parametrize("nation", sorted(NATIONS))
def test_every_meeting_leaves_exactly_the_clear_days_asked_for(nation: str):
    closed = frozenset({date(2023, 12, 28), date(2023, 12, 29), date(2024, 7, 5)})
    for meeting in _days(date(2022, 1, 1), date(2026, 12, 31))[::3]:
        for count in (0, 1, 5, 10):
            published = latest_publication_day(meeting, count, nation, closed)
            assert is_clear_day(published, nation, closed), (meeting, count)
            assert len(_clear_days_between(published, meeting, nation, closed)) == count, (
                meeting, count)


def test_the_bundled_papers_are_dated_by_the_clear_days_rule():
    """Cabinet meets Monday 7 November 2022: published Friday 28 October, not Monday 31
    October (which left four clear days); the Scrutiny Commission meets Monday 14 November."""
    from pathlib import Path

    from reporting.cadence import Paper
    from reporting.period import Period
    from reporting.report.front_matter import publication_date
    from reporting.settings import load_settings

    settings = load_settings(Path(__file__).resolve().parent.parent / "reporting.toml")
    q2 = Period.parse("2022/23 Q2")
    assert publication_date(settings, q2, Paper.QUARTERLY) == date(2022, 10, 28)
    assert publication_date(settings, q2, Paper.SIX_MONTHLY) == date(2022, 11, 4)
