"""Reading a council's published action plan (Word, Excel or CSV) into our plan workbook.

Councils publish their plans as Word tables (each priority a heading row across the table),
Excel sheets or CSV files. `import_plan` reads one such file and writes the plan workbook
(`reporting.plan.workbook`), keeping the council's own words and references as written.

Where the file leaves something to judgement (an action with no reference, a lead picked
out of several bodies, a date read from "2022/23", a column that was not imported) the
import says so as a Decision for a person to look at: it never guesses in silence.

A published file is untrusted. It is checked with the same bounds as a return (size, what
it really is, how far it expands) and its tables are read in the same guarded child process
(`reporting.intake.isolated`), so a file built to hurt is refused, not obeyed. Reading only
reads: the source file is never changed.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reporting.cells import cell_text, date_is_loose, normalise_action_id, parse_date
from reporting.intake.files import Unreadable, check_archive, check_workbook, identify
from reporting.intake.isolated import IsolatedReader
from reporting.plan.model import PlanError, Priority
from reporting.publish import write_atomic
from reporting.settings import READ_NOW, IntakeSettings
from reporting.wording import long_date, without_controls

SUFFIXES = (".docx", ".xlsx", ".xlsm", ".ods", ".xls", ".csv")
HEADER_SEARCH_ROWS = 30  # the header row is looked for in each table's first rows
_RESAVE = ("copy the plan's table into Word or Excel and save it as .docx or .xlsx, "
           "then import that")


@dataclass(frozen=True)
class Decision:
    """Something a person must look at; never a silent guess."""

    where: str  # "table 1, row 5" (Word), "sheet 'Plan', row 12" (Excel), "row 12" (CSV)
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote, how it read the columns, and what a person must decide."""

    out: Path
    themes: int
    actions: int
    milestones: int
    columns: tuple[tuple[str, str], ...]  # (heading in the source, plan column it became)
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class Table:
    """One table of a published plan as shown: its rows of cell texts.

    `widths` gives, for each row, how many columns each cell spans (0 for the columns a
    merged cell covers after its first); `unshown` holds the cells stored as numbers whose
    shown form is not known (1.10 may have been read as 1.1).
    """

    label: str  # "table 1", "sheet 'Plan'", "" for a CSV file
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[tuple[int, ...], ...] = ()
    unshown: frozenset[tuple[int, int]] = frozenset()

    def where(self, row: int) -> str:
        """Name a 0-based row as a person finds it: "table 1, row 5", "row 12"."""
        return f"{self.label}, row {row + 1}" if self.label else f"row {row + 1}"

    def width(self, row: int, column: int) -> int:
        if row < len(self.widths) and column < len(self.widths[row]):
            return self.widths[row][column]
        return 1


# ---------------------------------------------------------------------------------------
# Reading a file's tables (in the guarded child process)


def _clean(text: str) -> str:
    """Give a cell's text with Windows line ends, control and reordering characters gone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    text = re.sub(r"[\x00-\x08\x0c\x0e-\x1f\x7f]", "", text)
    return without_controls(text).strip()


def _shown(value: object, number_format: str | None) -> str:
    """Give a spreadsheet value as the cell shows it: 1.1 formatted 0.00 shows as 1.10."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and number_format:
        section = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", number_format.split(";")[0])
        if "%" not in section and re.search(r"[0#]", section) and "E" not in section.upper():
            decimals = re.search(r"\.([0#]+)", section)
            places = decimals[1].count("0") if decimals else 0
            shown = f"{value:,.{places}f}" if "," in section else f"{value:.{places}f}"
            if decimals and "#" in decimals[1] and "." in shown:  # 0.0# drops unneeded zeros
                keep = len(shown) - decimals[1].count("#")
                shown = shown[:keep] + shown[keep:].rstrip("0")
            return shown
    return _clean(cell_text(value))


def _too_wide(where: str, columns: int, settings: IntakeSettings) -> Unreadable:
    return Unreadable(f"{where} has {columns} columns, far more than a plan table has "
                      f"(at most {settings.max_columns})", _RESAVE)


def _too_long(where: str, settings: IntakeSettings) -> Unreadable:
    return Unreadable(f"{where} has more than {settings.max_rows:,} rows, far more than a "
                      "plan has", "delete what is below the plan's table, save it and import "
                      "it again")


def _bounded_text(text: str, where: str, settings: IntakeSettings) -> str:
    if len(text) > settings.max_field_chars:
        raise Unreadable(f"a cell in {where} holds {len(text):,} characters, more than the "
                         f"{settings.max_field_chars:,} a cell may hold", _RESAVE)
    return text


