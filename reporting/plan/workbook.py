"""The plan workbook: read it (every problem with its sheet, row and column) and write it.

Three sheets; `docs/plan-format.md` describes every column. Only `Actions` is required:

- `Priorities`: Priority (a number or a theme's name), Title. Without it, the themes are
  the Actions sheet's Priority values, in the order they first appear.
- `Actions`: one row per action. Action ID and Priority are required columns; the others
  (PLAN_COLUMNS) may be left out or blank.
- `Milestones`: one row per milestone: Action ID, Milestone, and optionally its own Due date
  and Lead service area.
- `Plan start`: optional, one row: Starts, the plan's first period ("2022/23 Q1"), which "Year 1"
  in a By when counts from (`[plan] starts` gives it too; the two must agree).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from reporting.cadence import Cadence, cadence_from_wording
from reporting.cells import (
    cell_text,
    date_is_loose,
    natural_key,
    normalise_action_id,
    parse_date,
)
from reporting.period import Period
from reporting.plan.mistyped import DatedCell, mistyped_dates, not_a_date
from reporting.plan.model import Action, Milestone, Plan, PlanError, Priority
from reporting.plan.timing import PeriodError, is_ongoing, plan_start, plan_year_end, relative_year
from reporting.settings import READ_NOW
from reporting.sheets.bounds import Unreadable, check_workbook, column_letter

if TYPE_CHECKING:  # openpyxl only writes a plan; calamine reads it (every run and check)
    from openpyxl import Workbook

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
        "Carried forward from",
        "Status when carried forward",
    ),
    "Milestones": ("Action ID", "Milestone", "Due date", "Lead service area"),
    "Plan start": ("Starts",),
}
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "Priorities": ("Priority",),
    "Actions": ("Action ID", "Priority"),
    "Milestones": ("Action ID", "Milestone"),
    "Plan start": ("Starts",),
}

# The most rows and columns a plan sheet is read to (a plan of 50,000 milestones is huge).
MAX_PLAN_ROWS = 50_000
MAX_PLAN_COLUMNS = 40

# Several lead services are written one per line or separated by semicolons.
_LEADS = re.compile(r"\s*(?:;|\n)\s*")


@dataclass(frozen=True)
class PlanProblem:
    """One thing wrong with a plan workbook: where, what, and what to do."""

    sheet: str
    row: int | None
    column: str
    message: str
    fix: str
    blocking: bool = True  # False: the plan still loads, the policy officer should look
    mistyped: bool = False  # a date that reads as a day but very likely was mistyped

    def __str__(self) -> str:
        where = f"sheet '{self.sheet}'"
        if self.row:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}; {self.fix}"


def _text(value: object) -> str:
    return re.sub(r"[ \t]+", " ", cell_text(value)).strip()


def leads_in(text: str) -> tuple[str, ...]:
    """Give the lead services a cell names, one per line or separated by semicolons."""
    return tuple(dict.fromkeys(p.strip(" ,.") for p in _LEADS.split(text) if p.strip(" ,.")))


class _Sheet:
    """One plan sheet's rows as {column name: value}, with the column letters for messages."""

    def __init__(self, name: str, rows: Iterator[Sequence[object]] | None,
                 problems: list[PlanProblem]):
        self.name = name
        self.rows: list[tuple[int, dict[str, object]]] = []
        self.letters: dict[str, str] = {}
        self.exists = self.present = rows is not None
        if rows is None:
            return
        header = [_text(v).lower() for v in next(rows, ())]
        columns = {}
        for column in PLAN_COLUMNS[name]:
            if column.lower() in header:
                columns[column] = header.index(column.lower())
                self.letters[column] = f"{column_letter(columns[column])} ({column})"
            elif column in REQUIRED_COLUMNS[name]:
                problems.append(PlanProblem(
                    name, 1, "", f"there is no '{column}' column",
                    "add it to the header row: " + ", ".join(REQUIRED_COLUMNS[name])
                    + " are required, " + ", ".join(
                        c for c in PLAN_COLUMNS[name] if c not in REQUIRED_COLUMNS[name])
                    + " may be added"))
        if any(c not in columns for c in REQUIRED_COLUMNS[name]):
            self.present = False
            return
        for number, values in enumerate(rows, start=2):
            if all(_text(v) == "" for v in values):
                continue
            if number > MAX_PLAN_ROWS:
                problems.append(PlanProblem(
                    name, number, "", f"the sheet goes on past row {MAX_PLAN_ROWS:,}, more "
                    "than a plan has", "delete what is below the plan and save it again"))
                break
            self.rows.append((number, {c: values[i] if i < len(values) else None
                                       for c, i in columns.items()}))

    def where(self, column: str) -> str:
        return self.letters.get(column, column)


