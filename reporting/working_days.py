"""Working days and the returns deadline: Monday to Friday, except the bank holidays of the
council's nation (England and Wales, Scotland or Northern Ireland).

The bank holidays come from the `holidays` package, which follows each year's proclamations
(a jubilee, a state funeral, a coronation) so nobody here has to. Used by the schedules, the
reminders and the return templates, so all three quote the same deadline.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from reporting.period import Period

# The nations whose bank holidays differ, as `[schedule] bank_holidays` names them.
NATIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
DEFAULT_NATION = "england-and-wales"


@lru_cache(maxsize=64)
def bank_holidays(year: int, nation: str = DEFAULT_NATION) -> frozenset[date]:
    """Give the bank holidays of `nation` in calendar year `year` that fall on weekdays (a
    holiday on a Saturday or Sunday is listed again on the weekday it moves to)."""
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