def _check_size(path: Path, settings: IntakeSettings) -> None:
    size = path.stat().st_size
    if size == 0:
        raise Unreadable("the file is empty (0 bytes)", "save the plan again and import it")
    if size > settings.max_bytes:
        raise Unreadable(f"the file is {size / 1024 / 1024:.1f} MB, more than the "
                         f"{settings.max_file_mb:g} MB a file may be", _RESAVE)


def _word_tables(path: Path, settings: IntakeSettings) -> list[Table]:
    """Give every table of a Word document in order, merged cells read once."""
    _check_size(path, settings)
    with path.open("rb") as handle:
        if not handle.read(4).startswith(b"PK"):
            raise Unreadable("the file is named .docx but is not a Word document inside (it "
                             "may be damaged, renamed or an old .doc)", "open it in Word and "
                             "save it as a Word Document (.docx), then import that")
    try:
        check_archive(path, settings)  # a .docx is a zip: how far it expands is bounded
    except Unreadable as error:
        raise Unreadable(error.message.replace("workbook", "document"), _RESAVE) from None
    with zipfile.ZipFile(path) as archive:
        if "word/document.xml" not in archive.namelist():
            raise Unreadable("the file is a zip file but not a Word document", _RESAVE)
    from docx import Document  # imported here: only Word files need it

    document = Document(str(path))
    tables, rows_read = [], 0
    for number, table in enumerate(document.tables, start=1):
        label = f"table {number}"
        rows, widths, above = [], [], []
        for tr in table.rows:
            rows_read += 1
            if rows_read > settings.max_rows:
                raise _too_long("the document", settings)
            cells = [None] * getattr(tr, "grid_cols_before", 0) + list(tr.cells)
            if len(cells) > settings.max_columns:
                raise _too_wide(f"{label}, row {len(rows) + 1}", len(cells), settings)
            texts, spans, first = [], [], 0
            for i, cell in enumerate(cells):
                texts.append("")
                spans.append(1)
                if cell is None:
                    continue
                if i and cells[i - 1] is not None and cells[i - 1]._tc is cell._tc:
                    spans[i] = 0  # the same merged cell again, across: read once
                    spans[first] += 1
                    continue
                first = i
                if i < len(above) and above[i] is not None and above[i]._tc is cell._tc:
                    continue  # a cell merged down from the row above: read once
                text = "\n".join(p.text for p in cell.paragraphs)
                texts[i] = _bounded_text(_clean(text), label, settings)
            rows.append(tuple(texts))
            widths.append(tuple(spans))
            above = cells
        tables.append(Table(label, tuple(rows), tuple(widths)))
    return tables


def _openpyxl_tables(path: Path, settings: IntakeSettings) -> list[Table]:
    """Give each visible sheet of an .xlsx as shown, numbers in their own format."""
    check_workbook(path, settings)  # the whole file: kind, size, how far it expands
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        tables = []
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            check_workbook(path, settings, sheet.title)  # this sheet's rows and far cells
            rows = []
            for values in sheet.iter_rows(max_row=settings.max_rows + 100,
                                          max_col=settings.max_columns):
                rows.append(tuple(_bounded_text(
                    _shown(c.value, getattr(c, "number_format", None)),
                    f"sheet '{sheet.title}'", settings) for c in values))
            tables.append(Table(f"sheet '{sheet.title}'", tuple(_trimmed(rows))))
        return tables
    finally:
        workbook.close()


def _calamine_tables(path: Path, kind: str, settings: IntakeSettings) -> list[Table]:
    """Give each visible sheet of an .xls, .ods or .xlsb (numbers as stored)."""
    if kind in ("ods", "xlsb"):
        check_archive(path, settings)
    from python_calamine import CalamineWorkbook  # imported here: only these need it

    workbook = CalamineWorkbook.from_path(str(path))
    try:
        tables = []
        for meta in workbook.sheets_metadata:
            if "hidden" in str(meta.visible).lower():
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            label = f"sheet '{meta.name}'"
            if sheet.total_height > settings.max_rows + 100:
                raise _too_long(label, settings)
            if sheet.total_width > settings.max_columns:
                raise _too_wide(label, sheet.total_width, settings)
            rows, unshown = [], set()
            for r, values in enumerate(sheet.to_python(skip_empty_area=False)):
                for c, value in enumerate(values):
                    if isinstance(value, float) and not value.is_integer():
                        unshown.add((r, c))
                rows.append(tuple(_bounded_text(_clean(cell_text(v)), label, settings)
                                  for v in values))
            tables.append(Table(label, tuple(_trimmed(rows)), (), frozenset(unshown)))
        return tables
    finally:
        workbook.close()


