"""Cron strings, as Prefect reads them: which days and times a five-field cron names.

Parsed and stepped through by `cronsim` (installed with Prefect, whose pydocket needs it;
maintained; reads ranges, steps, lists and names as Debian's cron does). Prefect's scheduler
reads the same strings with its own copy of croniter, so this module keeps to what both read
alike (five fields; no L, W, # or ?; no * step beside a day of week), and
tests/test_cron.py holds its runs to the scheduler's. In the vocabulary row so that a
settings file's cron is checked when it is read, not when a schedule first tries to use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from cronsim import CronSim, CronSimError

_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12),
           ("day of week", 0, 7))
# cronsim's name for each field, in its "Bad day-of-month" errors.
_CRONSIM_NAMES = {"minute": 0, "hour": 1, "day-of-month": 2, "month": 3, "day-of-week": 4}
# Numbers, `*` and three-letter names (MON, JAN), joined by `,` `-` `/`. cronsim also reads
# L, LW, 5L and MON#2, but Prefect's reader writes some of them differently (L5), so a
# schedule using them would run on other days than this module says.
_PLAIN_TERM = re.compile(r"\*|\d+|[A-Za-z]{3}")
_ANY_TIME = datetime(2000, 1, 1)


def _refused(text: str, index: int, part: str, plain: bool = True) -> ValueError:
    name, low, high = _FIELDS[index]
    names = {3: ", or JAN-DEC", 4: ", or SUN-SAT"}.get(index, "")
    extensions = "" if plain else "; L, W, # and ? are not used"
    article = "an" if name == "hour" else "a"
    return ValueError(f"{text!r} is not a cron string: {part!r} is not {article} {name} "
                      f"({low}-{high}{names}{extensions})")


def _both_days_given(parts: list[str]) -> bool:
    """Whether a cron's two day fields (day of month, day of week) are both given."""
    return parts[2] != "*" and parts[4] != "*"


def _parsed(text: str, day_or: bool = True) -> CronSim:
    """Give cronsim's reading of `text`, or a ValueError naming the field that is wrong."""
    parts = str(text).split()
    if len(parts) != 5:
        raise ValueError(f"{text!r} is not a cron string: it needs five fields")
    for index, part in enumerate(parts):
        if not all(_PLAIN_TERM.fullmatch(term) for term in re.split(r"[,/-]", part)):
            raise _refused(text, index, part, plain=False)
    if day_or and _both_days_given(parts) and "*" in parts[2][:1] + parts[4][:1]:
        # With both day fields given, cron takes a day matching either, but a field that
        # starts with * (*/2) makes cron take days matching both, where Prefect takes either.
        raise ValueError(f"{text!r} is not a cron string: with both day fields given, write "
                         "the days out (1-31/2, not */2): Prefect and cron read a * step there "
                         "differently")
    try:
        return CronSim(" ".join(parts), _ANY_TIME)
    except CronSimError as error:
        index = _CRONSIM_NAMES.get(str(error).removeprefix("Bad "), 0)
        if index == 2 and _days_fit_some_month(parts):
            raise ValueError(f"{text!r} is not a cron string: no month {parts[3]!r} names has "
                             f"a day {parts[2]!r}") from None
        raise _refused(text, index, parts[index]) from None


def _days_fit_some_month(parts: list[str]) -> bool:
    """Whether the day of month is a day at all: cronsim also refuses 31 in February."""
    try:
        CronSim(" ".join([*parts[:3], "*", parts[4]]), _ANY_TIME)
    except CronSimError:
        return False
    return True