# A plan sheet read with calamine makes a grid from A1 to its farthest value, so the sheets
# are first streamed to check their values lie within a plan's rows and columns.
_PLAN_BOUNDS = replace(READ_NOW, max_rows=MAX_PLAN_ROWS, max_columns=MAX_PLAN_COLUMNS)


@contextmanager
def _plan_sheets(path: Path) -> Iterator[Callable[[str], Iterator[Sequence[object]] | None]]:
    """Give a function of a sheet's name to its rows from A1 (None: no such sheet), each cut
    to the plan's columns, at most MAX_PLAN_ROWS + 1 of them.

    Read by calamine, quickly (every run and every `reporting check` reads the plan), when
    every sheet's values lie within the plan's rows and columns; else (a stray value in
    XFD1048576) by openpyxl, which streams a sheet and stops at the bounds.
    """
    try:
        for name in PLAN_COLUMNS:
            check_workbook(path, _PLAN_BOUNDS, name)
    except Unreadable:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            yield lambda name: workbook[name].iter_rows(
                values_only=True, max_row=MAX_PLAN_ROWS + 1, max_col=MAX_PLAN_COLUMNS
            ) if name in workbook.sheetnames else None
        finally:
            workbook.close()
        return
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    try:
        yield lambda name: (
            row[:MAX_PLAN_COLUMNS] for row in workbook.get_sheet_by_name(name).to_python(
                skip_empty_area=False, nrows=MAX_PLAN_ROWS + 1)
        ) if name in workbook.sheet_names else None
    finally:
        workbook.close()


def _starts(sheet: _Sheet, settled: Period | None, problems: list[PlanProblem]
            ) -> Period | None:
    """Give the plan's start: the settings' (`settled`), else the Plan sheet's; a Plan sheet
    that names another is a problem that must be fixed."""
    written = next((_text(c["Starts"]) for _, c in sheet.rows if _text(c["Starts"])), "")
    row = next((r for r, c in sheet.rows if _text(c["Starts"])), 2)
    try:
        own = plan_start(written)
    except PeriodError:
        problems.append(PlanProblem(sheet.name, row, sheet.where("Starts"),
                                    f"'{written}' is not a period",
                                    "write the plan's first quarter, such as 2022/23 Q1"))
        return settled
    if own is not None and settled is not None and own != settled:
        problems.append(PlanProblem(
            sheet.name, row, sheet.where("Starts"),
            f"the plan starts in {own.label} here, but [plan] starts in the settings is "
            f"{settled.label}", "make the two the same (or delete this sheet's Starts)"))
    return settled or own


def read_plan_workbook(path: Path, default_cadence: Cadence = Cadence.QUARTERLY,
                       starts: Period | None = None) -> tuple[Plan | None, list[PlanProblem]]:
    """Give the Plan in the workbook at `path` (None if a problem blocks it) and every problem.

    `starts` is `[plan] starts` from the settings: "Year 1" counts from it (else from the
    Plan sheet's Starts, which must not name another period)."""
    path = Path(path)
    problems: list[PlanProblem] = []
    try:
        with _plan_sheets(path) as rows_of:
            sheets = {name: _Sheet(name, rows_of(name), problems) for name in PLAN_COLUMNS}
    except PlanError:
        raise
    except Exception as error:  # each reader raises its own kinds for a bad file
        raise PlanError(f"{path}: cannot be opened as an Excel workbook ({error}); save the "
                        "plan as .xlsx (`reporting plan import` reads Word, CSV and others)"
                        ) from error
    if not sheets["Actions"].present:
        if not sheets["Actions"].exists:
            problems.append(PlanProblem("Actions", None, "", "the workbook has no 'Actions' sheet",
                                        "add one (see `reporting plan template`)"))
        return None, problems
    starts = _starts(sheets["Plan start"], starts, problems)
    priorities = _priorities(sheets["Priorities"], sheets["Actions"], problems)
    milestones = _milestones(sheets["Milestones"], problems, starts)
    dated: list[DatedCell] = []
    actions = _actions(sheets["Actions"], priorities, milestones, default_cadence, starts,
                       problems, dated)
    problems += [PlanProblem(d.cell.sheet, d.cell.row, d.cell.column, d.message, d.check,
                             blocking=False, mistyped=True)
                 for d in mistyped_dates(dated, starts)]
    if not sheets["Actions"].rows:
        problems.append(PlanProblem("Actions", None, "", "the sheet has no actions",
                                    "add one row per action under the header row"))
    if any(p.blocking for p in problems):
        return None, problems
    rank = {key: n for n, key in enumerate(priorities)}
    actions.sort(key=lambda a: (rank[a.priority], natural_key(a.id)))
    return Plan(priorities=tuple(priorities.values()), actions=tuple(actions),
                source=path, starts=starts), problems