def _csv_table(path: Path, settings: IntakeSettings) -> list[Table]:
    """Give a CSV file's one table (UTF-8, else Windows-1252; commas or semicolons)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    sample = text.splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = ";" if sum(s.count(";") for s in sample) > sum(s.count(",") for s in sample) \
        else ","
    rows = []
    try:
        for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) > settings.max_rows + 100:
                raise _too_long("the file", settings)
            if len(values) > settings.max_columns:
                raise _too_wide(f"row {len(rows) + 1}", len(values), settings)
            rows.append(tuple(_bounded_text(_clean(v), "the file", settings) for v in values))
    except csv.Error as error:
        raise Unreadable(f"row {len(rows) + 1} cannot be read as CSV ({error})",
                         _RESAVE) from error
    return [Table("", tuple(rows))]


def _trimmed(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Drop the empty columns at the right of a sheet (a read pads each row to the widest)."""
    width = max((max((i + 1 for i, t in enumerate(r) if t), default=0) for r in rows),
                default=0)
    return [r[:width] for r in rows]


def read_tables(path: Path, settings: IntakeSettings = READ_NOW) -> list[Table] | Unreadable:
    """Give every table in the file at `path`, or Unreadable saying why it cannot be read.

    Run in the guarded child process (`IsolatedReader.read(path, read_tables, "plan")`):
    the file is checked with the same bounds as a return before anything parses it.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            return _word_tables(path, settings)
        kind = identify(path, settings)
        if kind == "csv":
            return _csv_table(path, settings)
        if kind == "xlsx":
            return _openpyxl_tables(path, settings)
        return _calamine_tables(path, kind, settings)
    except Unreadable as error:
        return error
    except MemoryError:
        raise
    except Exception as error:  # a damaged file: each library raises its own kinds
        return Unreadable(f"the file is damaged and cannot be opened ({type(error).__name__})",
                          _RESAVE)


# ---------------------------------------------------------------------------------------
# Understanding the tables

_ALIASES: dict[str, tuple[str, ...]] = {
    "Action ID": ("No.", "No", "Ref", "Reference", "ID", "Action ID", "Action No",
                  "Action number", "Action ref", "Ref no", "Number"),
    "Objective": ("Objective", "Action", "Action title", "Objectives"),
    "What we will do": ("What we will do", "Activity", "Actions", "Description",
                        "Activities", "Action description", "Key action", "Key actions",
                        "What we will deliver", "What we will do by when"),
    "By when": ("By when", "Due", "Due date", "Date", "Deadline", "Timescale",
                "Timescales", "Target date", "When"),
    "Who will deliver": ("Who will deliver this?", "Who will deliver", "Who", "Lead",
                         "Lead officer", "Responsible officer", "Owner", "Lead service",
                         "Service", "Lead service area", "Responsible", "Lead(s)",
                         "Responsible service", "Responsible service area", "Service area",
                         "Lead services", "Lead department", "Directorate", "Delivered by",
                         "Lead service(s)", "Responsible team", "Lead team"),
    "Milestones": ("Milestones", "Milestone", "Key milestones", "Key milestone",
                   "Milestone(s)", "Key deliverables", "Deliverables", "Deliverable"),
    "Target/Outcome": ("Target/Outcome", "Target", "Outcome", "Targets", "Outcomes",
                       "Success measure", "Success measures", "What residents will see",
                       "Measure", "Measures", "Target / Outcome"),
    "Partners": ("Partners", "Key partners"),
    "Priority": ("Priority", "Theme", "Ambition", "Outcome area", "Priorities", "Themes"),
}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


_HEADINGS = {_key(a): column for column, aliases in _ALIASES.items() for a in aliases}
_REFERENCE = re.compile(r"[A-Za-z]{0,4}\s?\d+(?:\s?[.\-/_]?\s?[A-Za-z0-9]{1,4}){0,4}[.)]?")
_WORD = r"(?:strategic\s+)?(?:priority|theme|ambition|outcome\s+area|objective|aim)"
_HEADING_WORD = re.compile(_WORD + r"\b", re.I)
_SEPARATOR = r"\s*[.):\-–—]*\s*"
_THEME_PATTERNS = (
    re.compile(_WORD + r"\s*(?P<key>\d+[a-z]?)\b" + _SEPARATOR + r"(?P<title>.*)", re.I | re.S),
    re.compile(r"(?P<key>\d+)\s*[.):\-–—]\s*(?P<title>\D.*)", re.S),
    re.compile(_WORD + r"\s*[:\-–—]\s*(?P<name>.+)", re.I | re.S),
)
_BULLETS = re.compile(r"[•▪●◦■]")
_LINE_BULLET = re.compile(r"^\s*[-*–]\s*(?=\S)")


def header_columns(row: tuple[str, ...]) -> dict[int, str]:
    """Give {column index: plan column} for a header row's recognised headings."""
    found: dict[int, str] = {}
    for i, text in enumerate(row):
        column = _HEADINGS.get(_key(text))
        if column and column not in found.values():
            found[i] = column
    return found


