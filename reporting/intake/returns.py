"""Service-area returns: the update spreadsheets officers send each period.

A return is a workbook (`.xlsx`: the visible sheet holding the table; of several, the one
whose Period field, else name, says the period of its folder, see `_return_sheet`) or a
`.csv` or `.tsv` (cells separated by commas, semicolons or tabs).
Above the table, label and value pairs (`Service area`, `Period`, `Completed by`,
`Approved by`, `Date completed`); then a header row, anywhere in the first 30 rows, naming
the columns in the officer's own words (`Ref`, `RAG`, `Commentary` ...). What cannot be used
becomes a Problem (with the cell, what is wrong and what to do), never an exception; what
was understood but worth saying (an ignored column, "Amber/Red" read as the worse) is a Note.

Files are read through the bounded reader (`reporting.sheets`), as a published plan is:
checked first (size, kind, rows, zip bomb), then read with calamine, several times faster
than openpyxl and the same values (cached formula results, real dates); merged cells and
hidden rows come from the check's own pass. What is here is what makes the grid a return.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from pathlib import Path

from reporting.cells import (
    DateReading,
    cell_text,
    far_from_period,
    financial_year_named,
    fold_look_alikes,
    foreign_letters,
    named_period,
    normalise_action_id,
    parse_date,  # noqa: F401 (tests read it from here)
    parse_period,
    read_date,
    read_status,
)
from reporting.period import Period, PeriodError
from reporting.services import service_area_from_name, service_key
from reporting.settings import READ_NOW, IntakeSettings
from reporting.sheets.bounds import Unreadable, check_cells, column_letter, identify
from reporting.sheets.delimited import delimiter_of, read_csv
from reporting.sheets.headings import (
    ACTION_ID_HEADINGS,
    HEADER_SEARCH_ROWS,
    Headings,
    find_header,
    heading_key,
)
from reporting.sheets.workbooks import Sheet, read_sheets
from reporting.status import NO_STATUS, Status, parse_status
from reporting.wording import shown_name, without_controls

RETURN_COLUMNS = (
    "Action ID",
    "Action",
    "Milestone",
    "Status",
    "Progress update",
    "Revised date",
    "Reason for revised date",
    "Date achieved",
    "Evidence",
    "Next steps",
    "Forecast year-end status",
    "Why is it at risk or off track?",  # optional: the officer's reason, for the committee
)
REQUIRED_COLUMNS = ("Action ID", "Status", "Progress update")
HEADER_FIELDS = ("Service area", "Period", "Completed by", "Approved by", "Date completed")
# Columns a return may carry for the officer's reference (the template has them); never read.
REFERENCE_COLUMNS = (
    "Due date", "Last period's status", "Last period's update", "Previous status",
    "Previous update", "Objective", "Target", "Target/Outcome", "Lead service area",
    "Who will deliver", "Priority", "By when", "Partners",
)
PREFERRED_SHEET = "Return"
STATUS_WORDS = tuple(s.value for s in Status if s not in NO_STATUS)

# The headings officers write over each column a return is read by (the plan import has its
# own table, for the plan's columns, in `reporting.plan.importing.headings`).
COLUMNS = Headings({
    "Action ID": ACTION_ID_HEADINGS,
    "Action": ("Action", "What we will do", "Action description", "Description"),
    "Milestone": ("Milestone", "Milestones"),
    "Status": ("Status", "RAG", "RAG status", "RAG rating", "Rating", "Current status",
               "Overall status", "Progress status"),
    "Progress update": ("Progress update", "Update", "Progress", "Commentary", "Comments",
                        "Comment", "Progress commentary", "Progress to date", "Latest update",
                        "Narrative", "Update on progress"),
    "Revised date": ("Revised date", "Revised due date", "Revised target date", "New date",
                     "Revised deadline", "New due date"),
    "Reason for revised date": ("Reason for revised date", "Reason", "Reason for change",
                                "Reason for delay", "Reason for new date"),
    "Date achieved": ("Date achieved", "Achieved", "Completion date", "Date complete",
                      "Completed date", "Achieved date"),
    "Evidence": ("Evidence", "Supporting evidence", "Evidence link", "Link"),
    "Next steps": ("Next steps", "Next actions", "Next step", "Planned next steps",
                   "Actions next quarter"),
    "Forecast year-end status": ("Forecast year-end status", "Forecast", "Year-end forecast",
                                 "Forecast status", "Forecast year end status"),
    "Why is it at risk or off track?": (
        "Why is it at risk or off track?", "Why at risk or off track", "Why off track",
        "Why at risk", "Reason for status", "Reason for rating", "Reason for RAG",
        "Reason for RAG status", "Explanation", "Explanation of status"),
})
# The labels of the fields above the table.
FIELDS = Headings({
    "Service area": ("Service area", "Service", "Team", "Service team"),
    "Period": ("Period", "Quarter", "Reporting period", "Return period"),
    "Completed by": ("Completed by", "Prepared by", "Author", "Completed"),
    "Approved by": ("Approved by", "Signed off by", "Sign off", "Approver", "Approved"),
    "Date completed": ("Date completed", "Date", "Completed on", "Date of return"),
})
# Long text columns: a vertically merged cell is read once, not copied to each row.
_TEXT_COLUMNS = ("Progress update", "Reason for revised date", "Evidence", "Next steps",
                 "Why is it at risk or off track?")
_REFERENCE_KEYS = {heading_key(name) for name in REFERENCE_COLUMNS}
# A row with "Action ID" itself is the header even if nothing else in it is known, so that
# the officer is told which required column it lacks.
_ACTION_ID_ITSELF = Headings({"Action ID": ("Action ID",)})


@dataclass(frozen=True)
class Problem:
    """Why a return file could not be used at all, and what to do (what a usable file
    holds is judged by `reporting.checks`, never here)."""

    file: str
    where: str  # "Return!D12", "line 5", "" for the whole file
    message: str  # what is wrong
    fatal: bool = False  # the whole file cannot be used
    fix: str = ""  # what the officer should do

    @property
    def text(self) -> str:
        return f"{self.message}; {self.fix}" if self.fix else self.message

    def __str__(self) -> str:
        place = f"{self.file}, {self.where}" if self.where else self.file
        return f"{place}: {self.text}"


@dataclass(frozen=True)
class Note:
    """Something understood in a return that is still worth telling the officer."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, {self.where}: {self.message}" if self.where else \
            f"{self.file}: {self.message}"