def load_plan(path: Path, default_cadence: Cadence = Cadence.QUARTERLY,
              starts: Period | None = None) -> Plan:
    """Give the Plan in the workbook at `path`, or raise PlanError naming the first problem.

    An action's cadence is its `Cadence` cell; where that is blank, the one its milestone
    wording names; where that names none, `default_cadence`.
    """
    path = Path(path)
    plan, problems = read_plan_workbook(path, default_cadence, starts)
    if plan is None:
        blocking = [p for p in problems if p.blocking]
        more = (f" (and {len(blocking) - 1} more: `reporting plan check {path}` lists them)"
                if len(blocking) > 1 else "")
        raise PlanError(f"{path.name}: {blocking[0]}{more}")
    return plan


def _priorities(sheet: _Sheet, actions: _Sheet, problems: list[PlanProblem]
                ) -> dict[str, Priority]:
    priorities: dict[str, Priority] = {}
    for row, cells in sheet.rows:
        key = _text(cells["Priority"])
        if not key:
            problems.append(PlanProblem(sheet.name, row, sheet.where("Priority"),
                                        "the priority has no number or name",
                                        "give it one, as the Actions sheet names it"))
        elif key.lower() in {k.lower() for k in priorities}:
            problems.append(PlanProblem(sheet.name, row, sheet.where("Priority"),
                                        f"priority '{key}' is listed twice",
                                        "list each priority once"))
        else:
            priorities[key] = Priority(key, _text(cells.get("Title")))
    if not sheet.present:
        # No Priorities sheet: the themes are those the actions name, in order.
        for _, cells in actions.rows:
            key = _text(cells["Priority"])
            if key and key.lower() not in {k.lower() for k in priorities}:
                priorities[key] = Priority(key)
    return priorities


def _due(value: object, words: str, starts: Period | None = None) -> tuple:
    """Give (date, words, loose) for a due-date cell, falling back on the By when words
    ("Year 2" counted from `starts`; "Ongoing" has no date)."""
    day = parse_date(value)
    year = relative_year(words) if words else None
    if day is not None:
        # A real date the By when words name as a span ("Winter 2025" = 28 February 2026,
        # "Year 1") keeps the council's words.
        loose = date_is_loose(value) or (bool(words) and date_is_loose(words)
                                          and parse_date(words) == day) or year is not None
        return day, words or ("" if not date_is_loose(value) else _text(value)), loose
    if year is not None:
        return (plan_year_end(starts, year) if starts else None), words, starts is not None
    day = parse_date(words)
    return day, words, day is not None and date_is_loose(words)


def _milestone_due(due_cell: object, starts: Period | None) -> tuple:
    """Give (date, words, loose) for a milestone's Due date: a date, a span, or the plan's
    own words for when, kept as written where they are no day ("Year 2" counted from
    `starts` when given, "Ongoing", "Autumn term")."""
    found = _due(due_cell, "")
    return _due(None, _text(due_cell), starts) if found[0] is None else found