def _is_header(row: tuple[str, ...]) -> bool:
    return len({_HEADINGS[_key(t)] for t in row if _key(t) in _HEADINGS}) >= 2


def looks_like_reference(text: str) -> bool:
    """Tell whether `text` reads as an action reference ("1.a", "16", "G1", "2.3.1")."""
    return bool(text) and len(text) <= 16 and bool(_REFERENCE.fullmatch(text.strip())) \
        and not _HEADING_WORD.match(text)


def theme_of(text: str) -> Priority:
    """Give the theme a heading names: "Priority 2 - Community Infrastructure" is key "2"
    and title "Community Infrastructure"; "Theme: Greener" and "Greener" are key "Greener"."""
    text = re.sub(r"\s+", " ", text).strip()
    for pattern in _THEME_PATTERNS:
        match = pattern.fullmatch(text)
        if match and "key" in pattern.groupindex:
            return Priority(match["key"], match["title"].strip(" .:-–—"))
        if match and match["name"].strip(" .:-–—"):
            return Priority(match["name"].strip(" .:-–—"))
    return Priority(text.strip(" .:"))


def is_theme_heading(text: str) -> bool:
    """Tell whether `text` is written as a heading: "Priority 2 - ...", "Theme: Greener"."""
    text = re.sub(r"\s+", " ", text).strip()
    return any(p.fullmatch(text) for p in (_THEME_PATTERNS[0], _THEME_PATTERNS[2]))


def _join(pieces: list[str]) -> str:
    """Join a heading broken over cells: "Pr" + "iority 2" is "Priority 2", not "Pr iority 2"."""
    joined = ""
    for piece in pieces:
        last = joined.split()[-1] if joined.split() else ""
        glue = joined and last[-1:].isalpha() and len(last) <= 3 and piece[:1].islower()
        joined += piece if glue or not joined else " " + piece
    return joined


def _title_case(text: str) -> bool:
    return all(word[:1].isupper() or word in ("and", "&", "of", "for", "the")
               for word in text.split())


def bodies_in(text: str) -> list[str]:
    """Give the bodies a "Who will deliver" cell names, in order.

    Split on commas, semicolons and new lines; on " and " only between two names of two
    words or more each ("Housing Services and Planning Policy"), never inside a body's own
    name ("parish and town councils", "Health & Wellbeing", "Canals & Rivers Trust").
    """
    found = []
    for line in re.split(r"\s*(?:[;\n]|\s/\s)\s*", text):
        parts = [p.strip(" .,;") for p in line.split(",") if p.strip(" .,;")]
        # "Children, Families and Justice" and "Human Resources, Digital Enablement and IT"
        # are one directorate's name, not several bodies: every word capitalised, the last
        # part joined by "and" ("Regulatory Services, district and county partners" is two).
        if len(parts) > 1 and " and " in parts[-1] and all(
                _title_case(p) for p in parts):
            parts = [", ".join(parts)]
        found.extend(parts)
    return list(dict.fromkeys(found))


def milestone_lines(text: str) -> list[str]:
    """Give a Milestones cell's milestones: one a line, or one a bullet (never on commas)."""
    lines = []
    for line in text.split("\n"):
        for part in _BULLETS.split(line):
            part = _LINE_BULLET.sub("", part).strip()
            if part:
                lines.append(part)
    return lines


_DATED = (
    re.compile(r"(?P<text>.+?)\s*[(\[](?P<date>[^()\[\]]+)[)\]]\s*[.;]?", re.S),
    re.compile(r"[(\[](?P<date>[^()\[\]]+)[)\]]\s*[-–—:]?\s*(?P<text>.+)", re.S),
    re.compile(r"(?P<text>.+?)\s*(?:\s[-–—]|:)\s*(?P<date>[^:–—]+?)[.;]?", re.S),
    re.compile(r"(?P<date>[^:–—(]+?)\s*(?::|\s[-–—])\s*(?P<text>.+)", re.S),
)


def dated_milestone(line: str) -> tuple[str, str]:
    """Give (milestone, its date's words) for "Consultation closes (Autumn 2025)" or
    "Sept 2025: launch"; ("the line", "") when it names no date at its start or end."""
    for pattern in _DATED:
        match = pattern.fullmatch(line.strip())
        if match and match["text"].strip() and parse_date(match["date"].strip()):
            return match["text"].strip(" -–—:"), match["date"].strip()
    return line, ""


