"""Checking a file before anything parses it: what it really is, its size, how far it expands.

A file from outside is untrusted. These checks stream through it in small blocks, so a hostile
file (a zip bomb, a sheet claiming a billion rows, XML with entity declarations) costs bounded
memory and time, and is refused with what is wrong and what to do (`Unreadable`) before a
parser sees it. Returns and published plans are checked alike. Nothing here writes a file.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from defusedxml import ElementTree as SafeET

from reporting.settings import READ_NOW, IntakeSettings

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BLOCK = 1 << 16
# Rows a sheet may hold beyond `max_rows` (a title block, blank rows, notes under the table).
SPARE_ROWS = 100


class Unreadable(Exception):
    """A file that cannot be used at all: what is wrong and what the officer should do."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __reduce__(self):  # sent back from the reading child process whole
        return (Unreadable, (self.message, self.fix))


_RESEND = "save the return from Excel as an .xlsx workbook and send it again"


def _contains(path: Path, needle: bytes, limit: int) -> bool:
    with Path(path).open("rb") as handle:
        tail, read = b"", 0
        while read < limit:
            block = handle.read(_BLOCK)
            if not block:
                return False
            if needle in tail + block:
                return True
            tail, read = block[-len(needle):], read + len(block)
    return False


def _describe_ole(path: Path) -> Unreadable:
    limit = 64 * 1024 * 1024
    if _contains(path, "EncryptedPackage".encode("utf-16-le"), limit):
        return Unreadable(
            "the workbook is protected with a password, so it cannot be opened",
            "remove the password (File > Info > Protect Workbook > Encrypt with Password, "
            "clear it), save and send it again")
    if _contains(path, "WordDocument".encode("utf-16-le"), limit):
        return Unreadable("this is a Word document, not a spreadsheet return",
                          "send the return spreadsheet instead")
    if any(_contains(path, name.encode("utf-16-le"), limit) for name in ("Workbook", "Book")):
        return None  # an Excel 97-2003 workbook (.xls): read like the others
    return Unreadable("this is an old Office file that is not a spreadsheet",
                      "send the return spreadsheet instead")


_ODS = b"application/vnd.oasis.opendocument.spreadsheet"


