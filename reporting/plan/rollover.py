"""The year-end rollover: next year's plan workbook, made from this year's plan and where its
latest returns left each action.

An action its returns call Complete is closed: it is not in the new plan. Every other one is
carried forward with its reference, words, leads and target; its due date is the officer's
revised date where one was given, else the plan's; its milestones are those not reported
achieved; and its `Carried forward from` and `Status when carried forward` cells say where it
came from. An action no return reported is carried forward too, for a person to check. The
new plan starts in the new year's Q1 (its Plan start sheet). Every decision is said, one line
an action, as the plan import says its own; nothing is decided in silence.

What the returns say is read from each action's merged progress (`reporting.merge.Progress`,
given here as anything with its fields: this row of the library sits below the merge).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Protocol

from reporting.cadence import Paper, cadences_covered
from reporting.period import Period
from reporting.plan.importing.decision import Decision
from reporting.plan.importing.written import read_written, saved
from reporting.plan.model import Action, Milestone, Plan, PlanError
from reporting.plan.timing import relative_year
from reporting.plan.workbook import plan_workbook
from reporting.publish import write_atomic
from reporting.status import Status
from reporting.wording import long_date


class _Row(Protocol):
    @property
    def milestone(self) -> str: ...
    @property
    def status(self) -> Status | None: ...
    @property
    def date_achieved(self) -> date | None: ...


class _MilestoneProgress(Protocol):
    @property
    def milestone(self) -> Milestone: ...
    @property
    def revised_date(self) -> date | None: ...


class Reported(Protocol):
    """What the rollover reads of an action's progress in the latest period."""

    @property
    def action(self) -> Action: ...
    @property
    def status(self) -> Status: ...
    @property
    def revised_date(self) -> date | None: ...
    @property
    def rows(self) -> Sequence[_Row]: ...
    @property
    def milestones(self) -> Sequence[_MilestoneProgress]: ...


@dataclass(frozen=True)
class RolloverReport:
    """What a rollover wrote and decided."""

    out: Path
    period: Period  # the period whose returns were read
    starts: Period  # the new plan's first quarter
    carried_from: str  # the year closed, as the Carried forward from cells say it ("2022/23")
    carried: tuple[str, ...]  # the references carried forward, in plan order
    closed: tuple[str, ...]  # the references closed as complete
    decisions: tuple[Decision, ...]  # one per action, in plan order, then the themes'


_YEAR = re.compile(r"\s*(\d{4})\s*/\s*(\d{2}|\d{4})\s*")


def rollover_start(text: str) -> Period:
    """Give the first quarter of the financial year `--to` names ("2023/24" is 2023/24 Q1);
    raise PlanError, in one line, for anything else."""
    match = _YEAR.fullmatch(text or "")
    if not match:
        raise PlanError(f"--to {text!r} is not a financial year: write it as 2023/24")
    first, last = int(match[1]), match[2]
    if int(last) != (first + 1 if len(last) == 4 else (first + 1) % 100):
        raise PlanError(f"--to {text!r} is not a financial year: {first} is followed by "
                        f"{first + 1} ({first}/{(first + 1) % 100:02d})")
    return Period(first, "Q", 1)


def default_out(starts: Period) -> Path:
    """Give where a rollover writes when not told: "plan-2023-24.xlsx" here."""
    return Path.cwd() / f"plan-{starts.financial_year.replace('/', '-')}.xlsx"


def check_out(out: Path, force: bool, inputs: Path) -> None:
    """Raise PlanError unless the new workbook may be written at `out`: never under `inputs`
    (the pipeline changes nothing there), never over a file without `force`."""
    if Path(out).resolve().is_relative_to(Path(inputs).resolve()):
        raise PlanError(f"--out {out} is under the inputs folder ({inputs}), which the rollover "
                        "never writes to: write it elsewhere, check it, then put it in "
                        "inputs/plan/ yourself")
    if Path(out).exists() and not force:
        raise PlanError(f"{out} is already there; pass --force to replace it, or give "
                        "another --out")


def _year_of(plan: Plan, period: Period) -> int:
    """Give the year the rollover closes: the latest returns' (or the plan's start's, if later)."""
    return max(period.year, plan.starts.year if plan.starts else period.year)


def _achieved(milestone: Milestone, reported: Reported | None) -> bool:
    """Tell whether a used row naming the milestone says it is achieved: Complete, or a date
    achieved given."""
    said = " ".join(milestone.text.lower().split())
    return reported is not None and any(
        " ".join(r.milestone.lower().split()) == said
        and (r.status is Status.COMPLETE or r.date_achieved is not None) for r in reported.rows)


def _new_date(milestone: Milestone, reported: Reported | None) -> date | None:
    return next((m.revised_date for m in (reported.milestones if reported else ())
                 if m.milestone == milestone and m.revised_date), None)


def _due_to_report(action: Action, period: Period) -> bool:
    """Tell whether any paper on `period` covers the action (an annual one reports at Q4)."""
    paper = Paper.SIX_MONTHLY if period.number in (2, 4) else Paper.QUARTERLY
    return action.cadence in cadences_covered(paper, period)


def _before(day: date | None, starts: Period) -> str:
    if day is None or day >= starts.start:
        return ""
    return f"due {long_date(day)}, before {starts.financial_year} begins: set a new date"