@dataclass
class _Action:
    """An action as it is gathered from one row or several."""

    reference: str
    theme: str
    row: int
    where: str
    cells: dict[str, str]
    by_whens: list[tuple[str, str]] = field(default_factory=list)  # (words, where) per row
    # (text, the date its own words give, the By when of its row) for each milestone
    milestones: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return normalise_action_id(self.reference)


class _Reading:
    """The work of one import: the tables' rows become themes, actions and milestones."""

    def __init__(self, source: Path, reserved: frozenset[str] = frozenset()) -> None:
        self.source = source
        self.reserved = reserved  # the keys of every reference in the file
        self.decisions: list[Decision] = []
        self.columns: list[tuple[str, str]] = []
        self.themes: dict[str, Priority] = {}
        self.theme_rows: dict[str, str] = {}  # theme key -> where its heading is
        self.actions: list[_Action] = []
        self.by_key: dict[str, _Action] = {}
        self.loose: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.theme: str | None = None
        self.mapping: dict[int, str] | None = None
        self.mapped_width = 0

    def decide(self, where: str, message: str) -> None:
        self.decisions.append(Decision(where, message))

    # -- tables and their header rows

    def read(self, tables: list[Table]) -> None:
        """Read each Word table in order (or a workbook's first sheet with a header row)."""
        used = False
        sheets = bool(tables) and tables[0].label.startswith("sheet ")
        for table in tables:
            start = next((r for r, row in enumerate(table.rows[:HEADER_SEARCH_ROWS])
                          if _is_header(row)), None)
            if sheets and (start is None or used):
                continue  # a workbook: the first sheet with a header row is the plan
            if start is not None:
                self._header(table, start)
                used = True
            elif self.mapping is not None and table.rows and \
                    len(table.rows[0]) == self.mapped_width:
                self.decide(table.label, "the table has no header row; it was read with the "
                            "columns of the table before it, as a continuation")
                start = -1
            else:
                if table.rows and any(any(row) for row in table.rows):
                    self.decide(table.label or self.source.name,
                                "not read: it has no header row naming the plan's columns")
                continue
            for r in range(start + 1, len(table.rows)):
                self._row(table, r)
        if not used:
            raise PlanError(
                f"{self.source.name}: no table has a header row naming the plan's columns "
                "(such as No., Objective, What we will do, By when, Who will deliver this?, "
                f"Milestones); {_RESAVE}, with those headings in its first row")

    def _header(self, table: Table, row: int) -> None:
        headings = table.rows[row]
        self.mapping = header_columns(headings)
        self.mapped_width = len(headings)
        where = table.where(row)
        recorded = {heading for heading, _ in self.columns}
        for i, text in enumerate(headings):
            name = re.sub(r"\s+", " ", text).strip()
            if i in self.mapping:
                if name not in recorded:
                    self.columns.append((name, self.mapping[i]))
                    recorded.add(name)
            elif name and _key(name) in _HEADINGS:
                self.decide(where, f"column '{name}' also reads as "
                            f"'{_HEADINGS[_key(name)]}', which an earlier column gave; it "
                            "was not imported")
            elif name:
                self.decide(where, f"column '{name}' was not imported")
            elif table.width(row, i) and any(
                    i < len(r) and r[i] for r in table.rows[row + 1:]):
                self.decide(where, f"column {i + 1} has no heading; it was not imported")
        if "Priority" in self.mapping.values():
            self.theme = None

    # -- one row

    def _cells(self, row: tuple[str, ...]) -> dict[str, str]:
        return {column: row[i].strip() if i < len(row) else ""
                for i, column in self.mapping.items()}

    def _row(self, table: Table, r: int) -> None:
        row = table.rows[r]
        if not any(row) or _is_header(row):
            return
        where = table.where(r)
        cells = self._cells(row)
        heading = self._heading(table, r, cells)
        if heading is not None:
            self._start_theme(heading, where)
            return
        if cells.get("Priority"):
            self._start_theme(cells["Priority"], where)
        reference = cells.get("Action ID", "")
        current = self.actions[-1] if self.actions else None
        if reference and (r, self._column("Action ID")) in table.unshown:
            self.decide(where, f"reference '{reference}' is stored as a number, so it may be "
                        f"shown differently in the file (1.10 is stored as 1.1); check it")
        if current and reference and normalise_action_id(reference) == current.key:
            self._more_of(current, cells, where)
        elif current and not reference and cells.get("Milestones") and not any(
                cells.get(c) for c in ("Objective", "What we will do", "Who will deliver",
                                       "Target/Outcome", "Partners")):
            self._more_of(current, cells, where)
        elif reference and normalise_action_id(reference) in self.by_key:
            first = self.by_key[normalise_action_id(reference)]
            self.decide(where, f"'{reference}' repeats the reference of {first.where} "
                        f"('{first.reference}'); the first was kept and this row was not "
                        "imported: give it its own reference if it is another action")
        elif reference or any(cells.get(c) for c in (
                "Objective", "What we will do", "Milestones", "Target/Outcome", "By when",
                "Who will deliver")):
            self._new_action(reference, cells, where, r)
        else:
            self.decide(where, "the row has words only in columns that were not imported "
                        f"('{_join([t for t in row if t])[:60]}'); it was not imported")

    def _column(self, name: str) -> int | None:
        return next((i for i, c in self.mapping.items() if c == name), None)

    def _heading(self, table: Table, r: int, cells: dict[str, str]) -> str | None:
        """Give the theme heading a row holds ("Priority 2 - Community Infrastructure"), or
        None for a row of an action."""
        row = table.rows[r]
        filled = [(i, t) for i, t in enumerate(row) if t]
        reference = cells.get("Action ID", "")
        if reference and looks_like_reference(reference):
            return None
        if len(filled) == 1:
            i, text = filled[0]
            column = self.mapping.get(i)
            if table.width(r, i) >= 2 or is_theme_heading(text):
                return text  # one cell merged across the table, or a heading's words
            if column is None:
                return None  # a note in a column that is not imported
            if column == "Milestones" and self.actions:
                return None  # another milestone of the action above
            if column in ("Objective", "What we will do", "Target/Outcome") \
                    and not _HEADING_WORD.match(text) and (
                    len(text.split()) > 8 or text.rstrip().endswith(".")):
                return None  # an action with no reference
            return text
        joined = _join([t for _, t in filled])
        if not reference and is_theme_heading(joined):
            return joined
        return None

    def _start_theme(self, text: str, where: str) -> None:
        theme = theme_of(text)
        known = {k.lower(): k for k in self.themes}
        if theme.key.lower() in known:
            self.theme = known[theme.key.lower()]
            return
        self.themes[theme.key] = theme
        self.theme_rows[theme.key] = where
        self.theme = theme.key

    def _theme_for_action(self, where: str) -> str:
        if self.theme is None:
            theme = re.sub(r"\s+", " ", self.source.stem).strip() or "Plan"
            self.decide(where, f"the actions from here have no priority or theme heading above "
                        f"them; they were put under one theme named after the file, "
                        f"'{theme}': rename it, or add the themes in the Priorities sheet")
            self.themes.setdefault(theme, Priority(theme))
            self.theme = theme
        return self.theme

    def _new_action(self, reference: str, cells: dict[str, str], where: str, r: int) -> None:
        theme = self._theme_for_action(where)
        if not reference:
            reference = self._invent(theme)
            self.decide(where, f"the action has no reference: it was given '{reference}'; "
                        "write the council's own reference in the Actions sheet if it has one")
        action = _Action(reference, theme, r, where, cells)
        self.actions.append(action)
        self.by_key[action.key] = action
        self._more_of(action, cells, where, first=True)

    def _invent(self, theme: str) -> str:
        prefix = theme if re.fullmatch(r"[A-Za-z0-9]{1,4}", theme) else \
            "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", theme)).upper()[:4] or "A"
        number = 0
        while True:
            number += 1
            reference = f"{prefix}.{number}"
            if normalise_action_id(reference) not in self.by_key and \
                    normalise_action_id(reference) not in self.reserved:
                return reference

    def _more_of(self, action: _Action, cells: dict[str, str], where: str,
                 first: bool = False) -> None:
        """Add a row's milestones (and its By when) to an action."""
        if not first:
            for column in ("Objective", "What we will do"):
                theirs, ours = action.cells.get(column, ""), cells.get(column, "")
                if ours and theirs and _key(ours) != _key(theirs):
                    self.decide(where, f"'{cells.get('Action ID') or action.reference}' "
                                f"repeats the reference of {action.where} with a different "
                                f"{column.lower()}; the first was kept and this row was not "
                                "imported: give it its own reference if it is another action")
                    return
        if cells.get("By when"):
            action.by_whens.append((cells["By when"], where))
        for line in milestone_lines(cells.get("Milestones", "")):
            text, when = dated_milestone(line)
            action.milestones.append((text, when, cells.get("By when", "")))

    # -- the rows to write

    def action_rows(self) -> tuple[list[dict], list[dict]]:
        actions, milestones = [], []
        lead_column = any(c == "Who will deliver" for c in (self.mapping or {}).values())
        if self.actions and not lead_column:
            self.decide(self.source.name, "there is no 'Who will deliver' column, so no action "
                        "has a lead: any service's return may report any of them; add each "
                        "action's lead in the Actions sheet's 'Lead service area' column")
        for action in self.actions:
            row = self._action_row(action, lead_column)
            if row is None:
                continue
            actions.append(row)
            milestones.extend(self._milestone_rows(action))
        self._loose_decisions()
        return actions, milestones

    def _action_row(self, action: _Action, lead_column: bool) -> dict | None:
        cells = action.cells
        if not (cells.get("Objective") or cells.get("What we will do")):
            self.decide(action.where, f"action '{action.reference}' has no objective and no "
                        "'what we will do', so it was not imported; add its words in the "
                        "Actions sheet if it is an action")
            return None
        who = cells.get("Who will deliver", "")
        bodies = bodies_in(who)
        heading = self._source_heading("Who will deliver")
        if len(bodies) > 1:
            self.decide(action.where, f"'{heading}' for {action.reference} names "
                        f"{len(bodies)} bodies: "
                        f"'{bodies[0]}' taken as the lead, "
                        + ", ".join(f"'{b}'" for b in bodies[1:]) + " as partners")
        elif lead_column and not bodies:
            self.decide(action.where, f"action '{action.reference}' has no lead: any service's "
                        "return may report it; add one in the Actions sheet")
        partners = ", ".join(p for p in [cells.get("Partners", "")] + bodies[1:] if p)
        by_when, due = self._due_of(action)
        return {"Action ID": action.reference, "Priority": action.theme,
                "Objective": cells.get("Objective", ""),
                "What we will do": cells.get("What we will do", ""),
                "By when": by_when, "Due date": due, "Who will deliver": who,
                "Lead service area": bodies[0] if bodies else "", "Partners": partners,
                "Target/Outcome": cells.get("Target/Outcome", "")}

    def _source_heading(self, column: str) -> str:
        return next((h for h, c in self.columns if c == column), column)

    def _due_of(self, action: _Action) -> tuple[str, date | None]:
        """Give the action's By when words and Due date; one By when a row (one row per
        milestone) makes each row's date its milestone's, and the action's the latest."""
        words = list(dict.fromkeys(w for w, _ in action.by_whens))
        if not words:
            return "", None
        by_when, where = action.by_whens[0]
        if len(words) > 1:
            dated = [(parse_date(w), w) for w in words if parse_date(w)]
            if dated:
                by_when = max(dated)[1]
                self.decide(action.where, f"action '{action.reference}' has {len(words)} "
                            f"dates, one a row; each row's date was given to its milestones "
                            f"and the action's By when is the latest, '{by_when}'")
        day = parse_date(by_when)
        if day is None:
            self.decide(where, f"'{by_when}' is not a date, so action '{action.reference}' "
                        "has no Due date; write one in the Actions sheet (31/03/2026 or a span "
                        "such as 'Autumn 2025')")
        elif date_is_loose(by_when):
            self.loose.setdefault((by_when, "By when"), []).append((action.reference, where))
        return by_when, day

    def _milestone_rows(self, action: _Action) -> list[dict]:
        rows = []
        several = len({w for w, _ in action.by_whens}) > 1
        for text, when, row_when in action.milestones:
            words = when or (row_when if several else "")
            day = parse_date(words) if words else None
            if words and day is None:
                self.decide(action.where, f"milestone '{text}' of action '{action.reference}' "
                            f"is due '{words}', which is not a date; it was left without one")
            elif day and date_is_loose(words):
                self.loose.setdefault((words, "milestone"), []).append(
                    (action.reference, action.where))
            rows.append({"Action ID": action.reference, "Milestone": text,
                         # A span keeps its words ("Autumn 2025"); the workbook reads them.
                         "Due date": (words if date_is_loose(words) else day) if day else None})
        return rows

    def _loose_decisions(self) -> None:
        for (words, kind), uses in self.loose.items():
            day = parse_date(words)
            references = ", ".join(dict.fromkeys(r for r, _ in uses))
            whose = "action" if len({r for r, _ in uses}) == 1 else "actions"
            what = "By when" if kind == "By when" else "the milestone date"
            self.decide(uses[0][1], f"{what} '{words}' read as {long_date(day)} "
                        f"(the last day it names) for {whose} {references}")

    def priorities(self, actions: list[dict]) -> list[Priority]:
        used = {a["Priority"] for a in actions}
        for key, where in self.theme_rows.items():
            if key not in used:
                self.decide(where, f"the heading '{self.themes[key].heading}' has no actions "
                            "under it, so it was not imported as a theme")
        return [p for k, p in self.themes.items() if k in used]