@dataclass(frozen=True)
class ReturnRow:
    """One row of a return: an update on one action (or one of its milestones)."""

    action_id: str
    raw_action_id: str
    milestone: str
    status: Status | None
    status_text: str
    progress_update: str
    revised_date: date | None
    reason_for_revised_date: str
    date_achieved: date | None
    evidence: str
    next_steps: str
    cells: dict[str, str] = field(default_factory=dict, compare=False)  # column -> "Return!D12"
    forecast_status: Status | None = None  # the officer's forecast for the year end
    # What the officer typed where a date or forecast was expected (the checks judge it).
    revised_date_text: str = ""
    date_achieved_text: str = ""
    # Another day the revised date's words may mean ("Jan 24": 24 January 2023, where it was
    # read as January 2024), None when they mean one (`DateReading.meant`).
    revised_date_meant: date | None = None
    forecast_text: str = ""
    combined_status: bool = False  # the status named two statuses; the worse was taken
    # Why the officer says it is at risk or off track ("" when the return has no such column).
    status_reason: str = ""
    # Columns whose cell shows nothing to read, read as empty: "Status" -> "the error #REF!"
    # (the checks name it, rather than say "no status").
    unshown: dict[str, str] = field(default_factory=dict, compare=False)
    hidden: bool = False  # the row is hidden in Excel (known for an .xlsx only)

    def where(self, column: str = "Action ID") -> str:
        return self.cells.get(column) or self.cells.get("Action ID", "")

    @property
    def says_nothing(self) -> bool:
        """Tell whether the officer wrote nothing in the row: a template's row left as it
        came (its action and milestone are the template's own words), with no status,
        update, date, forecast or anything else an officer fills in."""
        return not (self.status_text or self.status is not None or self.progress_update
                    or self.revised_date or self.revised_date_text
                    or self.reason_for_revised_date or self.date_achieved
                    or self.date_achieved_text or self.evidence or self.next_steps
                    or self.forecast_text or self.forecast_status or self.status_reason
                    or self.unshown)


@dataclass(frozen=True)
class Return:
    """One return file as read: its header fields, its rows and what was wrong with it."""

    path: Path
    service_area: str
    period_text: str = ""
    completed_by: str = ""
    approved_by: str = ""
    date_completed: date | None = None
    date_completed_text: str = ""  # what the officer typed in Date completed
    sheet: str = ""
    rows: tuple[ReturnRow, ...] = ()
    problems: tuple[Problem, ...] = ()
    notes: tuple[Note, ...] = ()
    # Where each header field's value sits: "Approved by" -> "Return!B4".
    field_cells: dict[str, str] = field(default_factory=dict, compare=False)
    settling: bool = False  # modified too recently: not read this run
    # Lines of the table not read (wider than the header, or cut off), each as its Action ID
    # read as a key ("1.a") and where it is ("line 7"): so that an action whose only line
    # was not read is said to be so, not said to have no row.
    unread_lines: tuple[tuple[str, str], ...] = ()
    # The bytes read, as read: what is archived with the papers ("" when nothing was read).
    content: bytes = field(default=b"", repr=False, compare=False)

    @cached_property
    def file(self) -> str:
        """The file's name as shown to people (`wording.shown_name`: anything invisible escaped)."""
        return shown_name(self.path.name)

    @property
    def usable(self) -> bool:
        return not any(p.fatal for p in self.problems)

    @property
    def period(self) -> Period | None:
        """The period the return's own Period field names (`period_said`), or None."""
        return period_said(self.period_text, _folder_period(self.path))

    @property
    def action_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for row in self.rows:
            if row.action_id:
                seen.setdefault(row.action_id, None)
        return tuple(seen)


# ---------------------------------------------------------------------------------------
# Reading a table out of a grid of cells


def _find_header(grid: list[list[object]]) -> int | None:
    """Give the index of the header row: the first naming Action ID and another column,
    else the first holding "Action ID" itself; None if neither is in the first rows."""
    found = find_header(grid, COLUMNS, lambda names: "Action ID" in names and len(names) >= 2)
    return found if found is not None else find_header(grid, _ACTION_ID_ITSELF, bool)


# What a CSV's cells were split at, and what joins a header field's value back together.
_MARKS = {"commas": ("comma", ", "), "semicolons": ("semicolon", "; "), "tabs": ("tab", " ")}


