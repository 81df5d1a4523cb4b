"""The first step of the import: a published plan's tables, as rows of the texts they show.

A Word document gives each of its tables (merged cells read once); a workbook each visible
sheet, read through the bounded reader (`reporting.sheets`); a CSV file its one table.
`read_tables` runs in the guarded child process (`reporting.intake.isolated`), and is
bounded like a return before anything parses the file. Reading only reads.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from reporting.cells import cell_text
from reporting.plan.importing.decision import RESAVE
from reporting.settings import READ_NOW, IntakeSettings
from reporting.sheets.bounds import Unreadable, check_archive, check_cells, check_size, identify
from reporting.sheets.delimited import csv_rows
from reporting.sheets.workbooks import Sheet, read_sheets, shown_sheets
from reporting.wording import without_controls


@dataclass(frozen=True)
class Table:
    """One table of a published plan as shown: its rows of cell texts.

    `heading` is the heading written above a Word table (a heading style, or a bold
    paragraph on its own), which names the theme of the actions in it. `widths` gives, for each row, how many columns each cell spans (0 for the columns a
    merged cell covers after its first); `unshown` holds the cells stored as numbers whose
    shown form is not known (1.10 may have been read as 1.1).
    """

    label: str  # "table 1", "sheet 'Plan'", "" for a CSV file
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[tuple[int, ...], ...] = ()
    unshown: frozenset[tuple[int, int]] = frozenset()
    heading: str = ""  # a Word heading above the table ("Greener: Our Deliverables")

    def where(self, row: int) -> str:
        """Name a 0-based row as a person finds it: "table 1, row 5", "row 12"."""
        return f"{self.label}, row {row + 1}" if self.label else f"row {row + 1}"

    def width(self, row: int, column: int) -> int:
        if row < len(self.widths) and column < len(self.widths[row]):
            return self.widths[row][column]
        return 1


def _clean(text: str) -> str:
    """Give a cell's text with Windows line ends, control and reordering characters gone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    text = re.sub(r"[\x00-\x08\x0c\x0e-\x1f\x7f]", "", text)
    return without_controls(text).strip()


