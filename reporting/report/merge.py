"""Merge the returns against the plan: one Progress per covered action for the period."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from reporting.cadence import Cadence, cadences_covered
from reporting.period import Period
from reporting.services import service_key
from reporting.plan import Action, Plan
from reporting.intake.returns import Return, ReturnRow
from reporting.status import Status, worse_of


@dataclass(frozen=True)
class Progress:
    """Where one covered action stands this period, and the rows that said so."""

    action: Action
    status: Status
    progress_update: str
    next_steps: str
    revised_date: date | None
    reason_for_revised_date: str
    rows: tuple[ReturnRow, ...]  # the rows used, in file order
    return_file: str  # "" when no row came in


@dataclass(frozen=True)
class Merged:
    """The plan and the returns brought together for one report."""

    period: Period
    cadence: Cadence
    progress: tuple[Progress, ...]
    returns: tuple[Return, ...]  # every return read, usable or not
    received: dict[str, Return]  # service_key(service area) -> the usable return used for it
    unknown_rows: tuple[tuple[Return, ReturnRow], ...]
    duplicate_rows: tuple[tuple[Return, ReturnRow, ReturnRow], ...]  # (return, repeat, first)

    def return_for(self, service_area: str) -> Return | None:
        """Give the return used for `service_area`, or None when none usable came in."""
        return self.received.get(service_key(service_area))

    @property
    def service_areas(self) -> tuple[str, ...]:
        """The service areas that own at least one covered action, in plan order."""
        seen: dict[str, None] = {}
        for p in self.progress:
            seen.setdefault(p.action.lead_service_area, None)
        return tuple(seen)


def covered_actions(plan: Plan, report: Cadence, period: Period) -> list[Action]:
    """Give the actions a `report` on `period` covers, in plan order."""
    cadences = cadences_covered(report, period)
    return [a for a in plan.actions if a.cadence in cadences]


def choose_returns(returns: list[Return]) -> dict[str, Return]:
    """Give one usable return per service area: the latest by `Date completed`, then file time."""
    chosen: dict[str, Return] = {}
    for ret in returns:
        if not ret.usable:
            continue
        key = service_key(ret.service_area)
        current = chosen.get(key)
        if current is None or _newer(ret, current):
            chosen[key] = ret
    return chosen


def _newer(a: Return, b: Return) -> bool:
    def stamp(r: Return) -> tuple[date, float]:
        mtime = r.path.stat().st_mtime if r.path.exists() else 0.0
        return (r.date_completed or date.min, mtime)

    return stamp(a) > stamp(b)


def _combine(action: Action, rows: list[ReturnRow], file: str) -> Progress:
    """Give an action's progress from its rows (one per action, or one per milestone)."""
    statuses = [r.status for r in rows if r.status is not None]
    status = worse_of(statuses) if statuses else Status.NO_UPDATE
    if len(rows) == 1:
        update, steps = rows[0].progress_update, rows[0].next_steps
    else:
        update = "\n".join(
            f"{r.milestone}: {r.progress_update}" if r.milestone else r.progress_update
            for r in rows if r.progress_update
        )
        steps = "\n".join(r.next_steps for r in rows if r.next_steps)
    revised_rows = [r for r in rows if r.revised_date]
    latest = max(revised_rows, key=lambda r: r.revised_date, default=None)
    return Progress(
        action=action,
        status=status,
        progress_update=update,
        next_steps=steps,
        revised_date=latest.revised_date if latest else None,
        reason_for_revised_date=latest.reason_for_revised_date if latest else "",
        rows=tuple(rows),
        return_file=file,
    )


def merge(plan: Plan, returns: list[Return], report: Cadence, period: Period) -> Merged:
    """Give the Merged view of `returns` against the actions `report` covers on `period`.

    Rows are taken from the chosen return of each service area. A row naming no action
    in the plan is kept aside as unknown; a second row for the same action and milestone
    is kept aside as a duplicate (the first one counts).
    """
    covered = covered_actions(plan, report, period)
    chosen = choose_returns(returns)
    known_ids = {a.id for a in plan.actions}
    rows_for: dict[str, list[tuple[Return, ReturnRow]]] = {}
    unknown, duplicates = [], []
    first_seen: dict[tuple[str, str], ReturnRow] = {}
    for ret in chosen.values():
        for row in ret.rows:
            if row.action_id not in known_ids:
                unknown.append((ret, row))
                continue
            key = (row.action_id, row.milestone.lower())
            if key in first_seen:
                duplicates.append((ret, row, first_seen[key]))
                continue
            first_seen[key] = row
            rows_for.setdefault(row.action_id, []).append((ret, row))
    progress = []
    for action in covered:
        found = rows_for.get(action.id, [])
        files = sorted({ret.file for ret, _ in found})
        progress.append(_combine(action, [row for _, row in found], ", ".join(files)))
    return Merged(
        period=period,
        cadence=report,
        progress=tuple(progress),
        returns=tuple(returns),
        received=chosen,
        unknown_rows=tuple(unknown),
        duplicate_rows=tuple(duplicates),
    )