# ---------------------------------------------------------------------------------------
# The import


def _read(source: Path, settings: IntakeSettings) -> list[Table]:
    """Give the source's tables, read in the guarded child process."""
    with IsolatedReader(settings) as reader:
        tables = reader.read(source, read_tables, "plan")
    if isinstance(tables, Unreadable):
        # The bounds are worded for returns; a plan is imported, not sent.
        message = re.sub(r"\breturn\b", "plan", tables.message)
        fix = tables.fix.replace("send it again", "import it again")
        fix = _RESAVE if re.search(r"\breturn\b|\bsend\b", fix) else fix
        guarded = any(w in message for w in ("reader stop", "seconds to read", "needed more"))
        how = "could not be read safely" if guarded else "cannot be imported"
        raise PlanError(f"{source.name} {how}: {message}; {fix}")
    return tables


def _check_source(source: Path, out: Path, force: bool) -> None:
    if source.suffix.lower() not in SUFFIXES:
        raise PlanError(f"{source.name}: a '{source.suffix or 'no extension'}' file cannot be "
                        f"imported (.docx, .xlsx, .xlsm, .ods, .xls and .csv can); {_RESAVE}")
    if not source.is_file():
        raise PlanError(f"{source}: there is no such file; give the path of the plan to import")
    if out.exists() and out.resolve() == source.resolve():
        raise PlanError(f"{source.name}: the plan workbook cannot be written over the file "
                        "it is read from; give another --out")
    if out.exists() and not force:
        raise PlanError(f"{out} is already there; pass --force to replace it, or give "
                        "another --out")