def _milestones(sheet: _Sheet, problems: list[PlanProblem],
                starts: Period | None = None) -> dict[str, list]:
    milestones: dict[str, list] = {}
    for row, cells in sheet.rows:
        reference = _text(cells["Action ID"])
        text = _text(cells["Milestone"])
        if not reference:
            problems.append(PlanProblem(sheet.name, row, sheet.where("Action ID"),
                                        "the milestone names no action",
                                        "write the reference of the action it belongs to"))
            continue
        due_cell = cells.get("Due date")
        day, words, loose = _milestone_due(due_cell, starts)
        unread, fix = _unread_due(None, words, day, starts)
        if unread:  # kept as the plan's words, shown in the paper; a person should look
            problems.append(PlanProblem(
                sheet.name, row, sheet.where("Due date"),
                f"'{unread}' is not a date", fix or not_a_date(
                    unread, "write a date (31/03/2026) or a span people use ('March 2026', "
                    "'Autumn 2025', '2025/26', 'Ongoing')") + "; the plan's words are shown "
                "until then", blocking=False))
        if text:
            dated = DatedCell(sheet.name, row, sheet.where("Due date"), reference, text, day,
                              _text(due_cell)) if day is not None else None
            milestones.setdefault(normalise_action_id(reference), []).append(
                (row, Milestone(text, day, words, loose,
                                _text(cells.get("Lead service area"))), dated))
    return milestones


def _unread_due(due_cell: object, by_when: str, day, starts: Period | None
                ) -> tuple[str, str]:
    """Give (the words that are not a date, what to write instead), or ("", "")."""
    if _text(due_cell) and parse_date(due_cell) is None:
        return _text(due_cell), ""
    if day is not None or not by_when or is_ongoing(by_when):
        return "", ""
    if relative_year(by_when) is not None and starts is None:
        return by_when, (f"'{by_when}' counts from the plan's start, which is not given: set "
                         "[plan] starts in reporting.toml (or Starts on the Plan start sheet) to "
                         "the plan's first quarter, such as \"2022/23 Q1\"")
    return by_when, ""


def _dated(sheet: _Sheet, row: int, reference: str, due_cell: object, by_when: str, day,
           milestones: list) -> list[DatedCell]:
    """Give the action's due date and its milestones' as `reporting.plan.mistyped` judges
    them, each with the cell it was read from and its words as written."""
    written = _text(due_cell)
    column = "Due date" if written else "By when"
    if by_when and (not written or parse_date(by_when) == day):
        written = by_when  # the council's words, when they give the same day
    found = [DatedCell(sheet.name, row, sheet.where(column), reference, "", day, written,
                       counted=not _text(due_cell) and relative_year(by_when) is not None)
             ] if day is not None else []
    return found + [replace(d, action=reference) for _, _, d in milestones if d is not None]