def _zip_kind(path: Path) -> str:
    """Give "ods" (LibreOffice), "xlsb" (Excel binary) or "xlsx" for a zip file."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype")[:len(_ODS) + 10].startswith(_ODS):
                return "ods"
            if "xl/workbook.bin" in names:
                return "xlsb"
    except (zipfile.BadZipFile, OSError, KeyError, EOFError):
        pass  # check_workbook says what is wrong with it
    return "xlsx"


def check_archive(path: Path | IO[bytes], settings: IntakeSettings = READ_NOW) -> None:
    """Check an .ods or .xlsb workbook expands to a sensible size before it is read."""
    try:
        with zipfile.ZipFile(path) as archive:
            _verify_sizes(archive, settings)
    except Unreadable:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError, OSError,
            NotImplementedError) as error:
        raise Unreadable("the workbook is damaged and cannot be opened", _RESEND) from error


def check_size(path: Path, settings: IntakeSettings = READ_NOW) -> None:
    """Refuse an empty file, or one larger than `settings.max_bytes`."""
    size = Path(path).stat().st_size
    if size == 0:
        raise Unreadable("the file is empty (0 bytes); it may not have finished saving or copying",
                         "save the return again and send it again")
    if size > settings.max_bytes:
        raise Unreadable(
            f"the file is {size / 1024 / 1024:.1f} MB, more than the {settings.max_file_mb:g} MB "
            "a return may be", "remove pictures and extra sheets, save and send it again")


def identify(path: Path, settings: IntakeSettings = READ_NOW) -> str:
    """Give the kind of a candidate file ("xlsx", "xlsb", "xls", "ods" or "csv", which is
    any delimited text, .tsv too), or raise Unreadable saying why not."""
    path = Path(path)
    check_size(path, settings)
    with path.open("rb") as handle:
        head = handle.read(8)
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path)  # what it holds is checked before it is read
    if head.startswith(_OLE_MAGIC):
        problem = _describe_ole(path)
        if problem:
            raise problem
        return "xls"
    if head.startswith(b"%PDF"):
        raise Unreadable("this is a PDF, not a spreadsheet", "send the return spreadsheet itself")
    if suffix in (".csv", ".tsv"):
        sample = _first_bytes(path, 4096)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in sample \
                or utf16_without_mark(sample):  # UTF-16 text, with its byte order mark or not
            return "csv"
        nul = sample.index(b"\x00")
        raise Unreadable(
            f"the {suffix} file holds a NUL byte (at byte {nul:,}), so it is "
            "damaged or is not text", "open it in Excel, save it as 'CSV UTF-8' (or as an .xlsx "
            "workbook) and send it again")
    if suffix in (".xlsx", ".xlsm"):
        raise Unreadable("the file is named .xlsx but is not an Excel workbook inside "
                         "(it may be damaged or renamed)", _RESEND)
    raise Unreadable(f"this is not a spreadsheet (a '{suffix or 'no extension'}' file)",
                     "send the return as an .xlsx workbook (or .xls, .ods or .csv)")


def utf16_without_mark(sample: bytes) -> str:
    """Give "utf-16-le" or "utf-16-be" for text that is UTF-16 with no byte order mark (a NUL
    in nearly every odd or even byte), else ""."""
    pairs = len(sample) // 2
    if pairs < 2:
        return ""
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if odd >= 0.9 * pairs and even < 0.1 * pairs:
        return "utf-16-le"
    if even >= 0.9 * pairs and odd < 0.1 * pairs:
        return "utf-16-be"
    return ""


def _first_bytes(path: Path, count: int) -> bytes:
    with Path(path).open("rb") as handle:
        return handle.read(count)


@dataclass(frozen=True)
class WorkbookScan:
    """What a bounded pass over a workbook's chosen sheet found."""

    sheet: str
    rows: int  # rows holding at least one value
    hidden_rows: tuple[int, ...]  # 1-based
    # Merged ranges as 0-based (first row, first column, last row, last column).
    merged: tuple[tuple[int, int, int, int], ...]
    # Cells that show no value to read, by 0-based (row, column): "the error #REF!", "a
    # formula with no saved result (=VLOOKUP(A9,X!A:B,2,0))". A reader gives them as empty.
    unshown: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_columns: tuple[int, ...] = ()  # 0-based


def _xml(archive: zipfile.ZipFile, name: str):
    with archive.open(name) as handle:
        return SafeET.fromstring(handle.read())


def _zip_problem(archive: zipfile.ZipFile) -> Unreadable | None:
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return Unreadable("this is a Word document, not a spreadsheet return",
                          "send the return spreadsheet instead")
    if any(n.startswith("ppt/") for n in names):
        return Unreadable("this is a PowerPoint file, not a spreadsheet return",
                          "send the return spreadsheet instead")
    if "xl/workbook.xml" not in names:
        return Unreadable("this is a zip file but not an Excel workbook", _RESEND)
    return None


def _verify_sizes(archive: zipfile.ZipFile, settings: IntakeSettings) -> None:
    """Refuse a workbook that expands too far, reading every part in small blocks.

    Declared sizes are checked first (fast); then each part is streamed and counted,
    because a declared size can lie: zipfile stops at the declared size and checks the
    CRC, so a part that holds more than it says fails here instead of in the parser.
    """
    declared = sum(i.file_size for i in archive.infolist())
    limit = settings.max_unzipped_bytes
    too_big = Unreadable(
        f"the workbook expands to more than {limit // (1024 * 1024)} MB when opened, far more "
        "than a return needs (it may hold a huge sheet, pictures or a damaged part)",
        "copy the return table into a new workbook, save and send it again")
    if declared > limit:
        raise too_big
    total = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        with archive.open(info) as part:
            while block := part.read(_BLOCK):
                total += len(block)
                if total > limit:
                    raise too_big