def _workbook_bytes(priorities: list[Priority], actions: list[dict], milestones: list[dict],
                    source: Path, decisions: list[Decision]) -> bytes:
    from reporting.plan.workbook import plan_workbook

    instructions = [f"Imported from {source.name} by `reporting plan import`",
                    "Check these sheets against the published plan before a run uses them; "
                    "`reporting plan check` lists what is still to fix."]
    if decisions:
        instructions += ["", "For a person to decide:"] + [f"• {d}" for d in decisions]
    workbook = plan_workbook(priorities, actions, milestones, instructions)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # text that starts "=" stays text, never a formula
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cadences_read(plan) -> list[Decision]:
    """Say where a milestone's wording decides how often an action reports ("Annual report
    published" makes it annual): a person should confirm it."""
    from reporting.cadence import cadence_from_wording

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


def _read_back(data: bytes, source: Path, decisions: list[Decision]) -> list[Decision]:
    """Read the written workbook as a run will; give its problems a person should see."""
    from reporting.plan.workbook import read_plan_workbook

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.xlsx"
        path.write_bytes(data)
        plan, problems = read_plan_workbook(path)
    blocking = [p for p in problems if p.blocking]
    if plan is None or blocking:
        raise PlanError(f"{source.name}: the imported plan workbook does not read back "
                        f"({blocking[0] if blocking else 'no plan'}); this is a fault in the "
                        "importer: please report it with the file")
    said = " ".join(d.message for d in decisions)
    found = _cadences_read(plan)
    for problem in problems:
        covered = ("has no lead service area" in problem.message and "lead" in said) or \
            ("is not a date" in problem.message and "is not a date" in said)
        if not covered:
            found.append(Decision(f"plan workbook, sheet '{problem.sheet}'"
                                  + (f", row {problem.row}" if problem.row else ""),
                                  f"{problem.message}; {problem.fix}"))
    return found