def _fields_above(grid, header_at, address, delimiter: str = "", notes: list[Note] | None = None,
                  file: str = "") -> tuple[dict[str, object], dict[str, str]]:
    """Give the label and value pairs above the table, and the cell of each value.

    In a CSV file (`delimiter` the cells were split at), a value split by a mark not inside
    quotes ("Period,2022/23, Q2"; "Service area,Health, Wellbeing") is read whole, its
    cells joined, and a Note in `notes` says so; in a workbook the next cell is the value."""
    fields: dict[str, object] = {}
    cells: dict[str, str] = {}
    for r in range(header_at):
        values = grid[r]
        filled = [(c, v) for c, v in enumerate(values) if cell_text(v)]
        if not filled:
            continue
        c, label = filled[0]
        name = FIELDS.column(label)
        if name and name not in fields:
            value = filled[1] if len(filled) > 1 else (c + 1, None)
            fields[name] = value[1]
            cells[name] = address(r, value[0])
            if delimiter and len(filled) > 2:
                mark, joint = _MARKS.get(delimiter, _MARKS["commas"])
                fields[name] = joint.join(cell_text(v) for _, v in filled[1:])
                if notes is not None:
                    notes.append(Note(file, address(r, None), (
                        f"the {name} line has {len(filled) - 1} cells after its label, split "
                        f"at a {mark} not inside quotes; they were read together as "
                        f"'{fields[name]}': put the value in double quotes (\"...\") or "
                        "save the return from Excel as CSV")))
    return fields, cells


def _columns(header: list[object], header_at: int, address, hidden: tuple[int, ...],
             notes: list[Note], file: str) -> dict[str, int]:
    """Give the column each heading the report reads is in: the first visible one, else the
    first hidden one; every other column is said on the receipt."""
    hidden = frozenset(hidden)
    columns: dict[str, int] = {}
    for c, value in enumerate(header):
        heading = cell_text(value)
        if not heading:
            continue
        name = COLUMNS.column(heading)
        if name is None:
            if heading_key(heading) not in _REFERENCE_KEYS:
                notes.append(Note(file, address(header_at, c), f"the column '{heading}' is not "
                                  "one the report reads; it was ignored"))
            continue
        first = columns.get(name)
        if first is None:
            columns[name] = c
            continue
        if first in hidden and c not in hidden:
            columns[name], c = c, first
        notes.append(Note(file, address(header_at, c), (
            f"the column '{cell_text(header[c])}' is hidden in Excel and was not read: the "
            f"visible column {column_letter(columns[name])} is the report's {name}"
            if c in hidden else f"the column '{heading}' repeats the report's {name}, read from "
            f"column {column_letter(columns[name])}; it was ignored")))
    for name, c in columns.items():
        if c in hidden:
            notes.append(Note(file, address(header_at, c), f"the column "
                              f"'{cell_text(header[c])}' is hidden in Excel; read like the others"))
    return columns


def _width(row: list[object]) -> int:
    """Give how many cells a row has, up to its last filled one."""
    return max((c + 1 for c, value in enumerate(row) if cell_text(value)), default=0)


def _fill_merged(grid, merged, columns: dict[str, int], header_at: int) -> None:
    """Copy a vertically merged ID, status or date to every row it spans (Excel keeps it once)."""
    text_columns = {columns[n] for n in _TEXT_COLUMNS if n in columns}
    for r1, c1, r2, c2 in merged:
        if r2 == r1 or r1 <= header_at or c1 in text_columns or r1 >= len(grid):
            continue
        value = grid[r1][c1] if c1 < len(grid[r1]) else None
        for r in range(r1 + 1, min(r2, len(grid) - 1) + 1):
            while len(grid[r]) <= c1:
                grid[r].append(None)
            grid[r][c1] = value


def _table(
    path: Path, grid: list[list[object]], address, problems: list[Problem], notes: list[Note],
    merged=(), hidden=(), sheet: str = "", delimiter: str = "",
    unshown: dict[tuple[int, int], str] | None = None, period: Period | None = None,
    hidden_columns: tuple[int, ...] = (), cut_off: bool = False,
) -> tuple[dict[str, object], dict[str, str], list[ReturnRow], list[tuple[str, str]]]:
    """Read header fields, rows and the lines not read (`Return.unread_lines`) from a grid
    of cell values.

    `address(row_index, column_index)` names a cell for messages ("Return!D12", "line 5, column D");
    `sheet` is the sheet the grid is ("" for a CSV file, whose `delimiter` is named);
    `unshown` the cells holding an error or an uncomputed formula (see `Sheet.unshown`);
    `period` the period the return is for (its folder's), which gives a date written
    without its year its year (else the return's own Period field does);
    `hidden_columns` the columns hidden in Excel (0-based), read only where no visible
    column has the same heading; `cut_off` that the file ends mid-line, when its last row,
    if shorter than the header, is not read.
    """
    name_of_file = shown_name(path.name)
    header_at = _find_header(grid)
    if header_at is None:
        fields, cells = _fields_above(grid, min(len(grid), HEADER_SEARCH_ROWS), address,
                                      delimiter)
        where = f"rows of the sheet '{sheet}'" if sheet else \
            f"lines (read as cells separated by {delimiter or 'commas'})"
        problems.append(Problem(
            name_of_file, "",
            f"no header row naming an 'Action ID' column was found in the first "
            f"{HEADER_SEARCH_ROWS} {where}", fatal=True,
            fix="use the return template, whose table starts with Action ID, Status and "
                "Progress update"))
        return fields, cells, [], []
    fields, field_cells = _fields_above(grid, header_at, address, delimiter, notes,
                                        name_of_file)
    columns = _columns(grid[header_at], header_at, address, hidden_columns, notes,
                       name_of_file)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        problems.append(Problem(
            name_of_file, address(header_at, None),
            f"the header row has no {', '.join(repr(m) for m in missing)} column", fatal=True,
            fix="add it (see the return template)"))
        return fields, field_cells, [], []
    _fill_merged(grid, merged, columns, header_at)
    period = period or parse_period(fields.get("Period"))

    def dated(values: list[object], name: str, where: str, future: bool) -> DateReading:
        # A new date is ahead of the period's start; a day achieved is near its end.
        around = (period.start if future else period.end) if period else None
        reading = read_date(cell(values, name), around, future)
        if reading.loose:
            notes.append(Note(name_of_file, where,
                              f"the {name.lower()} {reading.stated}"))
        return reading

    held: dict[str, str] = {}  # this row's cells that show nothing to read

    def cell(values: list[object], name: str) -> object:
        c = columns.get(name)
        return values[c] if c is not None and c < len(values) and name not in held else None

    def not_read(values: list[object], r: int) -> tuple[str, str]:
        """A line left unread, as `Return.unread_lines` holds it: its Action ID, and where."""
        return normalise_action_id(cell_text(cell(values, "Action ID"))), address(r, None)

    rows, unread = [], []
    hidden_in_table = [r for r in hidden if header_at < r - 1 < len(grid)
                       and any(cell_text(v) for v in grid[r - 1])]
    if hidden_in_table:
        shown = ", ".join(str(r) for r in hidden_in_table[:10])
        notes.append(Note(name_of_file, "",
                          f"row{'s' if len(hidden_in_table) > 1 else ''} {shown} "
                          f"{'are' if len(hidden_in_table) > 1 else 'is'} hidden in Excel; "
                          "read like the others, but a visible row for the same action "
                          "counts before a hidden one"))
    hidden_rows = frozenset(hidden)
    for r in range(header_at + 1, len(grid)):
        values = grid[r]
        if all(cell_text(v) == "" for v in values):
            continue
        if cut_off and r == len(grid) - 1 and len(values) < _width(grid[header_at]):
            notes.append(Note(name_of_file, address(r, None),
                              f"the file ends part way through this line ({len(values)} of "
                              f"{_width(grid[header_at])} cells), so it may have been cut off "
                              "while copying: the line was not read; send the file again whole"))
            unread.append(not_read(values, r))
            continue
        if delimiter and _width(values) > _width(grid[header_at]):
            notes.append(_wider_than_header(name_of_file, address, r, header_at, values,
                                            _width(grid[header_at]), delimiter))
            unread.append(not_read(values, r))
            continue
        if delimiter and (shifted := _shifted_status(values, columns)):
            notes.append(_shifted_line(name_of_file, address, r, values, columns, shifted,
                                       delimiter))
            unread.append(not_read(values, r))
            continue
        cells = {name: address(r, c) for name, c in columns.items()}
        held = _unshown_cells(r, values, columns, unshown or {})
        for name in held.keys() - {"Status", "Progress update"}:  # the checks name those
            notes.append(Note(name_of_file, cells[name],
                              f"the {name} cell holds {held[name]}, so it was read as empty"))
        raw_id = cell_text(cell(values, "Action ID"))
        status_text = cell_text(cell(values, "Status"))
        update = cell_text(cell(values, "Progress update"))
        if not (raw_id or status_text or update):
            notes.append(Note(name_of_file, address(r, None),
                              "a row with no action ID, status or update was skipped"))
            continue
        if foreign := foreign_letters(raw_id):
            if fold_look_alikes(raw_id) != raw_id:
                notes.append(Note(name_of_file, cells["Action ID"],
                                  f"the Action ID '{raw_id}' holds {_letters(foreign)}, which "
                                  f"look{'s' if len(foreign) == 1 else ''} like Latin; it was "
                                  f"read as {fold_look_alikes(raw_id)}: retype it"))
        revised = dated(values, "Revised date", cells.get("Revised date", ""), True)
        achieved = dated(values, "Date achieved", cells.get("Date achieved", ""), False)
        status, combined = read_status(status_text)
        if combined:
            notes.append(Note(name_of_file, cells["Status"],
                              f"'{status_text}' names two statuses; the worse, "
                              f"{status.value}, was taken"))
        elif status is not None and parse_status(status_text) is None:
            # Read from part of what was typed ("amber-ish"): the officer is told how.
            notes.append(Note(name_of_file, cells["Status"],
                              f"'{status_text}' was read as {status.value}; choose a status "
                              "from the list next time"))
        forecast_text = cell_text(cell(values, "Forecast year-end status"))
        forecast, _ = read_status(forecast_text)
        rows.append(ReturnRow(
            action_id=normalise_action_id(raw_id),
            raw_action_id=raw_id,
            milestone=cell_text(cell(values, "Milestone")),
            status=status,
            status_text=status_text,
            progress_update=update,
            revised_date=revised.day,
            reason_for_revised_date=cell_text(cell(values, "Reason for revised date")),
            date_achieved=achieved.day,
            evidence=cell_text(cell(values, "Evidence")),
            next_steps=cell_text(cell(values, "Next steps")),
            cells=cells,
            forecast_status=forecast,
            revised_date_text=revised.text,
            revised_date_meant=revised.meant,
            date_achieved_text=achieved.text,
            forecast_text=forecast_text,
            combined_status=combined,
            status_reason=cell_text(cell(values, "Why is it at risk or off track?")),
            unshown=held,
            hidden=r + 1 in hidden_rows,
        ))
    return fields, field_cells, rows, unread


# How much of a line not read is quoted back on the receipt: each cell, and the line whole.
_QUOTED_CELL_CHARS = 200
_QUOTED_LINE_CHARS = 1000


def _quoted(values: list[object]) -> str:
    """Give a line's cells as a receipt quotes them: each in quotes, long ones cut."""
    shown = []
    for value in values:
        text = cell_text(value)
        shown.append(f"'{text[:_QUOTED_CELL_CHARS]}{'...' if len(text) > _QUOTED_CELL_CHARS else ''}'")
    line = " | ".join(shown)
    return line if len(line) <= _QUOTED_LINE_CHARS else line[:_QUOTED_LINE_CHARS] + " ..."


def _wider_than_header(file: str, address, r: int, header_at: int, values: list[object],
                       width: int, delimiter: str) -> Note:
    """Say that a CSV line has more cells than its header names, quoting it, and that it was
    not read: its cells past the one that split would each sit under the wrong heading."""
    cells = _width(values)
    mark = {"commas": "comma", "semicolons": "semicolon", "tabs": "tab"}.get(delimiter, "comma")
    beyond = _quoted(values[width:cells])
    return Note(file, address(r, None), (
        f"this line has {cells} cells but the header row (line {header_at + 1}) names only "
        f"{width} columns, so the line was not read: its cells would sit under the wrong "
        f"headings. The cell{'s' if cells - width > 1 else ''} beyond the header: {beyond}; "
        f"the whole line: {_quoted(values[:cells])}. A progress update (or other text) on "
        f"this line probably holds a {mark} that is not inside quotes: save the return "
        f"from Excel as CSV (Excel adds the quotes), or put that text in double quotes "
        f"(\"...\"), and send it again; a note typed beside the table goes in a column with "
        f"a heading, or in the update"))


def _shifted_status(values: list[object], columns: dict[str, int]) -> int:
    """Give how many cells a CSV line's cells sit to the right of their headings, when it
    shows so: its Status cell blank, a status alone one or two cells to its right, and as
    many cells empty at its end (a comma not inside quotes split a cell before the Status,
    and the line is still no wider than its header); else 0."""
    at = columns.get("Status")
    if at is None or cell_text(values[at] if at < len(values) else None):
        return 0
    for by in (1, 2):
        moved = cell_text(values[at + by]) if at + by < len(values) else ""
        if moved and len(moved.split()) <= 3 and parse_status(moved) is not None \
                and len(values) > by and not any(cell_text(v) for v in values[-by:]):
            return by
    return 0


def _shifted_line(file: str, address, r: int, values: list[object], columns: dict[str, int],
                  by: int, delimiter: str) -> Note:
    """Say that a CSV line's cells sit `by` to the right of their headings, quoting it, and
    that it was not read: its status would be taken as its update."""
    mark = _MARKS.get(delimiter, _MARKS["commas"])[0]
    moved = cell_text(values[columns["Status"] + by])
    return Note(file, address(r, None), (
        f"this line's Status cell is empty but '{moved}' is {by} cell{'s' if by > 1 else ''} "
        f"to its right, and the line ends with as many empty cells, so its cells sit under "
        f"the wrong headings: the line was not read. The whole line: {_quoted(values)}. Text "
        f"before the Status (the Action or Milestone) probably holds a {mark} that is not "
        f"inside quotes: save the return from Excel as CSV (Excel adds the quotes), or put "
        f"that text in double quotes (\"...\"), and send it again"))


def _letters(found: list[tuple[str, str]]) -> str:
    """Say which letters are not Latin: "'с', a Cyrillic letter"."""
    return ", ".join(f"'{char}', a {script} letter" for char, script in found)


# What Excel shows in a cell whose formula failed; a CSV saved from Excel holds the words.
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!",
                          "#CONNECT!", "#BUSY!", "#UNKNOWN!"})


def _unshown_cells(r: int, values: list[object], columns: dict[str, int],
                   unshown: dict[tuple[int, int], str]) -> dict[str, str]:
    """Give the row's columns whose cell holds an error or an uncomputed formula, each with
    what it holds ("the error #REF!")."""
    held = {}
    for name, c in columns.items():
        if (r, c) in unshown:
            held[name] = unshown[(r, c)]
        elif c < len(values) and cell_text(values[c]).upper() in EXCEL_ERRORS:
            held[name] = f"the error {cell_text(values[c]).upper()}"
    return held


# ---------------------------------------------------------------------------------------
# Reading files


@dataclass(frozen=True)
class SheetChoice:
    """The sheet of a workbook a return is read from, why, and the other sheets with a table."""

    sheet: Sheet
    why: str  # "" when no other sheet holds a table
    others: tuple[Sheet, ...] = ()


def period_said(text: object, sent_for: Period | None) -> Period | None:
    """Give the period a return's Period field names, or None. A financial year alone
    ("2022/23") names no quarter: in a return sent for a period of that year (`sent_for`,
    its folder's) it is that period, never the year's last quarter."""
    year = financial_year_named(text)
    if year is not None and sent_for is not None and sent_for.year == year:
        return sent_for
    return parse_period(text)


def for_period(said: Period, period: Period) -> bool:
    """Tell whether a return that says it is for `said` is for `period`: the same period,
    or the half year it falls in (a six-monthly return)."""
    return said == period or (said.kind == "H" and said == period.half())


# A period a sheet's name names: "Q2", "Qtr 2", "Quarter 2", "H1", "Half 1", and its
# financial year where it has one ("2022-23 Q2", "Q2 22/23").
_NAMED_PART = re.compile(r"(?<![a-z])(q|qtr|quarter|h|half(?:[\s-]*year)?)\s*([1-4])(?!\d)",
                         re.IGNORECASE)
_NAMED_YEAR = re.compile(r"(?<!\d)(\d{4}|\d{2})\s*[/-]\s*(\d{4}|\d{2})(?!\d)")


def sheet_names_period(name: str, period: Period) -> bool:
    """Tell whether a sheet's name names `period` ("Q2", "2022-23 Q2", "Qtr 2"): one period
    part, and no financial year but the period's own."""
    parts = {(m[1][0].upper(), int(m[2])) for m in _NAMED_PART.finditer(name)}
    if len(parts) != 1:
        return False
    [(kind, number)] = parts
    year = period.year
    for first, second in _NAMED_YEAR.findall(name):
        start = int(first) + (2000 if len(first) == 2 else 0)
        if int(second) % 100 == (start + 1) % 100:  # a financial year, not "10-22"
            year = start
    try:
        return for_period(Period(year, kind, number), period)
    except PeriodError:
        return False


def _sheet_period(sheet: Sheet) -> str:
    """Give the text of the Period field above a sheet's table ("" if it has none)."""
    header_at = _find_header(sheet.rows)
    if header_at is None:
        return ""
    fields, _ = _fields_above(sheet.rows, header_at, lambda r, c: "")
    return cell_text(fields.get("Period"))


def _last_of(found: list[Sheet], why: str) -> tuple[Sheet, str]:
    """Give the last of the sheets found, in tab order (officers add a tab for each period),
    and why it was read."""
    if len(found) > 1:
        why += (f"; of the {len(found)} sheets that do, it is the last in tab order (the "
                "newest)")
    return found[-1], why


def _by_period(pool: list[Sheet], period: Period | None) -> tuple[Sheet, str]:
    """Give which of several sheets holding a table is the return, and why: the one whose
    Period field says the folder's period, else whose name names it, else the one named
    Return (else the first) of those not saying they are for another period."""
    said = [period_said(_sheet_period(sheet), period) for sheet in pool]
    unclaimed = pool
    prefix = ""
    if period is not None:
        by_field = [s for s, p in zip(pool, said) if p is not None and for_period(p, period)]
        if by_field:
            return _last_of(by_field, f"its Period field says {period.label}, the period of "
                                      "the folder the return is in")
        by_name = [s for s in pool if sheet_names_period(s.name, period)]
        if by_name:
            return _last_of(by_name, f"its name names {period.label}, the period of the "
                                     "folder the return is in, and no sheet's Period field "
                                     "says so")
        prefix = (f"no sheet's Period field or name says {period.label}, the period of the "
                  "folder the return is in, so ")
        unclaimed = [s for s, p in zip(pool, said) if p is None] or pool
        if len(unclaimed) < len(pool):
            prefix += "of the sheets whose Period field does not name another period, "
    for sheet in unclaimed:
        if sheet.name.strip().lower() == PREFERRED_SHEET.lower():
            return sheet, prefix + f"it is the one named {PREFERRED_SHEET}"
    return unclaimed[0], prefix + "it is the first in tab order"


def _return_sheet(sheets: list[Sheet], period: Period | None = None) -> SheetChoice:
    """Give the sheet that holds the return for `period` (its folder's), why, and the other
    sheets that hold a table too.

    The return is read from a visible sheet with a header row: where several have one, the
    sheet whose Period field says `period`, else whose name names it ("Q2", "2022-23 Q2",
    "Qtr 2"), the last in tab order where several do (officers add a tab each period); else
    the one named Return (any case), else the first, of those not saying they are for
    another period. A hidden sheet is read only when no visible sheet holds a table (an old
    `Return` hidden beside a new `Return (2)` is never preferred); with no table anywhere,
    the sheet named Return, else the first visible, is read, and its missing header row said.
    """
    if not sheets:
        raise Unreadable("the workbook has no worksheet", "save the return from Excel as an "
                         ".xlsx workbook and send it again")
    tables = [s for s in sheets if _find_header(s.rows) is not None]
    pool = [s for s in tables if not s.hidden] or tables
    if not pool:
        def rank(sheet: Sheet) -> tuple[bool, bool]:
            return sheet.hidden, sheet.name.strip().lower() != PREFERRED_SHEET.lower()
        return SheetChoice(min(sheets, key=rank), "")
    if len(pool) > 1:
        chosen, why = _by_period(pool, period)
    else:
        chosen, why = pool[0], "it is the only visible sheet holding a table"
    others = tuple(s for s in tables if s is not chosen)
    return SheetChoice(chosen, why if others else "", others)


# How much of another sheet's Period field a note quotes.
_QUOTED_PERIOD_CHARS = 60


def _sheet_notes(file: str, choice: SheetChoice) -> list[Note]:
    """Say which sheet was read and why when the workbook holds more than one table (and
    what each other sheet with a table says it is for), or when only a hidden one does."""
    def named(sheet: Sheet) -> str:
        return f"the {'hidden ' if sheet.hidden else ''}sheet '{without_controls(sheet.name)}'"

    def says(sheet: Sheet) -> str:
        text = without_controls(_sheet_period(sheet))
        if not text:
            return "it has no Period field"
        cut = text[:_QUOTED_PERIOD_CHARS] + ("..." if len(text) > _QUOTED_PERIOD_CHARS else "")
        return f"its Period field says '{cut}'"

    chosen = choice.sheet
    notes = []
    if choice.others:
        notes.append(Note(file, "", f"the return was read from {named(chosen)}: {choice.why}"))
    notes += [Note(file, "", f"{named(sheet)} also holds a table ({says(sheet)}); it was not "
                             "read" + (", as a hidden sheet is read only when no visible one "
                                       "holds a table" if sheet.hidden and not chosen.hidden
                                       else ""))
              for sheet in choice.others]
    if chosen.hidden:
        only = "the only sheet holding a table" if not choice.others else \
            "as no visible sheet holds a table"
        notes.append(Note(file, "", f"the return was read from {named(chosen)}, {only}: unhide "
                                    "it, or copy the table to a visible sheet"))
    return notes


def _read_workbook(data: bytes, settings: IntakeSettings, kind: str = "xlsx") -> list[Sheet]:
    """Give the sheets of a workbook of `kind`, hidden ones too (`_return_sheet` chooses).

    An .xlsx is streamed through the bounds check first (size, rows, columns, merged cells,
    XML); .ods and .xlsb are checked for their expanded size, and .xls (a legacy binary that
    cannot be streamed) for its file size; every kind is read in the child process whose
    memory limit contains what the checks cannot see.
    """
    return read_sheets(data, kind, settings, hidden=True)


def read_return(path: Path, settings: IntakeSettings = READ_NOW) -> Return:
    """Give the Return in the file at `path`; why it cannot be used, if so, is in `problems`.

    Reading only reads: whether a cell's value is acceptable is for `reporting.checks`.
    """
    path = Path(path)
    problems: list[Problem] = []
    notes: list[Note] = []
    sheet = ""
    merged, hidden, hidden_columns = (), (), ()
    cut_off = False  # a CSV file ending without a line break: its last line may be cut
    unshown: dict[tuple[int, int], str] = {}
    data = b""
    try:
        before = _stamp(path)
        kind = identify(path, settings)
        # Read once: the bytes parsed are the bytes archived, whatever happens to the file.
        data = path.read_bytes()
        if kind == "csv":
            text = read_csv(data, settings)
            grid, cut_off = text.rows, text.cut_off

            def address(r: int, c: int | None) -> str:
                return f"line {r + 1}" + ("" if c is None else f", column {column_letter(c)}")

            notes += [Note(shown_name(path.name), address(r, c), "a byte that is not UTF-8 was "
                           "replaced by \ufffd: check the cell's text, and save the file as "
                           "CSV UTF-8 next time") for r, c in text.replaced[:20]]
        else:
            choice = _return_sheet(_read_workbook(data, settings, kind), _folder_period(path))
            read = choice.sheet
            unshown = read.unshown
            notes += _sheet_notes(shown_name(path.name), choice)
            # The sheet's name is shown in every cell reference: nothing invisible in it.
            sheet, grid, merged, hidden = (without_controls(read.name), read.rows, read.merged,
                                           read.hidden_rows)
            hidden_columns = read.hidden_columns

            def address(r: int, c: int | None) -> str:
                return f"{sheet}!{column_letter(c)}{r + 1}" if c is not None \
                    else f"{sheet}, row {r + 1}"
        check_cells(grid, settings, address)
    except Unreadable as error:
        if _stamp(path) != before:  # damaged only because it is still arriving
            return settling_return(path, 0, while_read=True)
        problems.append(Problem(shown_name(path.name), "", error.message, fatal=True, fix=error.fix))
        return Return(path=path, service_area=service_area_from_name(path),
                      problems=tuple(problems), content=data)
    except OSError as error:  # held open, vanished or not permitted
        problems.append(Problem(shown_name(path.name), "", f"the file could not be opened ({error.strerror})",
                                fatal=True, fix="close it in Excel and it will be read next run"))
        return Return(path=path, service_area=service_area_from_name(path),
                      problems=tuple(problems))
    if _stamp(path) != before:
        return settling_return(path, 0, while_read=True)
    folder = _folder_period(path)
    fields, field_cells, rows, unread = _table(path, grid, address, problems, notes, merged,
                                               hidden, sheet, "" if sheet else delimiter_of(data), unshown,
                                       folder, hidden_columns, cut_off)
    completed = _header_dates(path, fields, field_cells, folder, notes)
    named = {name: _header_field(shown_name(path.name), name, fields, field_cells, notes)
             for name in ("Service area", "Completed by", "Approved by")}
    return Return(
        path=path,
        service_area=named["Service area"] or service_area_from_name(path),
        period_text=cell_text(fields.get("Period")),
        completed_by=named["Completed by"],
        approved_by=named["Approved by"],
        date_completed=completed.day,
        date_completed_text=completed.text,
        sheet=sheet,
        rows=tuple(rows),
        problems=tuple(problems),
        notes=tuple(notes),
        field_cells=field_cells,
        unread_lines=tuple(unread),
        content=data,
    )


# A header field names a service or a person: longer than this, it is cut (a pasted
# paragraph would otherwise be copied whole into every receipt and note).
HEADER_FIELD_CHARS = 200


def _header_field(file: str, name: str, fields: dict[str, object], cells: dict[str, str],
                  notes: list[Note]) -> str:
    """Give a header field's text, cut to `HEADER_FIELD_CHARS` and the cut said."""
    text = cell_text(fields.get(name))
    if len(text) <= HEADER_FIELD_CHARS:
        return text
    notes.append(Note(file, cells.get(name, ""),
                      f"the {name} field is {len(text):,} characters long; only its first "
                      f"{HEADER_FIELD_CHARS} were kept: give a name there"))
    return text[:HEADER_FIELD_CHARS].rstrip() + "..."


def _folder_period(path: Path) -> Period | None:
    """Give the period a return's folder names (inputs/returns/2023-24-Q2/), or None."""
    try:
        return Period.parse(path.parent.name)
    except PeriodError:
        return None


def _header_dates(path: Path, fields: dict[str, object], field_cells: dict[str, str],
                  folder: Period | None, notes: list[Note]) -> DateReading:
    """Read the header's Date completed (and say how its Period was read, where loosely):
    words that are not one clear day are read and the reading stated, never dropped."""
    file = shown_name(path.name)
    period_text = cell_text(fields.get("Period"))
    said = period_said(period_text, folder)
    year_only = financial_year_named(period_text) is not None
    if said is not None and period_text and said.label != period_text \
            and named_period(period_text) is None and (not year_only or said == folder):
        # A financial year of another year than the folder's is no reading: WRONG_PERIOD.
        how = ", the period it was sent for, as it names only the financial year" \
            if year_only else ""
        notes.append(Note(file, field_cells.get("Period", ""),
                          f"the Period '{period_text}' was read as {said.label}{how}: write "
                          f"{said.label}"))
    around = (folder or said).end if (folder or said) else None
    reading = read_date(fields.get("Date completed"), around)
    if reading.loose:
        notes.append(Note(file, field_cells.get("Date completed", ""),
                          f"the Date completed {reading.stated}"))
    return reading


def _stamp(path: Path) -> tuple[int, int] | None:
    """Give a file's size and modification time, to tell whether it changed while read."""
    try:
        info = Path(path).stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def settling_return(path: Path, seconds: float, while_read: bool = False,
                    growing: bool = False) -> Return:
    """Give the Return for a file still being copied: not read this run, and saying so."""
    path = Path(path)
    if growing:
        why = "the file was still growing when this run looked at it, so it may still be copying"
    elif while_read:
        why = "the file changed while it was being read, so it may still be copying"
    else:
        why = (f"the file changed {max(seconds, 0):.0f} seconds before this run and may still "
               "be copying, so")
    return Return(
        path=path, service_area=service_area_from_name(path), settling=True,
        problems=(Problem(shown_name(path.name), "",
                          f"{why}{'' if why.endswith('so') else ';'} it was not read this run",
                          fatal=True, fix="nothing: it will be read on the next run"),))


# What a copy of a file is called: "Copy of x.xlsx", "x (1).xlsx", "x - Copy.xlsx", and the
# "~$x.xlsx" Excel leaves beside a file it holds open.
_COPY_NAME = re.compile(r"^(?:~\$|copy\s+of\s+)|(?:\s*-\s*copy(?:\s*\(\d+\))?|\s*\(\d+\))$",
                        re.IGNORECASE)


def is_copy_name(path: Path) -> bool:
    """Tell whether a file's name is a copy's ("Copy of x.xlsx", "x (1).xlsx", "x - Copy.xlsx",
    "~$x.xlsx")."""
    return bool(_COPY_NAME.search(Path(path).stem.strip()))


def service_named_by(path: Path) -> str:
    """Give the service area a file's name names, copy marks left out ("Copy of
    planning-policy (1).xlsx" -> "Planning Policy")."""
    stem = Path(path).stem.strip()
    while (found := _COPY_NAME.search(stem)) and found.group():
        stem = (stem[:found.start()] + stem[found.end():]).strip()
    return service_area_from_name(Path(stem + Path(path).suffix))


def choose_returns(returns: list[Return], period: Period | None = None,
                   service: Callable[[str], str] = service_key,
                   trusted: Callable[[Return], bool] = lambda ret: True) -> dict[str, Return]:
    """Give one usable return per service area, keyed by `service(service area)`.

    Two files from one service are told apart by what they hold (see `return_rank`): a file
    not `trusted` (its name names another service than its Service area cell) never
    supersedes one that is; then one whose Period field names another period than `period`
    loses; then the later `Date completed` wins; then a name that is not a copy's; and only
    then the later file time.
    """
    chosen: dict[str, Return] = {}
    for ret in returns:
        if not ret.usable:
            continue
        key = service(ret.service_area)
        current = chosen.get(key)
        if current is None or return_rank(ret, period, trusted(ret)) > \
                return_rank(current, period, trusted(current)):
            chosen[key] = ret
    return chosen


# The first parts of `return_rank` that what a return holds decides: two returns of one
# service equal in these are told apart only by their names and file times.
RANK_BY_CONTENT = 3


def return_rank(ret: Return, period: Period | None,
                trusted: bool = True) -> tuple[bool, bool, date, bool, float]:
    """Give the key by which the better of two returns from one service is told: trusted,
    for this period, latest Date completed, not named as a copy, latest file time.

    A Date completed too far from the period to be right (`completed_counts`) counts as
    none: "Oct 11th" misread as 2011 must not make an older copy the newer return."""
    said = period_said(ret.period_text, period) if period else ret.period
    for_this_period = period is None or said is None or for_period(said, period)
    try:
        mtime = ret.path.stat().st_mtime
    except OSError:
        mtime = 0.0
    completed = ret.date_completed if completed_counts(ret, period) else None
    return (trusted, for_this_period, completed or date.min,
            not is_copy_name(ret.path), mtime)


def completed_counts(ret: Return, period: Period | None) -> bool:
    """Tell whether a return's Date completed is near enough its period to compare by."""
    period = period or ret.period
    return ret.date_completed is not None and (
        period is None or not far_from_period(ret.date_completed, period.end))


def latest_period_with_returns(root: Path) -> Period | None:
    """Give the latest period that has a folder under `root` (inputs/returns), or None."""
    periods = []
    for folder in Path(root).iterdir() if Path(root).is_dir() else ():
        try:
            periods.append(Period.parse(folder.name))
        except PeriodError:
            continue
    return max(periods, default=None)
