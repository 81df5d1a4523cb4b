"""The chase list: service areas whose return has not come in, and whom to chase.

Written to `outputs/<period>/chase-list.csv` by the intake check, and read by the
reminders. A service area is chased when it leads an action any report due on the period
covers (the quarterly one, and the six-monthly one at Q2 and Q4) and no usable return
from it has been read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from reporting.cadence import papers_on
from reporting.intake.returns import Return, choose_returns
from reporting.merge import covered_actions
from reporting.period import Period
from reporting.plan import Plan
from reporting.publish import safe_cell
from reporting.services import service_key
from reporting.settings import Settings

CHASE_COLUMNS = ("service_area", "lead_officer", "email", "actions_outstanding",
                 "deadline", "days_to_deadline", "status")


@dataclass(frozen=True)
class Chase:
    """One service area to chase for its return."""

    service_area: str
    officer: str  # "" when reporting.toml names no contact
    email: str
    actions: tuple[str, ...]  # the action ids it leads that have no update yet
    deadline: date
    days_to_deadline: int  # negative once the deadline has passed

    @property
    def status(self) -> str:
        """Give the days to or past the deadline in words: "due in 3 days", "2 days late"."""
        days = self.days_to_deadline
        if days == 0:
            return "due today"
        plural = "" if abs(days) == 1 else "s"
        return f"due in {days} day{plural}" if days > 0 else f"{-days} day{plural} late"


def chase_list(plan: Plan, returns: list[Return], period: Period, deadline: date,
               today: date, settings: Settings) -> list[Chase]:
    """Give the service areas to chase for `period` on `today`, in plan order."""
    received = choose_returns(returns)
    outstanding: dict[str, list[str]] = {}
    for paper in papers_on(period):
        for action in covered_actions(plan, paper, period):
            for lead in action.leads:
                if service_key(lead) in received:
                    continue
                ids = outstanding.setdefault(lead, [])
                if action.id not in ids:
                    ids.append(action.id)
    order = {a.id: n for n, a in enumerate(plan.actions)}
    chases = []
    for service, ids in outstanding.items():
        contact = settings.contact_for(service)
        chases.append(Chase(
            service_area=service,
            officer=contact.officer if contact else "",
            email=contact.email if contact else "",
            actions=tuple(sorted(ids, key=order.__getitem__)),
            deadline=deadline,
            days_to_deadline=(deadline - today).days,
        ))
    return chases


def chase_rows(chases: list[Chase]) -> list[dict[str, str]]:
    """Give the chase list as rows of text, formula-safe, in CHASE_COLUMNS order."""
    return [
        {
            "service_area": safe_cell(c.service_area),
            "lead_officer": safe_cell(c.officer or "(no contact in reporting.toml)"),
            "email": safe_cell(c.email),
            "actions_outstanding": safe_cell(", ".join(c.actions)),
            "deadline": c.deadline.isoformat(),
            "days_to_deadline": str(c.days_to_deadline),
            "status": c.status,
        }
        for c in chases
    ]


def chase_csv(chases: list[Chase]) -> bytes:
    """Give the chase list as CSV bytes (UTF-8 with BOM so Excel reads it)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CHASE_COLUMNS)
    writer.writeheader()
    writer.writerows(chase_rows(chases))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
