"""Working days and the returns deadline: Monday to Friday, except the bank holidays of the
council's nation (England and Wales, Scotland or Northern Ireland).

The bank holidays come from the `holidays` package, which follows each year's proclamations
(a jubilee, a state funeral, a coronation) so nobody here has to. Used by the schedules, the
reminders and the return templates, so all three quote the same deadline.

The date a committee paper is published by law counts its days more strictly: see
`latest_publication_day`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter

from reporting.period import Period

# The nations whose bank holidays differ, as `[schedule] bank_holidays` names them.
NATIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
DEFAULT_NATION = "england-and-wales"


@lru_cache(maxsize=64)
def bank_holidays(year: int, nation: str = DEFAULT_NATION) -> frozenset[date]:
    """Give the bank holidays of `nation` in calendar year `year` that fall on weekdays (a
    holiday on a Saturday or Sunday is listed again on the weekday it moves to)."""
    import holidays  # imported here: 40 ms that `reporting check` never needs

    days = holidays.country_holidays("GB", subdiv=NATIONS[nation], years=year)
    return frozenset(day for day in days if day.weekday() < 5)


def is_working_day(day: date, nation: str = DEFAULT_NATION) -> bool:
    """Tell whether `day` is a working day (a weekday that is not a bank holiday)."""
    return day.weekday() < 5 and day not in bank_holidays(day.year, nation)


def add_working_days(day: date, count: int, nation: str = DEFAULT_NATION) -> date:
    """Give the working day `count` working days after `day` (before it, when negative)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day, nation):
            remaining -= 1
    return day


def next_working_day(day: date, nation: str = DEFAULT_NATION) -> date:
    """Give the first working day after `day`."""
    return add_working_days(day, 1, nation)


def returns_deadline(period: Period, working_days: int, nation: str = DEFAULT_NATION) -> date:
    """Give the day returns for `period` are due: `working_days` working days after it ends."""
    return add_working_days(period.end, working_days, nation)


# --- the date of publication by law -----------------------------------------------------
#
# s.100B of the Local Government Act 1972 has a paper open to inspection "at least five clear
# days before the meeting". Clear days leave out the day of publication and the day of the
# meeting (R v Swansea CC ex p Elitestone, 1993, approving R v Herefordshire Justices, 1820).
# s.243 of the Act leaves out of any such count a Sunday, a day of the Christmas break, of the
# Easter break or of a bank holiday break, and a day appointed for public thanksgiving or
# mourning, and defines the breaks:
#   the Christmas break: from the last week day before Christmas Day to the first week day
#     after Christmas Day which is not a bank holiday;
#   the Easter break: from the Thursday before Easter Day to the Tuesday after it.
# What we took, and why:
# - Saturdays are left out too, as councils do (Knowles on Local Authority Meetings).
# - "Week day" is read as Monday to Friday. Of the two readings (with or without Saturday)
#   it gives the longer Christmas break, so the day we give is lawful under either.
# - A bank holiday is left out on the day itself, in the council's nation (the
#   `[schedule] bank_holidays` setting); the holidays package carries the one-off ones, such
#   as the Queen's state funeral on 19 September 2022. A day of thanksgiving or mourning that
#   is not a bank holiday, a wider reading of the "bank holiday break", and the days many
#   councils close between Christmas and New Year are the council's to add: `closed_days`.


@lru_cache(maxsize=64)
def christmas_break(year: int, nation: str = DEFAULT_NATION) -> frozenset[date]:
    """Give the days of the Christmas break of `year` as s.243 of the 1972 Act defines it:
    from the last weekday before Christmas Day to the first weekday after it that is not a
    bank holiday of `nation`, both included."""
    christmas = date(year, 12, 25)
    first = christmas - timedelta(days=1)
    while first.weekday() >= 5:
        first -= timedelta(days=1)
    last = christmas + timedelta(days=1)
    while not is_working_day(last, nation):
        last += timedelta(days=1)
    return frozenset(first + timedelta(days=n) for n in range((last - first).days + 1))


@lru_cache(maxsize=64)
def easter_break(year: int) -> frozenset[date]:
    """Give the days of the Easter break of `year` as s.243 of the 1972 Act defines it: from
    the Thursday before Easter Day to the Tuesday after it, both included (the same in every
    nation, so Easter Monday is left out in Scotland too)."""
    sunday = easter(year)
    return frozenset(sunday + timedelta(days=n) for n in range(-3, 3))


def is_clear_day(day: date, nation: str = DEFAULT_NATION,
                 closed_days: Collection[date] = ()) -> bool:
    """Tell whether `day` counts towards a paper's clear days: a working day of `nation` that
    is in neither the Christmas nor the Easter break and is not one of `closed_days`."""
    return (is_working_day(day, nation)
            and day not in christmas_break(day.year, nation)
            and day not in easter_break(day.year)
            and day not in closed_days)


def latest_publication_day(meeting: date, clear_working_days: int,
                           nation: str = DEFAULT_NATION,
                           closed_days: Collection[date] = ()) -> date:
    """Give the latest day a paper for the meeting on `meeting` may be published: a day that
    itself counts as a clear day (`is_clear_day`) and leaves `clear_working_days` clear days
    between it and the meeting, neither day counted.

    Meeting Monday 7 November 2022, five clear days: Friday 28 October 2022 (the clear days
    are 31 October to 4 November)."""
    if clear_working_days < 0:
        raise ValueError(f"clear_working_days must be 0 or more, not {clear_working_days}")
    closed = frozenset(closed_days)
    day, counted = meeting, 0
    while True:
        day -= timedelta(days=1)
        if not is_clear_day(day, nation, closed):
            continue
        if counted == clear_working_days:
            return day
        counted += 1
