"""CSV files as Excel and other programs save them: their encoding, delimiter and rows, bounded.

Excel saves "CSV UTF-8" with a byte order mark, plain "CSV" in Windows-1252, "Unicode text"
as UTF-16, and in much of Europe with semicolons. A file is read whichever it is, and refused
(`Unreadable`) once it holds more rows or columns than a table can have.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from reporting.settings import IntakeSettings
from reporting.sheets.bounds import SPARE_ROWS, Unreadable, utf16_without_mark
from reporting.sheets.headings import HEADER_SEARCH_ROWS


def _mostly_utf8(raw: bytes) -> bool:
    """Tell whether bytes that are not all UTF-8 are still UTF-8 text with a few bad bytes:
    some of its non-ASCII characters are whole UTF-8 sequences, at least as many as the bytes
    that are not (a Windows-1252 file has none of the first; a UTF-8 one with one stray
    byte, some)."""
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - raw.count("\ufffd".encode())
    whole = sum(1 for char in text if ord(char) > 127 and char != "\ufffd")
    return whole > 0 and whole >= bad


def decode(raw: bytes) -> str:
    """Give a text file's text: UTF-16 (with its byte order mark or without), UTF-8 (a few
    bytes that are not UTF-8 replaced by U+FFFD, so one stray byte does not turn "café" into
    "cafÃ©"), else Windows-1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" is UTF-16
        return raw.decode("utf-16", errors="replace")
    if b"\x00" in raw[:4096] and (order := utf16_without_mark(raw[:4096])):
        return raw.decode(order, errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if _mostly_utf8(raw):
            return raw.decode("utf-8-sig", errors="replace")
        return raw.decode("cp1252", errors="replace")


@dataclass(frozen=True)
class DelimitedText:
    """A CSV file's rows, and what in it may have been damaged on the way."""

    rows: list[list[str]]
    # 0-based (row, column) of each cell in which a byte that was not UTF-8 was replaced.
    replaced: tuple[tuple[int, int], ...] = ()
    cut_off: bool = False  # the file ends without a line break: its last line may be cut


# What each delimiter is called when a receipt says how a file was read.
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}


def _delimiter(text: str) -> str:
    """Give the delimiter the first lines hold most of: tab (Excel's "Text (Tab delimited)"
    and "Unicode text"), ";" or ","; "," when they hold none."""
    sample = [line for line in text.splitlines()[:HEADER_SEARCH_ROWS + 5] if line.strip()]
    counts = {d: sum(line.count(d) for line in sample) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def delimiter_of(data: bytes) -> str:
    """Say what a text file's cells are taken to be separated by ("commas", "tabs")."""
    return DELIMITER_NAMES[_delimiter(decode(data))]


def csv_rows(data: bytes, settings: IntakeSettings) -> list[list[str]]:
    """Give a CSV file's rows of cell texts, as many lists as it has lines (see `read_csv`)."""
    return read_csv(data, settings).rows


def _unclosed_quote(text: str, start_line: int) -> bool:
    """Tell whether the row starting on `start_line` (1-based) opens a quote that the file
    never closes (read leniently, it would take in the rest of the file as one cell)."""
    tail = "".join(text.splitlines(keepends=True)[start_line - 1:])
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), delimiter=_delimiter(text),
                            strict=True):
            pass
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False


def read_csv(data: bytes, settings: IntakeSettings) -> DelimitedText:
    """Give a CSV file's rows of cell texts, the cells where a bad byte was replaced, and
    whether it ends mid-line.

    Raises Unreadable for more than `settings.max_rows` rows (and a few spare), a line
    wider than `settings.max_columns`, a line the csv module cannot read, or a quote opened
    and never closed (naming the line it opens on).
    """
    text = decode(data)
    rows: list[list[str]] = []
    started = 1  # the line the row being read starts on
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        for row in reader:
            if len(rows) >= settings.max_rows + SPARE_ROWS:
                raise Unreadable(
                    f"the file has more than {settings.max_rows:,} rows, far more than a "
                    "return can have", "delete the rows below the table, save and send it again")
            if len(row) > settings.max_columns:
                raise Unreadable(
                    f"line {len(rows) + 1} has {len(row)} columns, far more than a return table "
                    f"has (at most {settings.max_columns})",
                    "save the return table alone as CSV and send it again")
            rows.append(row)
            last_started, started = started, reader.line_num + 1
    except csv.Error as error:  # a field past the csv module's own limit, or a stray NUL
        raise Unreadable(f"line {len(rows) + 1} cannot be read as CSV ({error})",
                         "save the return from Excel as .xlsx and send that instead") from error
    if rows and '"' in text and _unclosed_quote(text, last_started):
        raise Unreadable(
            f"line {last_started} opens a quote (\") that is never closed, so the rest of the "
            "file would be read as one cell",
            f"close the quote on line {last_started} (or take it out), save and send it again")
    replaced = tuple((r, c) for r, row in enumerate(rows) for c, value in enumerate(row)
                     if "\ufffd" in value) if "\ufffd" in text else ()
    return DelimitedText(rows, replaced, bool(text.strip()) and not text.endswith(("\n", "\r")))
