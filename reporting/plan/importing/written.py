"""The last step of the import: the plan workbook written, and read back as a run will read it.

What was imported is written with the Instructions sheet listing every decision, no cell a
spreadsheet would run as a formula. It is then read back by `reporting.plan.workbook`: a
problem a run would find that no decision has already named is added as one, and a workbook
that does not read back at all is the importer's own fault, said as such.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from reporting.cadence import cadence_from_wording
from reporting.period import Period
from reporting.plan.importing.decision import Decision
from reporting.plan.importing.rows import PlanRows
from reporting.plan.model import Plan, PlanError
from reporting.plan.workbook import PlanProblem, plan_workbook, read_plan_workbook

if TYPE_CHECKING:
    from openpyxl import Workbook


def workbook_bytes(rows: PlanRows, source: Path, decisions: list[Decision],
                   starts: Period | None = None) -> bytes:
    """Give the plan workbook's bytes: its sheets (the plan's start on Plan start, when
    given), and Instructions naming the source and listing what a person must decide."""
    instructions = [f"Imported from {source.name} by `reporting plan import`",
                    "Check these sheets against the published plan before a run uses them; "
                    "`reporting plan check` lists what is still to fix."]
    if decisions:
        instructions += ["", "For a person to decide:"] + [f"• {d}" for d in decisions]
    return saved(plan_workbook(rows.priorities, rows.actions, rows.milestones, instructions,
                               starts))


def saved(workbook: Workbook) -> bytes:
    """Give a written plan workbook's bytes, no cell in it a formula: a plan's words that
    start "=" stay words."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cadences_read(plan: Plan) -> list[Decision]:
    """Say where a milestone's wording decides how often an action reports ("Annual report
    published" makes it annual): a person should confirm it."""
    found = []
    for action in plan.actions:
        cadence = cadence_from_wording([m.text for m in action.milestones])
        if cadence is not None:
            words = next(m.text for m in action.milestones
                         if cadence_from_wording([m.text]) is cadence)
            found.append(Decision(
                f"action {action.id}",
                f"reports {cadence.label.lower()}, because its milestone '{words}' says so; "
                "if it should not, write its cadence (quarterly, six-monthly or annual) in "
                "the Actions sheet's Cadence column"))
    return found


def read_written(data: bytes, starts: Period | None, made: str, by: str
                 ) -> tuple[Plan, list[PlanProblem]]:
    """Give a written plan workbook's bytes read as a run reads the plan: the plan and every
    problem. Raises PlanError, the fault `by`'s ("the importer"), when a problem blocks it;
    `made` names what was written ("the imported plan workbook")."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.xlsx"
        path.write_bytes(data)
        plan, problems = read_plan_workbook(path, starts=starts)
    blocking = [p for p in problems if p.blocking]
    if plan is None or blocking:
        raise PlanError(f"{made} does not read back ({blocking[0] if blocking else 'no plan'}"
                        f"); this is a fault in {by}: please report it with the file")
    return plan, problems


def read_back(data: bytes, source: Path, decisions: list[Decision],
              starts: Period | None = None) -> tuple[list[Decision], list[Decision]]:
    """Read the written workbook as a run will; give the problems a person should see that
    `decisions` do not already say, and apart from them the dates that are very likely
    mistyped (`reporting.plan.mistyped`). Raises PlanError if it does not read back."""
    plan, problems = read_written(data, starts, f"{source.name}: the imported plan workbook",
                                  "the importer")
    said = " ".join(d.message for d in decisions)
    found, to_check = _cadences_read(plan), []
    for problem in problems:
        covered = ("has no lead service area" in problem.message and "lead" in said) or \
            ("is not a date" in problem.message and "is not a date" in said)
        if problem.mistyped:
            to_check.append(Decision(f"plan workbook, sheet '{problem.sheet}', row "
                                     f"{problem.row}, column {problem.column}",
                                     f"{problem.message}; {problem.fix}"))
        elif not covered:
            found.append(Decision(f"plan workbook, sheet '{problem.sheet}'"
                                  + (f", row {problem.row}" if problem.row else ""),
                                  f"{problem.message}; {problem.fix}"))
    return found, to_check