@dataclass(frozen=True)
class Cron:
    """A five-field cron string (minute hour day-of-month month day-of-week), as Prefect reads it.

    Numbers, names, `*`, ranges, lists and steps; when both day fields are restricted a day
    matching either counts (cron's usual rule), or, with `day_or` false (Prefect's `day_or`,
    fcron's rule), only a day matching both: "0 7 19-25 1,4,7,10 TUE" is the first Tuesday
    on or after the 19th.
    """

    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    either_day: bool  # both day fields restricted: a day matching either one runs
    day_or: bool = True  # as given to Prefect's schedule

    @classmethod
    def parse(cls, text: str, day_or: bool = True) -> Cron:
        """Give the cron for `text`, such as "0 7 15 1,4,7,10 *"; `day_or` as Prefect's."""
        sim, parts = _parsed(text, day_or), str(text).split()
        weekdays = frozenset(int(d) % 7 for d in sim.weekdays)
        either = day_or and not (parts[2].startswith("*") or parts[4].startswith("*"))
        return cls(str(text), frozenset(sim.minutes), frozenset(sim.hours),
                   frozenset(sim.days), frozenset(sim.months), weekdays, either, day_or)

    @property
    def _walked(self) -> str:
        """The cron cronsim steps through: with both day fields to match, the day of month
        alone (cronsim would take either), each day then held to `matches_day`."""
        parts = self.text.split()
        if not self.day_or and _both_days_given(parts):
            parts[4] = "*"
        return " ".join(parts)

    def matches_day(self, day: date) -> bool:
        """Give whether the cron runs at some time on `day`."""
        if day.month not in self.months:
            return False
        on_day = day.day in self.days
        on_weekday = (day.weekday() + 1) % 7 in self.weekdays
        return (on_day or on_weekday) if self.either_day else (on_day and on_weekday)

    def next_runs(self, after: datetime, zone: ZoneInfo, count: int = 1) -> list[datetime]:
        """Give the next `count` times after `after` (aware), as aware times in `zone`.

        Clock changes as Prefect's scheduler takes them: a wall-clock time that does not
        exist that day (the hour the clocks go forward) runs as much later as the clocks
        jumped (01:30 on the spring-forward day runs at 02:30 BST), once even if another
        time of the cron lands there too; one that happens twice (the hour they go back)
        runs once, the first time.
        """
        after = after.astimezone(zone)
        found: list[datetime] = []
        # Compared as moments: times in one zone compare by wall clock, which would put
        # 01:30 BST after 01:10 GMT on the day the clocks go back.
        moments: set[float] = set()
        # cronsim steps through wall-clock times (a naive start, so none of Debian cron's
        # clock-change catching up). It starts a little before `after`, since a skipped
        # time just before it may run after it.
        start = after.replace(tzinfo=None) - _LONGEST_JUMP
        for wall in CronSim(self._walked, start):
            if not self.matches_day(wall.date()):
                continue
            when = _run_time(wall, zone)
            if when.timestamp() <= after.timestamp() or when.timestamp() in moments:
                continue
            found.append(when)
            moments.add(when.timestamp())
            if len(found) == count:
                break
        return sorted(found, key=datetime.timestamp)

    def last_run(self, at: datetime, zone: ZoneInfo) -> datetime | None:
        """Give the latest time at or before `at` (aware) that the cron runs, in `zone`, by
        the rules of `next_runs`; None when it has not run in the year before `at`."""
        # A plain datetime: a subclass (Prefect's) may step or replace otherwise.
        at = datetime.fromtimestamp(at.timestamp(), zone)
        # From a little after `at`: on the day the clocks go back, a wall time later than
        # `at`'s (01:30, run at its first, BST) may be earlier than `at` (01:10 GMT).
        start = (at.replace(tzinfo=None) + timedelta(minutes=1) + _LONGEST_JUMP).replace(
            second=0, microsecond=0)
        latest: datetime | None = None
        for wall in CronSim(self._walked, start, reverse=True):  # wall times before `start`
            if latest is not None and wall < latest.replace(tzinfo=None) - _LONGEST_JUMP:
                return latest  # no earlier wall time can run later than this one
            when = _run_time(wall, zone)
            if at.timestamp() - when.timestamp() > timedelta(days=366).total_seconds():
                return latest
            if not self.matches_day(wall.date()):
                continue
            if when.timestamp() <= at.timestamp() and (
                    latest is None or when.timestamp() > latest.timestamp()):
                latest = when
        return latest


# The most a clock change moves the wall clock in any zone (Europe/London's is an hour).
_LONGEST_JUMP = timedelta(hours=3)


def _run_time(wall: datetime, zone: ZoneInfo) -> datetime:
    """Give the moment a cron's wall-clock time `wall` runs in `zone`, as Prefect resolves
    it: the first of a repeated time; a skipped time as late as the clocks jumped."""
    # fold=0 reads a skipped time with the offset before the change (01:30 GMT, that is
    # 02:30 BST) and a repeated one as its first, as `whenever`'s "compatible" does.
    return wall.replace(tzinfo=zone, fold=0).astimezone(timezone.utc).astimezone(zone)