def _sheets(archive: zipfile.ZipFile) -> list[tuple[str, str, bool]]:
    """Give (name, part path, visible) for each worksheet in the workbook, in order."""
    workbook = _xml(archive, "xl/workbook.xml")
    rels = _xml(archive, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PACKAGE_REL}Relationship")}
    found = []
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if "worksheets/" not in target:
            continue  # a chart sheet or a dialog sheet
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        found.append((sheet.get("name", ""), part, sheet.get("state", "visible") == "visible"))
    if not found and str(workbook.tag).startswith("{http://purl.oclc.org/ooxml/"):
        raise Unreadable("the workbook is saved as Strict Open XML, which the report cannot read",
                         "in Excel choose File > Save As > 'Excel Workbook (*.xlsx)', not "
                         "'Strict Open XML Spreadsheet', and send it again")
    return found


def choose_sheet(sheets: list[tuple[str, str, bool]], preferred: str) -> tuple[str, str]:
    """Give (name, part) of the sheet named `preferred` (any case), else the first visible one."""
    for name, part, _ in sheets:
        if name.strip().lower() == preferred.lower():
            return name, part
    for name, part, visible in sheets:
        if visible:
            return name, part
    if sheets:
        return sheets[0][0], sheets[0][1]
    raise Unreadable("the workbook has no worksheet", _RESEND)


_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def cell_index(ref: str) -> tuple[int, int]:
    """Give the 0-based (row, column) of a cell reference such as "D12"."""
    match = _CELL_REF.fullmatch(ref.strip().upper().replace("$", ""))
    if not match:
        raise ValueError(ref)
    column = 0
    for letter in match[1]:
        column = column * 26 + ord(letter) - 64
    return int(match[2]) - 1, column - 1


