"""The error cells (#DIV/0!, #REF!) of .ods and .xls workbooks, which calamine reads as empty.

An .xlsx says its error cells in its own XML (`bounds._unshown`); for the other kinds they
are found here, so that a receipt names the error rather than saying "no status" whatever
the officer's spreadsheet program. Each finder gives {sheet name: {(row, column): "the error
#DIV/0!"}} (0-based), at most `MAX_UNSHOWN` cells a sheet, and {} for a file it cannot
follow: the cells are then read as empty, as before.
"""

from __future__ import annotations

import io
import struct
import zipfile

from defusedxml import ElementTree as SafeET

from reporting.sheets.bounds import MAX_UNSHOWN

Errors = dict[str, dict[tuple[int, int], str]]

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"


def _repeat(element, name: str) -> int:
    try:
        return max(int(element.get(f"{_TABLE}{name}", "1")), 1)
    except ValueError:
        return 1


def ods_errors(data: bytes) -> Errors:
    """Give the error cells of each sheet of an .ods workbook (its size already checked)."""
    found: Errors = {}
    sheet, row, column = None, -1, 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as xml:
            for event, element in SafeET.iterparse(xml, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == f"{_TABLE}table":
                        sheet, row = found.setdefault(element.get(f"{_TABLE}name", ""), {}), -1
                    elif tag == f"{_TABLE}table-row":
                        row, column = row + 1, 0
                    continue
                if tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                    if element.get(f"{_CALCEXT}value-type") == "error" and sheet is not None \
                            and len(sheet) < MAX_UNSHOWN:
                        shown = "".join(p.text or "" for p in element.iter(f"{_TEXT}p")).strip()
                        sheet[(row, column)] = f"the error {shown[:40]}".strip()
                    column += _repeat(element, "number-columns-repeated")
                elif tag == f"{_TABLE}table-row":
                    row += _repeat(element, "number-rows-repeated") - 1
                    element.clear()
    except Exception:  # a part it cannot follow: its cells are read as empty, as before
        return {}
    return {name: cells for name, cells in found.items() if cells}


# BIFF8 error codes, as Excel shows them.
_XLS_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!",
               0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
_ENDOFCHAIN = 0xFFFFFFFE


def _workbook_stream(data: bytes) -> bytes:
    """Give the Workbook stream of a compound (OLE) file: the sectors its chain names."""
    if data[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return b""
    size = 1 << struct.unpack_from("<H", data, 30)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 32)[0]
    directory_start, mini_cutoff, mini_fat_start = struct.unpack_from("<I", data, 48)[0], \
        struct.unpack_from("<I", data, 56)[0], struct.unpack_from("<I", data, 60)[0]
    difat = [s for s in struct.unpack_from("<109I", data, 76) if s < _ENDOFCHAIN]
    next_difat, count = struct.unpack_from("<II", data, 68)
    for _ in range(count):
        if next_difat >= _ENDOFCHAIN:
            break
        entries = struct.unpack_from(f"<{size // 4}I", data, (next_difat + 1) * size)
        difat += [s for s in entries[:-1] if s < _ENDOFCHAIN]
        next_difat = entries[-1]
    fat = [s for sector in difat
           for s in struct.unpack_from(f"<{size // 4}I", data, (sector + 1) * size)]

    def chain(start: int, table: list[int], read) -> bytes:
        parts, seen = [], set()
        while start < len(table) and start not in seen:
            seen.add(start)
            parts.append(read(start))
            start = table[start]
        return b"".join(parts)

    sector = lambda s: data[(s + 1) * size:(s + 2) * size]  # noqa: E731
    directory = chain(directory_start, fat, sector)
    entries = [directory[i:i + 128] for i in range(0, len(directory), 128)]
    root = entries[0]
    mini_stream = chain(struct.unpack_from("<I", root, 116)[0], fat, sector)
    for entry in entries:
        length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[:max(length - 2, 0)].decode("utf-16-le", errors="replace")
        if name in ("Workbook", "Book") and entry[66] == 2:
            start, stream_size = struct.unpack_from("<IQ", entry, 116)
            stream_size &= 0xFFFFFFFF
            if stream_size >= mini_cutoff:
                return chain(start, fat, sector)[:stream_size]
            mini_fat = list(struct.unpack(f"<{len(m) // 4}I", m)) if (
                m := chain(mini_fat_start, fat, sector)) else []
            mini = lambda s: mini_stream[s * mini_size:(s + 1) * mini_size]  # noqa: E731
            return chain(start, mini_fat, mini)[:stream_size]
    return b""


def xls_errors(data: bytes) -> Errors:
    """Give the error cells of each sheet of an .xls (BIFF8) workbook: a formula whose saved
    result is an error, or an error typed as a value."""
    try:
        stream = _workbook_stream(data)
        offsets: dict[int, str] = {}
        found: Errors = {}
        cells: dict[tuple[int, int], str] | None = None
        at = 0
        while at + 4 <= len(stream):
            kind, length = struct.unpack_from("<HH", stream, at)
            body = stream[at + 4: at + 4 + length]
            if kind == 0x0085 and length >= 8:  # BOUNDSHEET: where each sheet starts
                offset, (chars, flags) = struct.unpack_from("<I", body)[0], body[6:8]
                raw = body[8:8 + chars * (2 if flags & 1 else 1)]
                offsets[offset] = raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
            elif kind == 0x0809 and at in offsets:  # BOF of a sheet
                cells = found.setdefault(offsets[at], {})
            elif cells is not None and len(cells) < MAX_UNSHOWN:
                if kind == 0x0006 and length >= 14 and body[12:14] == b"\xff\xff" \
                        and body[6] == 2:  # FORMULA whose saved result is an error
                    row, column = struct.unpack_from("<HH", body)
                    cells[(row, column)] = f"the error {_XLS_ERRORS.get(body[8], '#VALUE!')}"
                elif kind == 0x0205 and length >= 8 and body[7] == 1:  # BOOLERR, an error
                    row, column = struct.unpack_from("<HH", body)
                    cells[(row, column)] = f"the error {_XLS_ERRORS.get(body[6], '#VALUE!')}"
            at += 4 + length
    except (struct.error, IndexError, ValueError):
        return {}
    return {name: cells for name, cells in found.items() if cells}
