"""CSV files as Excel and other programs save them: their encoding, delimiter and rows, bounded.

Excel saves "CSV UTF-8" with a byte order mark, plain "CSV" in Windows-1252, "Unicode text"
as UTF-16, and in much of Europe with semicolons. A file is read whichever it is, and refused
(`Unreadable`) once it holds more rows or columns than a table can have.
"""

from __future__ import annotations

import csv
import io

from reporting.settings import IntakeSettings
from reporting.sheets.bounds import SPARE_ROWS, Unreadable
from reporting.sheets.headings import HEADER_SEARCH_ROWS


def decode(raw: bytes) -> str:
    """Give a text file's text: UTF-16 with its byte order mark, UTF-8, else Windows-1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" is UTF-16
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


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
    """Give a CSV file's rows of cell texts, as many lists as it has lines.

    Raises Unreadable for more than `settings.max_rows` rows (and a few spare), a line
    wider than `settings.max_columns`, or a line the csv module cannot read.
    """
    text = decode(data)
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)):
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
    except csv.Error as error:  # a field past the csv module's own limit, or a stray NUL
        raise Unreadable(f"line {len(rows) + 1} cannot be read as CSV ({error})",
                         "save the return from Excel as .xlsx and send that instead") from error
    return rows