def _trimmed(rows: list[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """Drop the empty columns at the right of a sheet (a read pads each row to the widest)."""
    width = max((max((i + 1 for i, t in enumerate(r) if t), default=0) for r in rows),
                default=0)
    return tuple(r[:width] for r in rows)


# ---------------------------------------------------------------------------------------
# Word


def _word_limit(what: str, settings: IntakeSettings, columns: int = 0) -> Unreadable:
    if columns:
        return Unreadable(f"{what} has {columns} columns, far more than a plan table has "
                          f"(at most {settings.max_columns})", RESAVE)
    return Unreadable(f"{what} has more than {settings.max_rows:,} rows, far more than a "
                      "plan has", "delete what is below the plan's table, save it and import "
                      "it again")


def _check_docx(path: Path, settings: IntakeSettings) -> None:
    """Refuse a .docx that is too big, not a Word document inside, or expands too far."""
    check_size(path, settings)
    with path.open("rb") as handle:
        if not handle.read(4).startswith(b"PK"):
            raise Unreadable("the file is named .docx but is not a Word document inside (it "
                             "may be damaged, renamed or an old .doc)", "open it in Word and "
                             "save it as a Word Document (.docx), then import that")
    try:
        check_archive(path, settings)  # a .docx is a zip: how far it expands is bounded
    except Unreadable as error:
        raise Unreadable(error.message.replace("workbook", "document"), RESAVE) from None
    with zipfile.ZipFile(path) as archive:
        if "word/document.xml" not in archive.namelist():
            raise Unreadable("the file is a zip file but not a Word document", RESAVE)


def _word_row(tr, above: list, label: str, settings: IntakeSettings, number: int):
    """Give (texts, spans, cells) of one Word table row: a merged cell's text once, at its
    first column, spanning the columns it covers; one merged down from above is empty."""
    cells = [None] * getattr(tr, "grid_cols_before", 0) + list(tr.cells)
    if len(cells) > settings.max_columns:
        raise _word_limit(f"{label}, row {number}", settings, len(cells))
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
        texts[i] = _clean("\n".join(p.text for p in cell.paragraphs))
    return tuple(texts), tuple(spans), cells


_MOST_HEADING_WORDS = 15  # a bold paragraph longer than this is a paragraph, not a heading


def _paragraph_heading(paragraph) -> str:
    """Give a paragraph's text if it is written as a heading: a Heading style, or bold words
    on their own; "" otherwise (a Title style names the document, not a theme)."""
    text = _clean(paragraph.text)
    if not text or len(text.split()) > _MOST_HEADING_WORDS:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.lower().startswith("heading"):
        return text
    runs = [r for r in paragraph.runs if r.text.strip()]
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    if runs and all(r.bold or (r.bold is None and style_bold) for r in runs):
        return text
    return ""


def _tables_with_headings(document) -> list[tuple[object, str]]:
    """Give each table of the document body in order with the heading nearest above it
    (since the table before), or ""."""
    found, heading = [], ""
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            found.append((block, heading))
            heading = ""
        else:
            heading = _paragraph_heading(block) or heading
    return found


def _word_tables(path: Path, settings: IntakeSettings) -> list[Table]:
    """Give every table of a Word document in order, merged cells read once, each with the
    heading written above it."""
    _check_docx(path, settings)
    from docx import Document  # imported here: only Word files need it

    tables, rows_read = [], 0
    for number, (table, heading) in enumerate(_tables_with_headings(Document(str(path))),
                                              start=1):
        label = f"table {number}"
        rows, widths, above = [], [], []
        for tr in table.rows:
            rows_read += 1
            if rows_read > settings.max_rows:
                raise _word_limit("the document", settings)
            texts, spans, above = _word_row(tr, above, label, settings, len(rows) + 1)
            rows.append(texts)
            widths.append(spans)
        tables.append(Table(label, tuple(rows), tuple(widths), heading=heading))
    return tables


# ---------------------------------------------------------------------------------------
# Workbooks and CSV files, through the bounded reader


def _sheet_table(sheet: Sheet) -> Table:
    """Give a sheet as a Table: its cells' texts, and which were numbers with decimals."""
    unshown = frozenset((r, c) for r, values in enumerate(sheet.rows)
                        for c, value in enumerate(values)
                        if isinstance(value, float) and not value.is_integer())
    rows = [tuple(_clean(cell_text(v)) for v in values) for values in sheet.rows]
    return Table(f"sheet '{sheet.name}'", _trimmed(rows), (), unshown)


def _spreadsheet_tables(path: Path, settings: IntakeSettings) -> list[Table]:
    """Give an .xlsx as its cells show (1.10 stays 1.10), another workbook's sheets as
    stored, or a CSV file's one table."""
    kind = identify(path, settings)
    data = path.read_bytes()
    if kind == "csv":
        return [Table("", tuple(tuple(_clean(v) for v in row)
                                for row in csv_rows(data, settings)))]
    if kind == "xlsx":
        return [_sheet_table(sheet) for sheet in shown_sheets(data, settings)]
    return [_sheet_table(sheet) for sheet in read_sheets(data, kind, settings)]


def read_tables(path: Path, settings: IntakeSettings = READ_NOW) -> list[Table] | Unreadable:
    """Give every table in the file at `path`, or Unreadable saying why it cannot be read.

    Run in the guarded child process (`IsolatedReader.read(path, read_tables, "plan")`):
    the file is checked with the same bounds as a return before anything parses it, and no
    cell may be longer than a return's may.
    """
    path = Path(path)
    try:
        if path.suffix.lower() == ".docx":
            tables = _word_tables(path, settings)
        else:
            tables = _spreadsheet_tables(path, settings)
        for table in tables:
            check_cells(table.rows, settings,
                        lambda r, c, table=table: f"{table.where(r)}, column {c + 1}")
        return tables
    except Unreadable as error:
        return error
    except MemoryError:
        raise
    except Exception as error:  # a damaged file: each library raises its own kinds
        return Unreadable(f"the file is damaged and cannot be opened ({type(error).__name__})",
                          RESAVE)
