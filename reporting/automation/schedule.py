"""When things run and what they report on: cron times, working days, deadlines, reminders.

Pure date arithmetic (no Prefect): Prefect runs the same cron strings, and this module
answers the questions a person asks of them. A run's date is taken in the schedule's time
zone (Europe/London), so a run at 00:30 BST on 1 April is an April run.

Working days and the returns deadline are in `reporting.working_days`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from reporting.cadence import Paper, period_covered
from reporting.cron import Cron
from reporting.period import Period
from reporting.working_days import (
    DEFAULT_NATION,
    add_working_days,
    is_working_day,
    next_working_day,
    returns_deadline,
)

# -- deadlines, reminders and what a run reports on ---------------------------------------

@dataclass(frozen=True)
class Reminder:
    """A reminder to send on `day` about the returns for `period`."""

    period: Period
    kind: str  # "before" the deadline, or "after" it
    day: date
    deadline: date


def reminders_for(period: Period, deadline_working_days: int, working_days_before: int,
                  nation: str = DEFAULT_NATION) -> tuple[Reminder, Reminder]:
    """Give the two reminders for `period`: some working days before the deadline, and the
    working day after it."""
    deadline = returns_deadline(period, deadline_working_days, nation)
    return (Reminder(period, "before",
                     add_working_days(deadline, -working_days_before, nation), deadline),
            Reminder(period, "after", next_working_day(deadline, nation), deadline))


def reminders_due(day: date, deadline_working_days: int, working_days_before: int,
                  nation: str = DEFAULT_NATION) -> list[Reminder]:
    """Give the reminders to send on `day` (usually none)."""
    quarter = Period.last_ended_before(day)
    due = []
    for period in (quarter.previous(), quarter):
        due += [r for r in reminders_for(period, deadline_working_days, working_days_before,
                                         nation)
                if r.day == day]
    return due


def local_date(when: datetime, zone: ZoneInfo) -> date:
    """Give the calendar date of `when` in `zone` (a naive time is taken as already local)."""
    return (when.astimezone(zone) if when.tzinfo else when).date()


def period_reported_on(paper: Paper, when: datetime, zone: ZoneInfo) -> Period:
    """Give the quarter a run at `when` making `paper` reports on.

    The quarterly report covers the last quarter that ended before the run's date. The
    six-monthly report covers the last half-year that ended (its Q2 or Q4).
    """
    quarter = Period.last_ended_before(local_date(when, zone))
    if paper is Paper.SIX_MONTHLY:
        while quarter.number not in (2, 4):
            quarter = quarter.previous()
    return quarter


def period_open_for_returns(when: datetime, zone: ZoneInfo, deadline_working_days: int,
                            report_cron: Cron | None = None,
                            nation: str = DEFAULT_NATION) -> Period | None:
    """Give the quarter whose returns are being collected at `when`, or None between rounds.

    Returns are collected from the day after the quarter ends until its deadline, or until
    its quarterly report runs if that is later (a late return still makes the report).
    """
    day = local_date(when, zone)
    quarter = Period.last_ended_before(day)
    closes = datetime.combine(returns_deadline(quarter, deadline_working_days, nation),
                              time(23, 59, 59), zone)
    if report_cron is not None:
        end_of_quarter = datetime.combine(quarter.end, time(23, 59, 59), zone)
        runs = report_cron.next_runs(end_of_quarter, zone)
        if runs:
            closes = max(closes, runs[0])
    return quarter if when.astimezone(zone) <= closes else None


# -- what `reporting schedule` shows ------------------------------------------------------

@dataclass(frozen=True)
class PlannedRun:
    """One run to come: which job, when, and the period it will report on."""

    job: str
    when: datetime
    period: Period
    note: str = ""


def after_the_plan(period: Period, ends: Period | None) -> str:
    """Say that `period` begins after the plan's last quarter, `ends` ([plan] ends), so its
    run needs next year's plan; "" when it does not, or the plan names no end."""
    if ends is None or period.start <= ends.end:
        return ""
    return f"after the plan ends ({ends.label}): roll the plan over first"


def planned_report_runs(paper: Paper, cron: Cron, zone: ZoneInfo, after: datetime,
                        count: int, deadline_working_days: int,
                        nation: str = DEFAULT_NATION,
                        plan_ends: Period | None = None) -> list[PlannedRun]:
    """Give the next `count` runs making `paper`, each with the period it reports on
    and what a person should know of it (a run before the returns deadline, on a day nobody
    is in, on a period after the plan ends)."""
    runs = []
    for when in cron.next_runs(after, zone, count):
        period = period_reported_on(paper, when, zone)
        shown = period_covered(paper, period)
        note = ""
        deadline = returns_deadline(period, deadline_working_days, nation)
        if when.date() < deadline:
            note = f"before the returns deadline, {deadline:%a %d %b %Y}"
        elif when.date() == deadline:
            note = "on the returns deadline day"
        if not is_working_day(when.date(), nation):
            note = "; ".join(filter(None, [note, "not a working day: nobody is in to clear "
                                           "or send the paper"]))
        note = "; ".join(filter(None, [note, after_the_plan(shown, plan_ends)]))
        runs.append(PlannedRun(f"{paper.value}-report", when, shown, note))
    return runs


def planned_reminders(after: datetime, zone: ZoneInfo, count: int,
                      deadline_working_days: int, working_days_before: int,
                      nation: str = DEFAULT_NATION) -> list[Reminder]:
    """Give the next `count` reminder days on or after `after`'s date."""
    start = local_date(after, zone)
    quarter = Period.last_ended_before(start).previous()
    found: list[Reminder] = []
    while len(found) < count:
        found += [r for r in reminders_for(quarter, deadline_working_days, working_days_before,
                                           nation)
                  if r.day >= start]
        quarter = Period(quarter.year + (quarter.number == 4), "Q", quarter.number % 4 + 1)
    return found[:count]