def _due_cells(action: Action, reported: Reported | None, period: Period,
               said: list[str]) -> tuple[str, date | None]:
    """Give the carried action's (By when, Due date), saying where they come from."""
    revised = reported.revised_date if reported else None
    if revised:
        said.append(f"due {long_date(revised)}, the new date its return gave in {period.label}")
        return "", revised
    if relative_year(action.by_when) is not None:
        # "Year 1" would count from the new plan's start: it is written as the year it meant.
        if action.due_date is None:
            said.append(f"'{action.by_when}' counted from the old plan's start, which was not "
                        "given: set a new date")
            return "", None
        end = action.due_date.year
        return f"{end - 1}/{end % 100:02d}", action.due_date
    return action.by_when, action.due_date


def _milestone_rows(action: Action, reported: Reported | None, starts: Period,
                    said: list[str]) -> list[dict]:
    """Give the carried action's milestones not achieved, saying which were dropped."""
    rows = []
    for milestone in action.milestones:
        if _achieved(milestone, reported):
            said.append(f"milestone '{milestone.text}' achieved: dropped")
            continue
        revised = _new_date(milestone, reported)
        due = revised or (milestone.due_text if milestone.due_loose else milestone.due_date)
        late = _before(revised or milestone.due_date, starts)
        if late:
            said.append(f"milestone '{milestone.text}' {late}")
        rows.append({"Action ID": action.id, "Milestone": milestone.text, "Due date": due,
                     "Lead service area": milestone.lead})
    return rows


def _carried(action: Action, reported: Reported | None, period: Period, starts: Period,
             year: str) -> tuple[dict, list[dict], str]:
    """Give the carried action's row, its milestones' rows and the line that says so."""
    status = reported.status if reported else Status.NO_UPDATE
    said = [f"carried forward, {status.value} in {period.label}"]
    if status is Status.NO_UPDATE:
        said[0] = f"carried forward, not reported in {period.label}" + (
            "" if _due_to_report(action, period) else
            f" (as {action.cadence.label.lower()}, it was not due to report then)") + \
            ": check it"
    by_when, due = _due_cells(action, reported, period, said)
    late = _before(due, starts)
    if late:
        said.append(late)
    milestones = _milestone_rows(action, reported, starts, said)
    row = {"Action ID": action.id, "Priority": action.priority, "Objective": action.objective,
           "What we will do": action.what_we_will_do, "By when": by_when, "Due date": due,
           "Who will deliver": action.who_will_deliver,
           "Lead service area": "; ".join(action.leads), "Partners": action.partners,
           "Target/Outcome": action.target, "Cadence": action.cadence.value,
           "Carried forward from": year,
           "Status when carried forward": f"{status.value} in {period.label}"}
    return row, milestones, "; ".join(said)


def roll_over(plan: Plan, progress: Mapping[str, Reported], period: Period, starts: Period
              ) -> tuple[bytes, RolloverReport]:
    """Give the new plan workbook's bytes and what was decided, for the year `starts` opens.

    `progress` is each action's progress at `period` (the latest with returns), by action
    key; an action missing from it was not reported. Raises PlanError when `starts` is not
    after the year being closed, when every action is complete, or (a fault here) when the
    workbook does not read back.
    """
    year = _year_of(plan, period)
    if starts.year <= year:
        raise PlanError(f"--to {starts.financial_year} is not after the plan's year, "
                        f"{Period(year, 'Q', 1).financial_year}: give the year the new plan "
                        f"starts, such as {Period(year + 1, 'Q', 1).financial_year}")
    old = Period(year, "Q", 1).financial_year
    actions, milestones, decisions, carried, closed = [], [], [], [], []
    for action in plan.actions:
        reported = progress.get(action.key)
        if reported is not None and reported.status is Status.COMPLETE:
            closed.append(action.id)
            decisions.append(Decision(f"action {action.id}", f"closed: Complete in "
                                      f"{period.label}, so it is not in the new plan"))
            continue
        row, rows, line = _carried(action, reported, period, starts, old)
        actions.append(row)
        milestones += rows
        carried.append(action.id)
        decisions.append(Decision(f"action {action.id}", line))
    themes = {a["Priority"] for a in actions}
    for priority in plan.priorities:
        if priority.key not in themes:
            decisions.append(Decision(f"theme '{priority.heading}'", "every action in it is "
                                      "complete, so it is not in the new plan"))
    if not actions:
        raise PlanError(f"every action of the plan is complete in {period.label}: there is "
                        "nothing to carry forward, so no plan was written")
    instructions = [f"The {starts.financial_year} plan, carried forward from the {old} plan "
                    "by `reporting plan rollover`",
                    f"From the returns for {period.label}: {len(carried)} actions carried "
                    f"forward, {len(closed)} closed as complete. Check these sheets, then run "
                    "`reporting plan check` on the file.", "", "What the rollover decided:"]
    instructions += [f"• {d}" for d in decisions]
    data = saved(plan_workbook([p for p in plan.priorities if p.key in themes], actions,
                               milestones, instructions, starts))
    read_written(data, starts, "the rolled-over plan workbook", "the rollover")
    return data, RolloverReport(Path(), period, starts, old, tuple(carried), tuple(closed),
                                tuple(decisions))


def write_rollover(plan: Plan, progress: Mapping[str, Reported], period: Period,
                   starts: Period, out: Path) -> RolloverReport:
    """Write the new plan workbook at `out` whole or not at all (`roll_over`); give what was
    decided. `check_out` says first whether `out` may be written."""
    data, report = roll_over(plan, progress, period, starts)
    write_atomic(out, data)
    return replace(report, out=Path(out))


__all__ = ["Reported", "RolloverReport", "check_out", "default_out", "roll_over",
           "rollover_start", "write_rollover"]