def import_plan(source: Path, out: Path | None = None, *, force: bool = False,
                settings: IntakeSettings = READ_NOW) -> ImportReport:
    """Read a published plan (Word, Excel or CSV) and write it as our plan workbook.

    `out` defaults to "<source name>.plan.xlsx" in the current folder, and is never
    written over without `force`. The source is only read. Raises PlanError, naming the
    file and what to do, when it cannot be imported.
    """
    source = Path(source)
    out = Path(out) if out is not None else Path.cwd() / f"{source.stem}.plan.xlsx"
    _check_source(source, out, force)
    tables = _read(source, settings)
    reading = _Reading(source, frozenset(
        normalise_action_id(t) for table in tables for row in table.rows for t in row
        if looks_like_reference(t)))
    reading.read(tables)
    actions, milestones = reading.action_rows()
    if not actions:
        raise PlanError(f"{source.name}: the table's header row was found, but no action "
                        f"under it could be read; {_RESAVE}, one action a row")
    priorities = reading.priorities(actions)
    decisions = list(reading.decisions)
    data = _workbook_bytes(priorities, actions, milestones, source, decisions)
    decisions += _read_back(data, source, decisions)
    write_atomic(out, data)
    return ImportReport(out=out, themes=len(priorities), actions=len(actions),
                        milestones=len(milestones), columns=tuple(reading.columns),
                        decisions=tuple(decisions))
