"""The master action plan: priorities, actions and milestones, read from the policy team's workbook.

The workbook has three sheets (see `PLAN_COLUMNS`): `Priorities`, `Actions` and
`Milestones` (one row per milestone, so an action can have several or none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reporting.cadence import Cadence, cadence_from_wording
from reporting.errors import ReportingError
from reporting.services import service_key

PLAN_COLUMNS: dict[str, tuple[str, ...]] = {
    "Priorities": ("Priority", "Title"),
    "Actions": (
        "Action ID",
        "Priority",
        "Objective",
        "What we will do",
        "By when",
        "Due date",
        "Who will deliver",
        "Lead service area",
        "Partners",
        "Target/Outcome",
        "Cadence",
    ),
    "Milestones": ("Action ID", "Milestone"),
}

_ACTION_ID = re.compile(r"^\d+\.[a-z]$")


class PlanError(ReportingError, ValueError):
    """A plan workbook that cannot be used, with where and why."""


@dataclass(frozen=True)
class Priority:
    number: int
    title: str

    @property
    def heading(self) -> str:
        return f"Priority {self.number}: {self.title}"


@dataclass(frozen=True)
class Action:
    """One action of the plan, as the policy team wrote it."""

    id: str
    priority: int
    objective: str
    what_we_will_do: str
    by_when: str
    due_date: date
    who_will_deliver: str
    lead_service_area: str
    partners: str
    target: str
    cadence: Cadence
    milestones: tuple[str, ...] = ()

    @property
    def gaps(self) -> tuple[str, ...]:
        """Name the parts of the action the plan leaves undefined."""
        missing = []
        if not self.what_we_will_do:
            missing.append("a 'what we will do'")
        if not self.milestones:
            missing.append("a milestone")
        if not self.target:
            missing.append("a target")
        return tuple(missing)


@dataclass(frozen=True)
class Plan:
    priorities: tuple[Priority, ...]
    actions: tuple[Action, ...]
    source: Path | None = None

    def action(self, action_id: str) -> Action | None:
        return self._by_id.get(action_id)

    def priority(self, number: int) -> Priority:
        return next(p for p in self.priorities if p.number == number)

    # Looked up for every row of every return: worked out once per plan (a plan is frozen).
    @cached_property
    def _by_id(self) -> dict[str, Action]:
        return {a.id: a for a in self.actions}

    @cached_property
    def service_areas(self) -> tuple[str, ...]:
        return tuple(sorted({a.lead_service_area for a in self.actions}))

    @cached_property
    def service_by_key(self) -> dict[str, str]:
        """The plan's service areas by `service_key` ("healthandwellbeing" -> its spelling)."""
        return {service_key(s): s for s in self.service_areas if s}


# The most rows and columns a plan sheet is read to (a plan of 50,000 milestones is huge).
MAX_PLAN_ROWS = 50_000
MAX_PLAN_COLUMNS = 40


def _text(value: object) -> str:
    if value is None:
        return ""
    return re.sub(r"[ \t]+", " ", str(value)).strip()


def _where(sheet: str, row: int, column: int | None = None, name: str | None = None) -> str:
    place = f"sheet '{sheet}', row {row}"
    if column is not None:
        place += f", column {get_column_letter(column)} ({name})"
    return place


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _rows(workbook, sheet: str) -> list[tuple[int, dict[str, tuple[int, object]]]]:
    """Give (row number, {column name: (column number, value)}) for each non-blank row."""
    if sheet not in workbook.sheetnames:
        raise PlanError(f"plan workbook has no sheet '{sheet}': add it with the columns "
                        + ", ".join(PLAN_COLUMNS[sheet]))
    ws = workbook[sheet]
    # Bounded: one stray value in XFD1048576 must not make a million rows of 16,384 cells.
    rows = ws.iter_rows(values_only=True, max_row=MAX_PLAN_ROWS + 1, max_col=MAX_PLAN_COLUMNS)
    header = [_text(v) for v in next(rows, ())]
    for name in PLAN_COLUMNS[sheet]:
        if name not in header:
            raise PlanError(
                f"{_where(sheet, 1)}: missing column '{name}'; the header row must hold "
                + ", ".join(PLAN_COLUMNS[sheet])
            )
    columns = {name: header.index(name) for name in PLAN_COLUMNS[sheet]}
    found = []
    for number, values in enumerate(rows, start=2):
        if all(_text(v) == "" for v in values):
            continue
        if number > MAX_PLAN_ROWS:
            raise PlanError(f"{_where(sheet, number)}: the sheet goes on past row "
                            f"{MAX_PLAN_ROWS:,}, more than a plan has; delete what is below "
                            "the plan and save it again")
        found.append(
            (number, {name: (i + 1, values[i] if i < len(values) else None)
                      for name, i in columns.items()})
        )
    return found


