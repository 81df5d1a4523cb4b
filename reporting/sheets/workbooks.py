"""Workbooks read within bounds: their sheets as grids of values, or of the texts they show.

calamine (a Rust library) reads .xlsx, .xls, .ods and .xlsb several times faster than
openpyxl, with the same values (cached formula results, real dates); it is what a return is
read with. openpyxl is used only where the number format matters (a published plan's
reference 1.10 stored as the number 1.1 and formatted 0.00). Every sheet is checked by
`reporting.sheets.bounds` before it is read, and one that spans far more than a table can is
refused: reading makes a grid from A1 to the farthest value.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from reporting.cells import cell_text
from reporting.settings import IntakeSettings
from reporting.sheets.bounds import SPARE_ROWS, Unreadable, check_archive, check_workbook
from reporting.sheets.errors import Errors, ods_errors, xls_errors

_RESEND = "save the return from Excel as an .xlsx workbook and send it again"


@dataclass(frozen=True)
class Sheet:
    """One sheet as read: its name, its rows of values, its merged ranges and hidden rows."""

    name: str
    rows: list[list[object]]
    # Merged ranges as 0-based (first row, first column, last row, last column).
    merged: tuple[tuple[int, int, int, int], ...] = ()
    hidden_rows: tuple[int, ...] = ()  # 1-based; known for an .xlsx only
    hidden: bool = False  # the sheet itself is hidden (or very hidden)
    # Cells holding an error or a formula with no saved result, read as empty: 0-based
    # (row, column) -> "the error #REF!" (an error for .xlsx, .ods and .xls; a formula with
    # no saved result for an .xlsx only).
    unshown: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_columns: tuple[int, ...] = ()  # 0-based; known for an .xlsx only


def _visible(meta) -> bool:
    return "hidden" not in str(meta.visible).lower()


def _preferred(metadata, preferred: str) -> str:
    """Give the sheet named `preferred` (any case), else the first visible one."""
    if not metadata:
        raise Unreadable("the workbook has no worksheet", _RESEND)
    for meta in metadata:
        if meta.name.strip().lower() == preferred.lower():
            return meta.name
    visible = [m.name for m in metadata if _visible(m)]
    return (visible or [m.name for m in metadata])[0]


def _calamine_sheet(workbook, name: str, settings: IntakeSettings, scan,
                    hidden: bool = False, errors: Errors | None = None) -> Sheet:
    errors = errors or {}
    sheet = workbook.get_sheet_by_name(name)
    # calamine gives the last row's and column's 0-based index, one less than their number.
    height, width = sheet.total_height + 1, sheet.total_width + 1
    if height > settings.max_rows + SPARE_ROWS or width > settings.max_columns:
        raise Unreadable(
            f"the sheet '{name}' spans {height:,} rows and {width:,} columns, far more than a "
            "return table", "delete everything outside the table, save and send it again")
    rows = [list(row) for row in sheet.to_python(skip_empty_area=False)]
    if scan is not None:  # an .xlsx: its own XML says what is merged and hidden
        return Sheet(name, rows, scan.merged, scan.hidden_rows, hidden, scan.unshown,
                     scan.hidden_columns)
    merged = tuple((r1, c1, r2, c2) for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or ()))
    return Sheet(name, rows, merged, hidden=hidden, unshown=errors.get(name, {}))


def read_sheets(data: bytes, kind: str, settings: IntakeSettings,
                preferred: str | None = None, hidden: bool = False) -> list[Sheet]:
    """Give a workbook's sheets of values, read by calamine.

    `kind` is what `identify` said the file is. With `preferred`, one sheet: the one of that
    name (any case), else the first visible; without, every visible sheet (and, with
    `hidden`, the hidden ones too, each marked so). An .xlsx sheet is
    streamed through `check_workbook` first, an .ods or .xlsb checked for how far it
    expands, an .xls bounded by its file size alone. Raises Unreadable.
    """
    if kind in ("ods", "xlsb"):
        check_archive(io.BytesIO(data), settings)
    scans = {}
    if kind == "xlsx":
        first = check_workbook(io.BytesIO(data), settings, preferred or "")
        scans[first.sheet] = first
    from python_calamine import CalamineWorkbook  # imported here: only workbooks need it

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            metadata = workbook.sheets_metadata
            if preferred is not None:
                names = list(scans) or [_preferred(metadata, preferred)]
            else:
                names = [m.name for m in metadata if hidden or _visible(m)]
            concealed = {m.name for m in metadata if not _visible(m)}
            # calamine reads an error cell of an .ods or .xls as empty: they are found here.
            errors = ods_errors(data) if kind == "ods" else xls_errors(data) \
                if kind == "xls" else {}
            return [_calamine_sheet(workbook, name, settings, scans.get(name) or (
                check_workbook(io.BytesIO(data), settings, name) if kind == "xlsx" else None),
                name in concealed, errors) for name in names]
        finally:
            workbook.close()
    except Unreadable:
        raise
    except Exception as error:  # calamine raises its own kinds for a damaged part
        raise Unreadable("the workbook is damaged and cannot be opened", _RESEND) from error


def shown(value: object, number_format: str | None) -> str:
    """Give a cell's value as the cell shows it: 1.1 formatted 0.00 shows as "1.10"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and number_format:
        section = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", number_format.split(";")[0])
        if "%" not in section and re.search(r"[0#]", section) and "E" not in section.upper():
            decimals = re.search(r"\.([0#]+)", section)
            places = decimals[1].count("0") if decimals else 0
            text = f"{value:,.{places}f}" if "," in section else f"{value:.{places}f}"
            if decimals and "#" in decimals[1] and "." in text:  # 0.0# drops unneeded zeros
                keep = len(text) - decimals[1].count("#")
                text = text[:keep] + text[keep:].rstrip("0")
            return text
    return cell_text(value)


def shown_sheets(data: bytes, settings: IntakeSettings) -> list[Sheet]:
    """Give each visible sheet of an .xlsx as rows of the texts its cells show.

    Read by openpyxl for the number formats; the whole file, then each sheet, is checked
    by `check_workbook` first, and no more rows and columns are read than a table may have.
    """
    check_workbook(io.BytesIO(data), settings)  # the whole file: kind, size, how far it expands
    from openpyxl import load_workbook  # imported here: only a plan's .xlsx needs it

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = []
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            check_workbook(io.BytesIO(data), settings, sheet.title)  # its rows and far cells
            rows = [[shown(c.value, getattr(c, "number_format", None)) for c in values]
                    for values in sheet.iter_rows(max_row=settings.max_rows + SPARE_ROWS,
                                                  max_col=settings.max_columns)]
            sheets.append(Sheet(sheet.title, rows))
        return sheets
    finally:
        workbook.close()
