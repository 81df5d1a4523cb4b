"""Working days and the returns deadline: Monday to Friday, except the bank holidays of
England and Wales.

Used by the schedules, the reminders and the return templates, so all three quote the
same deadline.
"""

from __future__ import annotations

from datetime import date, timedelta

from reporting.period import Period

# Bank holidays moved or added by proclamation; the regular ones are worked out below.
_MOVED = {
    2020: {date(2020, 5, 4): date(2020, 5, 8)},  # VE Day
    2022: {date(2022, 5, 30): date(2022, 6, 2)},  # Platinum Jubilee
}
_EXTRA = {
    2022: {date(2022, 6, 3), date(2022, 9, 19)},  # Jubilee; the Queen's state funeral
    2023: {date(2023, 5, 8)},  # the King's coronation
}


def _easter(year: int) -> date:
    # The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    return date(year, month, (h + l - 7 * m + 114) % 31 + 1)


def _first_monday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=day.weekday())


def bank_holidays(year: int) -> frozenset[date]:
    """Give the bank holidays of England and Wales in calendar year `year`."""
    easter = _easter(year)
    days = {easter - timedelta(days=2), easter + timedelta(days=1),
            _first_monday(year, 5), _last_monday(year, 5), _last_monday(year, 8)}
    for old, new in _MOVED.get(year, {}).items():
        days.discard(old)
        days.add(new)
    days |= _EXTRA.get(year, set())
    # New Year's Day, Christmas Day and Boxing Day move to the next free weekday.
    for fixed in (date(year, 1, 1), date(year, 12, 25), date(year, 12, 26)):
        day = fixed
        while day.weekday() >= 5 or day in days:
            day += timedelta(days=1)
        days.add(day)
    return frozenset(days)


def is_working_day(day: date) -> bool:
    """Tell whether `day` is a working day (a weekday that is not a bank holiday)."""
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """Give the working day `count` working days after `day` (before it, when negative)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def next_working_day(day: date) -> date:
    """Give the first working day after `day`."""
    return add_working_days(day, 1)


def returns_deadline(period: Period, working_days: int) -> date:
    """Give the day returns for `period` are due: `working_days` working days after it ends."""
    return add_working_days(period.end, working_days)
