"""Cron strings, as Prefect reads them: which days and times a five-field cron names.

In the vocabulary row so that a settings file's cron is checked when it is read, not when a
schedule first tries to use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12),
           ("day of week", 0, 7))


def _parse_field(text: str, name: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if body == "*":
            start, stop = low, high
        elif "-" in body:
            start, stop = (int(x) for x in body.split("-", 1))
        else:
            start = stop = int(body)
            if step_text:
                stop = high
        if step < 1 or not low <= start <= stop <= high:
            raise ValueError(f"{part!r} is not a {name} ({low}-{high})")
        values.update(range(start, stop + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    """A five-field cron string (minute hour day-of-month month day-of-week), as Prefect reads it.

    Numbers, `*`, ranges, lists and steps; when both day fields are restricted a day
    matching either counts (cron's usual rule).
    """

    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    any_day: bool
    any_weekday: bool

    @classmethod
    def parse(cls, text: str) -> Cron:
        """Give the cron for `text`, such as "0 7 15 1,4,7,10 *"."""
        parts = str(text).split()
        if len(parts) != 5:
            raise ValueError(f"{text!r} is not a cron string: it needs five fields")
        try:
            sets = [_parse_field(p, *spec) for p, spec in zip(parts, _FIELDS)]
        except ValueError as error:
            raise ValueError(f"{text!r} is not a cron string: {error}") from None
        weekdays = frozenset(d % 7 for d in sets[4])
        return cls(text, sets[0], sets[1], sets[2], sets[3], weekdays,
                   parts[2] == "*", parts[4] == "*")

    def matches_day(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        on_day = day.day in self.days
        on_weekday = (day.weekday() + 1) % 7 in self.weekdays
        if self.any_day or self.any_weekday:
            return on_day and on_weekday
        return on_day or on_weekday

    def next_runs(self, after: datetime, zone: ZoneInfo, count: int = 1) -> list[datetime]:
        """Give the next `count` times after `after` (aware), as aware times in `zone`.

        A wall-clock time that does not exist that day (the hour the clocks go forward) is
        skipped; one that happens twice (the hour they go back) runs once, the first time.
        """
        after = after.astimezone(zone)
        found: list[datetime] = []
        day = after.date()
        for _ in range(366 * 8):
            if self.matches_day(day):
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        when = datetime.combine(day, time(hour, minute), zone)
                        if not _exists(when) or when <= after:
                            continue
                        found.append(when)
                        if len(found) == count:
                            return found
            day += timedelta(days=1)
        return found


def _exists(when: datetime) -> bool:
    back = when.astimezone(timezone.utc).astimezone(when.tzinfo)
    return back.replace(tzinfo=None) == when.replace(tzinfo=None)