def _actions(sheet: _Sheet, priorities: dict[str, Priority], milestones: dict[str, list],
             default_cadence: Cadence, starts: Period | None,
             problems: list[PlanProblem], dated: list[DatedCell]) -> list[Action]:
    """Give the Actions sheet's actions, each with its milestones; every problem goes into
    `problems`, and every date with its cell into `dated`."""
    actions: list[Action] = []
    first_row: dict[str, tuple[int, str]] = {}
    by_lower = {k.lower(): k for k in priorities}
    for row, cells in sheet.rows:
        reference = _text(cells["Action ID"])
        key = normalise_action_id(reference)
        if not key:
            problems.append(PlanProblem(sheet.name, row, sheet.where("Action ID"),
                                        "the action has no reference",
                                        "give it the number or code the council uses"))
            continue
        if key in first_row:
            first, written = first_row[key]
            problems.append(PlanProblem(
                sheet.name, row, sheet.where("Action ID"),
                f"'{reference}' is the same reference as '{written}' on row {first}",
                "give each action its own reference"))
            continue
        first_row[key] = (row, reference)
        theme = by_lower.get(_text(cells["Priority"]).lower())
        if theme is None:
            problems.append(PlanProblem(
                sheet.name, row, sheet.where("Priority"),
                f"'{_text(cells['Priority'])}' is not a priority on the Priorities sheet",
                "use one of: " + ", ".join(priorities) if priorities else "add it there"))
            continue
        by_when = _text(cells.get("By when"))
        due_cell = cells.get("Due date")
        day, words, loose = _due(due_cell, by_when, starts)
        unread, fix = _unread_due(due_cell, by_when, day, starts)
        if unread:
            instead = f" (By when, '{by_when}', is used)" if day else ""
            problems.append(PlanProblem(
                sheet.name, row, sheet.where("Due date" if _text(due_cell) else "By when"),
                f"'{unread}' is not a date{instead}", fix or not_a_date(
                    unread, "write a date (31/03/2026) or a span people use ('March 2026', "
                    "'Autumn 2025', '2025/26', 'Ongoing')") + "; the plan's words are shown "
                "until then", blocking=False))
        theirs = milestones.pop(key, [])
        own = tuple(m for _, m, _ in theirs)
        cadence = default_cadence
        cadence_text = _text(cells.get("Cadence"))
        if cadence_text:
            try:
                cadence = Cadence.parse(cadence_text)
            except ValueError as error:
                problems.append(PlanProblem(sheet.name, row, sheet.where("Cadence"), str(error),
                                            "write quarterly, six-monthly or annual"))
                continue
        else:
            cadence = cadence_from_wording([m.text for m in own]) or default_cadence
        # No lead is allowed (the plan names none); said once for the plan (plan_gap_lines).
        leads = leads_in(cell_text(cells.get("Lead service area")))
        actions.append(Action(
            id=reference, priority=theme,
            objective=_text(cells.get("Objective")),
            what_we_will_do=_text(cells.get("What we will do")),
            by_when=words, due_date=day, due_loose=loose,
            who_will_deliver=_text(cells.get("Who will deliver")),
            leads=leads,
            partners=_text(cells.get("Partners")),
            target=_text(cells.get("Target/Outcome")),
            cadence=cadence, milestones=own,
            carried_forward_from=_text(cells.get("Carried forward from")),
            status_carried_forward=_text(cells.get("Status when carried forward"))))
        dated += _dated(sheet, row, reference, due_cell, by_when, day, theirs)
        if not (actions[-1].objective or actions[-1].what_we_will_do):
            problems.append(PlanProblem(
                sheet.name, row, sheet.where("Objective"), f"action {reference} has no words",
                "write its objective or what we will do"))
    for key, rows in milestones.items():
        row = rows[0][0]
        problems.append(PlanProblem(
            "Milestones", row, "A (Action ID)",
            f"milestones for '{key}', which is not on the Actions sheet",
            "use the reference of an action on the Actions sheet"))
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


# ---------------------------------------------------------------------------------------
# Writing

def plan_workbook(priorities: list[Priority], actions: list[dict[str, str]],
                  milestones: list[dict[str, str]], instructions: list[str] = (),
                  starts: Period | None = None) -> Workbook:
    """Give a plan workbook of these rows (column name -> text), with an Instructions sheet
    (and the plan's start on the Plan sheet, when given)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    first = workbook.active
    if instructions:
        first.title = "Instructions"
        first.column_dimensions["A"].width = 110
        for r, line in enumerate(instructions, start=1):
            cell = first.cell(r, 1, line)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == 1:
                cell.font = Font(bold=True, size=14)
    else:
        workbook.remove(first)
    rows = {"Priorities": [{"Priority": p.key, "Title": p.title} for p in priorities],
            "Actions": actions, "Milestones": milestones,
            "Plan start": [{"Starts": starts.label}] if starts else []}
    widths = {"Action ID": 10, "Priority": 14, "Title": 50, "Milestone": 50, "Due date": 14,
              "By when": 14, "Cadence": 12, "Carried forward from": 14}
    for name, columns in PLAN_COLUMNS.items():
        ws = workbook.create_sheet(name)
        for c, column in enumerate(columns, start=1):
            ws.cell(1, c, column).font = Font(bold=True)
            ws.column_dimensions[column_letter(c - 1)].width = widths.get(column, 32)
        ws.freeze_panes = "A2"
        for r, values in enumerate(rows[name], start=2):
            for c, column in enumerate(columns, start=1):
                value = values.get(column)
                if value not in (None, ""):
                    cell = ws.cell(r, c, value)
                    # References stay text: "1.10" must not become the number 1.1.
                    cell.number_format = "@" if isinstance(value, str) else "DD/MM/YYYY"
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook
