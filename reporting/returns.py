"""Service-area returns: the update spreadsheets officers send each period.

A return is a workbook (`.xlsx`, sheet `Return`, else the first sheet) or a `.csv`. Above
the table in a workbook, label and value pairs in columns A and B (`Service area`,
`Period`, `Completed by`, `Approved by`, `Date completed`); then a header row holding a
cell `Action ID`. What cannot be used becomes a Problem, never an exception.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reporting.period import Period, PeriodError
from reporting.status import Status, parse_status

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
)
REQUIRED_COLUMNS = ("Action ID", "Status", "Progress update")
HEADER_FIELDS = ("Service area", "Period", "Completed by", "Approved by", "Date completed")
RETURN_SUFFIXES = (".xlsx", ".csv")
PREFERRED_SHEET = "Return"


@dataclass(frozen=True)
class Problem:
    """Something in a return that could not be used, where it is, and what to do."""

    file: str
    where: str  # "Return!D12", "line 5", "" for the whole file
    message: str
    fatal: bool = False  # the whole file cannot be used

    def __str__(self) -> str:
        place = f"{self.file}, {self.where}" if self.where else self.file
        return f"{place}: {self.message}"


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

    def where(self, column: str = "Action ID") -> str:
        return self.cells.get(column) or self.cells.get("Action ID", "")


@dataclass(frozen=True)
class Return:
    """One return file as read: its header fields, its rows and what was wrong with it."""

    path: Path
    service_area: str
    period_text: str = ""
    completed_by: str = ""
    approved_by: str = ""
    date_completed: date | None = None
    sheet: str = ""
    rows: tuple[ReturnRow, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def file(self) -> str:
        return self.path.name

    @property
    def usable(self) -> bool:
        return not any(p.fatal for p in self.problems)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def normalise_action_id(text: object) -> str:
    """Give the plan's form of an action ID ("1.b") for what an officer typed, or ""."""
    match = re.fullmatch(r"\s*(\d+)\s*[.\-_ ]?\s*([a-zA-Z])\s*\.?\s*", _text(text))
    return f"{match[1]}.{match[2].lower()}" if match else ""


def parse_date(value: object) -> date | None:
    """Give the date in a cell: a real Excel date or day-first text (31/03/2023)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def service_area_from_name(path: Path) -> str:
    """Give a service area named by a file ("regulatory-services.xlsx" -> "Regulatory Services")."""
    stem = re.sub(r"^\d{4}-\d{2}-[QH]\d[\s_-]*", "", path.stem)
    words = re.sub(r"[_-]+", " ", stem).strip()
    return " ".join(
        w if w.isupper() or w in ("&", "and") else w.capitalize() for w in words.split()
    )


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


_COLUMN_KEYS = {_key(name): name for name in RETURN_COLUMNS}
_FIELD_KEYS = {_key(name): name for name in HEADER_FIELDS}


def _table(
    path: Path, grid: list[list[object]], address, problems: list[Problem]
) -> tuple[dict[str, str], list[ReturnRow]]:
    """Read header fields and rows from a grid of cell values.

    `address(row_index, column_index)` names a cell for messages ("Return!D12", "line 5, column D").
    """
    fields: dict[str, str] = {}
    header_at = None
    for r, values in enumerate(grid):
        keys = [_key(_text(v)) for v in values]
        if "actionid" in keys:
            header_at = r
            break
        if len(values) >= 2 and _key(_text(values[0])) in _FIELD_KEYS:
            fields[_FIELD_KEYS[_key(_text(values[0]))]] = values[1]
    if header_at is None:
        problems.append(Problem(path.name, "", "no header row with an 'Action ID' cell was found; "
                                "use the return template, whose table starts with Action ID",
                                fatal=True))
        return fields, []
    columns: dict[str, int] = {}
    for c, value in enumerate(grid[header_at]):
        name = _COLUMN_KEYS.get(_key(_text(value)))
        if name and name not in columns:
            columns[name] = c
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        problems.append(Problem(
            path.name, address(header_at, None),
            f"the header row has no {', '.join(repr(m) for m in missing)} column; "
            "add it (see the return template)", fatal=True))
        return fields, []

    def cell(values: list[object], name: str) -> object:
        c = columns.get(name)
        return values[c] if c is not None and c < len(values) else None

    rows = []
    for r in range(header_at + 1, len(grid)):
        values = grid[r]
        if all(_text(v) == "" for v in values):
            continue
        cells = {name: address(r, c) for name, c in columns.items()}
        raw_id = _text(cell(values, "Action ID"))
        status_text = _text(cell(values, "Status"))
        revised_raw = cell(values, "Revised date")
        revised = parse_date(revised_raw)
        if _text(revised_raw) and revised is None:
            problems.append(Problem(path.name, cells["Revised date"],
                                    f"'{_text(revised_raw)}' is not a date; write it as 31/03/2023"))
        achieved_raw = cell(values, "Date achieved")
        achieved = parse_date(achieved_raw)
        if _text(achieved_raw) and achieved is None:
            problems.append(Problem(path.name, cells["Date achieved"],
                                    f"'{_text(achieved_raw)}' is not a date; write it as 31/03/2023"))
        status = parse_status(status_text)
        if status_text and status is None:
            problems.append(Problem(
                path.name, cells["Status"],
                f"'{status_text}' is not a status; use one of "
                + ", ".join(s.value for s in Status if s is not Status.NO_UPDATE)))
        rows.append(ReturnRow(
            action_id=normalise_action_id(raw_id),
            raw_action_id=raw_id,
            milestone=_text(cell(values, "Milestone")),
            status=status,
            status_text=status_text,
            progress_update=_text(cell(values, "Progress update")),
            revised_date=revised,
            reason_for_revised_date=_text(cell(values, "Reason for revised date")),
            date_achieved=achieved,
            evidence=_text(cell(values, "Evidence")),
            next_steps=_text(cell(values, "Next steps")),
            cells=cells,
        ))
    return fields, rows


def _read_workbook(path: Path) -> tuple[str, list[list[object]]]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        name = PREFERRED_SHEET if PREFERRED_SHEET in workbook.sheetnames else workbook.sheetnames[0]
        grid = [list(row) for row in workbook[name].iter_rows(values_only=True)]
    finally:
        workbook.close()
    return name, grid


def _read_csv(path: Path) -> list[list[object]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return [list(row) for row in csv.reader(io.StringIO(text))]


def read_return(path: Path) -> Return:
    """Give the Return in the file at `path`; anything unusable is in its `problems`."""
    path = Path(path)
    problems: list[Problem] = []
    sheet = ""
    try:
        if path.suffix.lower() == ".csv":
            grid = _read_csv(path)

            def address(r: int, c: int | None) -> str:
                return f"line {r + 1}" + ("" if c is None else f", column {get_column_letter(c + 1)}")
        else:
            sheet, grid = _read_workbook(path)

            def address(r: int, c: int | None) -> str:
                return f"{sheet}!{get_column_letter((c or 0) + 1)}{r + 1}" if c is not None \
                    else f"{sheet}, row {r + 1}"
    except Exception as error:  # any unreadable file becomes a problem, not a crash
        problems.append(Problem(path.name, "", f"the file cannot be read as a spreadsheet "
                                f"({type(error).__name__}); save it as .xlsx from Excel and send it again",
                                fatal=True))
        return Return(path=path, service_area=service_area_from_name(path), problems=tuple(problems))
    fields, rows = _table(path, grid, address, problems)
    return Return(
        path=path,
        service_area=_text(fields.get("Service area")) or service_area_from_name(path),
        period_text=_text(fields.get("Period")),
        completed_by=_text(fields.get("Completed by")),
        approved_by=_text(fields.get("Approved by")),
        date_completed=parse_date(fields.get("Date completed")),
        sheet=sheet,
        rows=tuple(rows),
        problems=tuple(problems),
    )


def is_return_file(path: Path) -> bool:
    """Tell whether `path` looks like a return to read (not a lock, hidden or temporary file)."""
    name = path.name
    return (
        path.is_file()
        and path.suffix.lower() in RETURN_SUFFIXES
        and not name.startswith(("~$", ".", "~"))
    )


def read_returns(folder: Path) -> list[Return]:
    """Give every return in `folder`, in file name order (an absent folder gives none)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [read_return(p) for p in sorted(folder.iterdir()) if is_return_file(p)]


def latest_period_with_returns(root: Path) -> Period | None:
    """Give the latest period that has a folder under `root` (inputs/returns), or None."""
    periods = []
    for folder in Path(root).iterdir() if Path(root).is_dir() else ():
        try:
            periods.append(Period.parse(folder.name))
        except PeriodError:
            continue
    return max(periods, default=None)