def _action_id(sheet: str, row: int, cell: tuple[int, object]) -> str:
    column, value = cell
    action_id = _text(value).lower()
    if not _ACTION_ID.match(action_id):
        raise PlanError(
            f"{_where(sheet, row, column, 'Action ID')}: {_text(value)!r} is not an action ID; "
            "write it as priority number, dot, letter (1.a)"
        )
    return action_id


def load_plan(path: Path, default_cadence: Cadence = Cadence.QUARTERLY) -> Plan:
    """Give the Plan in the workbook at `path`.

    An action's cadence is its `Cadence` cell; where that is blank, the one its milestone
    wording names; where that names none, `default_cadence`. Raises PlanError naming the
    sheet, row and column for a missing column, a duplicate ID or a date that cannot be read.
    """
    path = Path(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise PlanError(f"{path}: cannot be opened as an Excel workbook ({error})") from error
    try:
        priorities = _load_priorities(workbook)
        milestones = _load_milestones(workbook)
        actions = _load_actions(workbook, priorities, milestones, default_cadence)
    except PlanError as error:
        raise PlanError(f"{path.name}: {error}") from None
    finally:
        workbook.close()
    return Plan(priorities=tuple(priorities.values()), actions=tuple(actions), source=path)


def _load_priorities(workbook) -> dict[int, Priority]:
    priorities: dict[int, Priority] = {}
    for row, cells in _rows(workbook, "Priorities"):
        column, value = cells["Priority"]
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise PlanError(
                f"{_where('Priorities', row, column, 'Priority')}: {value!r} is not a number"
            ) from None
        if number in priorities:
            raise PlanError(
                f"{_where('Priorities', row, column, 'Priority')}: duplicate priority {number}"
            )
        priorities[number] = Priority(number, _text(cells["Title"][1]))
    return priorities


def _load_milestones(workbook) -> dict[str, list[str]]:
    milestones: dict[str, list[str]] = {}
    for row, cells in _rows(workbook, "Milestones"):
        action_id = _action_id("Milestones", row, cells["Action ID"])
        text = _text(cells["Milestone"][1])
        if text:
            milestones.setdefault(action_id, []).append(text)
    return milestones


def _load_actions(workbook, priorities, milestones, default_cadence) -> list[Action]:
    actions: list[Action] = []
    first_row: dict[str, int] = {}
    for row, cells in _rows(workbook, "Actions"):
        action_id = _action_id("Actions", row, cells["Action ID"])
        if action_id in first_row:
            column = cells["Action ID"][0]
            raise PlanError(
                f"{_where('Actions', row, column, 'Action ID')}: duplicate ID '{action_id}' "
                f"(first on row {first_row[action_id]}); each action needs its own ID"
            )
        first_row[action_id] = row
        column, value = cells["Priority"]
        try:
            priority = int(value)
        except (TypeError, ValueError):
            priority = -1
        if priority not in priorities:
            raise PlanError(
                f"{_where('Actions', row, column, 'Priority')}: {value!r} is not a priority "
                "listed on the Priorities sheet"
            )
        column, value = cells["Due date"]
        due = _as_date(value)
        if due is None:
            raise PlanError(
                f"{_where('Actions', row, column, 'Due date')}: {_text(value)!r} is not a date; "
                "enter a date such as 31/03/2023"
            )
        own_milestones = tuple(milestones.get(action_id, ()))
        column, value = cells["Cadence"]
        if _text(value):
            try:
                cadence = Cadence.parse(_text(value))
            except ValueError as error:
                raise PlanError(f"{_where('Actions', row, column, 'Cadence')}: {error}") from None
        else:
            cadence = cadence_from_wording(own_milestones) or default_cadence
        actions.append(
            Action(
                id=action_id,
                priority=priority,
                objective=_text(cells["Objective"][1]),
                what_we_will_do=_text(cells["What we will do"][1]),
                by_when=_text(cells["By when"][1]),
                due_date=due,
                who_will_deliver=_text(cells["Who will deliver"][1]),
                lead_service_area=_text(cells["Lead service area"][1]),
                partners=_text(cells["Partners"][1]),
                target=_text(cells["Target/Outcome"][1]),
                cadence=cadence,
                milestones=own_milestones,
            )
        )
    unknown = sorted(set(milestones) - set(first_row))
    if unknown:
        raise PlanError(
            f"sheet 'Milestones': milestones for action(s) {', '.join(unknown)} "
            "that are not on the Actions sheet"
        )
    return actions


def find_plan(folder: Path) -> Path:
    """Give the one plan workbook in `folder` (lock and hidden files are ignored)."""
    folder = Path(folder)
    found = sorted(
        p for p in folder.glob("*.xlsx") if not p.name.startswith(("~$", "."))
    ) if folder.is_dir() else []
    if len(found) != 1:
        held = ", ".join(p.name for p in found) or "nothing"
        raise PlanError(
            f"{folder} must hold exactly one plan workbook (.xlsx); it holds {held}"
        )
    return found[0]