def column_letter(index: int) -> str:
    """Give the letters of the 0-based column `index` (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _scan_sheet(archive: zipfile.ZipFile, part: str, settings: IntakeSettings) -> tuple:
    """Count the rows with values, and find hidden rows and columns and merged cells,
    streaming the sheet."""
    too_many = Unreadable(
        f"the sheet has more than {settings.max_rows:,} rows, far more than a return can have",
        "delete the rows below the table (select them, right-click, Delete), save and send again")
    rows, hidden, merged, hidden_columns = 0, [], [], []
    unshown: dict[tuple[int, int], str] = {}
    all_rows = 0
    # Reading a sheet makes a grid from A1 to its farthest value: one value in XFD1048576
    # would ask for 17 billion cells, so the farthest value is bounded before anything reads.
    last_row, last_column = settings.max_rows + SPARE_ROWS, settings.max_columns
    with archive.open(part) as handle:
        for _, element in SafeET.iterparse(handle, events=("end",)):
            tag = element.tag
            if tag == f"{_MAIN}dimension":
                ref = element.get("ref", "")
                last = ref.split(":")[-1]
                try:
                    # A declared size far beyond the limit is refused before reading on.
                    if cell_index(last)[0] + 1 > 20 * settings.max_rows:
                        raise too_many
                except ValueError:
                    pass
            elif tag == f"{_MAIN}row":
                all_rows += 1
                if element.get("hidden") in ("1", "true"):
                    hidden.append(int(element.get("r", all_rows)))
                valued = [c for c in element if c.find(f"{_MAIN}v") is not None
                          or c.find(f"{_MAIN}is") is not None]
                if valued:
                    rows += 1
                    _within(valued, element, all_rows, last_row, last_column)
                if len(unshown) < MAX_UNSHOWN:
                    unshown.update(_unshown(element))
                if rows > settings.max_rows or all_rows > 20 * settings.max_rows:
                    raise too_many
                element.clear()
            elif tag == f"{_MAIN}col" and element.get("hidden") in ("1", "true"):
                try:  # <col min="4" max="4" hidden="1"/>: 1-based, within the columns read
                    first = max(int(element.get("min", "0")), 1)
                    last = min(int(element.get("max", "0")), last_column)
                    hidden_columns.extend(range(first - 1, last))
                except ValueError:
                    pass
            elif tag == f"{_MAIN}mergeCell":
                if len(merged) >= settings.max_merged_ranges:
                    raise Unreadable(
                        f"the sheet has more than {settings.max_merged_ranges:,} merged cell "
                        "ranges, far more than a return table needs",
                        "unmerge the cells (Home > Merge & Center > Unmerge Cells), save and "
                        "send it again")
                first, _, last = element.get("ref", "").partition(":")
                try:
                    (r1, c1), (r2, c2) = cell_index(first), cell_index(last or first)
                    merged.append((r1, c1, r2, c2))
                except ValueError:
                    pass
    return rows, tuple(hidden), tuple(merged), unshown, tuple(hidden_columns)


# An error or an uncomputed formula is said for this many cells of a sheet at most.
MAX_UNSHOWN = 200


def _unshown(row) -> dict[tuple[int, int], str]:
    """Give the row's cells that hold an error (#REF!, #N/A) or a formula with no saved
    result (a workbook written by a program, never opened in Excel), described."""
    found = {}
    for cell in row:
        value, formula = cell.find(f"{_MAIN}v"), cell.find(f"{_MAIN}f")
        if cell.get("t") == "e":
            said = f"the error {(value.text or '').strip() if value is not None else ''}"
        elif formula is not None and (value is None or value.text is None):
            said = f"a formula with no saved result (={(formula.text or '').strip()[:80]})"
        else:
            continue
        try:
            found[cell_index(cell.get("r", ""))] = said.strip()
        except ValueError:
            continue
    return found


def _within(cells: list, row, count: int, last_row: int, last_column: int) -> None:
    """Refuse a row whose values lie beyond the last row or column a return can use."""
    try:
        index = int(row.get("r", count)) - 1
    except ValueError:
        index = count - 1
    far = None
    if index >= last_row:
        far = f"row {index + 1}"
    for cell in cells:
        try:
            column = cell_index(cell.get("r", ""))[1]
        except ValueError:
            continue
        if column >= last_column:
            far = f"cell {cell.get('r')}"
            break
    if far:
        raise Unreadable(
            f"the sheet holds a value in {far}, far outside any return table (a return uses "
            f"at most {last_row:,} rows and {last_column} columns)",
            f"delete everything outside the table (a stray value in {far}), save and send "
            "it again")


def check_workbook(path: Path | IO[bytes], settings: IntakeSettings = READ_NOW,
                   preferred: str = "Return") -> WorkbookScan:
    """Check a workbook is safe and sensible to load; give its chosen sheet and layout.

    Raises Unreadable when it is not a workbook, is damaged, expands too far or has too
    many rows. Memory use is bounded by the block size and the row limit.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            problem = _zip_problem(archive)
            if problem:
                raise problem
            _verify_sizes(archive, settings)
            name, part = choose_sheet(_sheets(archive), preferred)
            rows, hidden, merged, unshown, columns = _scan_sheet(archive, part, settings)
    except Unreadable:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError, OSError,
            SafeET.ParseError, ValueError, NotImplementedError) as error:
        if "DefusedXml" in type(error).__name__ or "Forbidden" in type(error).__name__:
            raise Unreadable("the workbook holds XML the report refuses to read "
                             "(entity declarations)", _RESEND) from error
        raise Unreadable("the workbook is damaged and cannot be opened", _RESEND) from error
    except Exception as error:  # defusedxml raises its own kinds for hostile XML
        raise Unreadable("the workbook holds XML the report refuses to read", _RESEND) from error
    return WorkbookScan(name, rows, hidden, merged, unshown, columns)


def check_cells(rows: list, settings: IntakeSettings, address) -> None:
    """Refuse a cell longer than a spreadsheet cell can be (Excel holds 32,767 characters).

    `address(row index, column index)` names a cell for the message ("Return!D12").
    """
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if isinstance(value, str) and len(value) > settings.max_field_chars:
                raise Unreadable(
                    f"the cell at {address(r, c)} holds {len(value):,} characters, more than "
                    f"the {settings.max_field_chars:,} a cell may hold",
                    "shorten it to a paragraph or two, save and send it again")
