"""A corpus of returns as they really arrive, built in a temporary folder by the tests.

`build_corpus(folder)` writes one file per case (a clean return, the unreadable kinds, the
files to be passed over in silence) and gives {case: path}. The writers are small so a test
can make one odd file of its own.
"""

from __future__ import annotations

import io
import os
import re
import struct
import time
import zipfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from reporting.intake.returns import RETURN_COLUMNS

PERIOD = "2022/23 Q2"
FOLDER = "2022-23-Q2"
FIELDS = (("Service area", "Regulatory Services"), ("Period", PERIOD),
          ("Completed by", "A. Officer"), ("Approved by", "B. Manager"),
          ("Date completed", date(2022, 10, 11)))
ROWS = (
    ["1.a", "", "", "On track", "Inspections are on schedule.", None, "", None, "", "More"],
    ["1.b", "", "", "Green", "32 inspections done.", None, "", None, "", "Next"],
)


def workbook_bytes(rows=ROWS, fields=FIELDS, header=RETURN_COLUMNS, sheet="Return",
                   blank_rows_above: int = 1, build=None) -> bytes:
    """Give an .xlsx return: the label fields, blank rows, the header, the rows."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    for label, value in fields:
        ws.append([label, value])
    for _ in range(blank_rows_above):
        ws.append([])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    if build:
        build(ws)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(path: Path, data: bytes, age_seconds: float = 3600) -> Path:
    """Write `data` to `path`, dated `age_seconds` ago (old enough to have settled)."""
    path.write_bytes(data)
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


def with_formula(data: bytes, ref: str, formula: str, cached: str) -> bytes:
    """Give the workbook with cell `ref` holding a formula and its cached text result,
    as Excel saves it (openpyxl cannot write cached results)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = body.decode("utf-8")
                cell = f'<c r="{ref}" t="str"><f>{formula}</f><v>{cached}</v></c>'
                text, n = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', cell, text, count=1)
                assert n == 1, ref
                body = text.encode("utf-8")
            target.writestr(info.filename, body)
    return out.getvalue()


def zip_bomb(megabytes: int = 12) -> bytes:
    """Give an otherwise valid workbook carrying a part that expands to `megabytes` of zeros."""
    out = io.BytesIO(workbook_bytes())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/image1.bin", "w") as part:
            block = bytes(1 << 20)
            for _ in range(megabytes):
                part.write(block)
    return out.getvalue()


def lying_zip_bomb(megabytes: int = 12) -> bytes:
    """Give a zip bomb whose headers claim the big part is 1 KB: only reading can tell."""
    data = bytearray(zip_bomb(megabytes))
    name = b"xl/media/image1.bin"
    real = megabytes << 20
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                assert struct.unpack_from("<I", data, at + offset)[0] == real
                struct.pack_into("<I", data, at + offset, 1024)
            start = at + 4
    return bytes(data)


def encrypted_workbook() -> bytes:
    """Give the start of a password-protected workbook: an OLE file with an EncryptedPackage."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entry = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\x00")
    return header + bytes(512) + entry + bytes(4096)


def legacy_xls() -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return header + bytes(512) + "Workbook".encode("utf-16-le").ljust(64, b"\x00") + bytes(2048)


def word_document() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("Q2 update for Regulatory Services: all on track.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def many_rows(count: int) -> bytes:
    rows = [[f"1.{chr(97 + n % 26)}", "", "", "On track", f"Row {n}", None, "", None, "", ""]
            for n in range(count)]
    return workbook_bytes(rows=rows)


# case -> (file name, what the receipt says, words of the reason)
UNREADABLE = {
    "empty": ("housing.xlsx", "empty (0 bytes)"),
    "not a spreadsheet": ("economic-development.xlsx", "not an Excel workbook"),
    "plain text": ("notes.txt", "not a spreadsheet"),
    "password": ("planning-policy.xlsx", "protected with a password"),
    "corrupt": ("community-partnerships.xlsx", "damaged"),
    "word file": ("communications.docx", "Word document"),
    "word renamed": ("human-resources.xlsx", "Word document"),
    "pdf": ("leisure.pdf", "PDF"),
    "old xls": ("parks.xls", "damaged"),  # an .xls is read; this one is not whole
    "zip bomb": ("waste.xlsx", "expands to more than"),
    "lying zip bomb": ("licensing.xlsx", "damaged"),
    "too many rows": ("revenues.xlsx", "more than 50 rows"),
    "too big": ("finance.xlsx", "more than the 1 MB"),
}
IGNORED = ("~$regulatory-services.xlsx", ".DS_Store", ".~lock.housing.xlsx#", "~WRL0003.tmp",
           "regulatory-services.xlsx.crdownload", "Thumbs.db")


def build_corpus(folder: Path) -> dict[str, Path]:
    """Write the corpus into `folder` (a period folder); give {case: path}.

    Read it with IntakeSettings(max_file_mb=1, max_rows=50, settle_seconds=60).
    """
    folder.mkdir(parents=True, exist_ok=True)
    clean = workbook_bytes()
    data = {
        "clean": ("regulatory-services.xlsx", clean),
        "empty": b"",
        "not a spreadsheet": b"Dear all, please find our update below. Thanks!",
        "plain text": b"just some notes",
        "password": encrypted_workbook(),
        "corrupt": clean[: len(clean) // 2],
        "word file": word_document(),
        "word renamed": word_document(),
        "pdf": b"%PDF-1.4\n% a scanned return\n",
        "old xls": legacy_xls(),
        "zip bomb": zip_bomb(),
        "lying zip bomb": lying_zip_bomb(),
        "too many rows": many_rows(60),
        "too big": b"PK\x03\x04" + os.urandom(1_300_000),
    }
    paths = {}
    for case, value in data.items():
        name, content = value if isinstance(value, tuple) else (UNREADABLE[case][0], value)
        paths[case] = write(folder / name, content)
    paths["settling"] = write(folder / "housing-options.xlsx",
                              workbook_bytes(fields=(("Service area", "Housing Options"),)),
                              age_seconds=0)
    for name in IGNORED:
        write(folder / name, b"\x00lock")
    return paths


def messy_workbook() -> bytes:
    """Give a return as officers really fill it in: a title block, the header on row 15 in
    their own words, an extra column, a merged ID over two milestone rows, a hidden row, a
    formula, blank lines inside the table and trailing blank rows."""
    def build(ws):
        ws.merge_cells("A19:A20")  # one ID over its two milestone rows
        ws.row_dimensions[17].hidden = True
        for _ in range(5):
            ws.append([None] * 7)  # trailing blank (formatted) rows

    title = [("Harborough District Council", None), ("Health & Wellbeing Action Plan", None),
             (None, None), ("Service area:", "Regulatory Services"), ("Quarter", "Q2 2022/23"),
             ("Completed by", "A. Officer"), ("Signed off by", "B. Manager"),
             ("Date", "11/10/2022")]
    header = ["Ref", "RAG status", "Commentary", "Budget (£k)", "Milestone", "New date",
              "Reason for delay"]
    rows = [
        ["1b", "Amber/Red", "Two inspectors off sick.", 12, "", "March 2023", "Sickness"],
        ["1.C.", "Done", "Lightbulb review finished.", "", "", "", ""],
        [],
        ["1.d", "On Track", "Warm Homes referrals steady.", "", "First", "", ""],
        [None, "GREEN", "Switching auction promoted.", "", "Second", "", ""],
        ["6.f", "placeholder", "ASR submitted to DEFRA.", "", "", "Q4 2022/23", ""],
    ]
    data = workbook_bytes(rows=rows, fields=title, header=header, blank_rows_above=6,
                          build=build)
    return with_formula(data, "B21", 'IF(TRUE,"Completed","")', "Completed")


def with_entity_bomb(data: bytes) -> bytes:
    """Give the workbook with a "billion laughs" entity declaration in its sheet XML."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    doctype = ('<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
               + "".join(f'<!ENTITY {chr(98 + n)} "' + f"&{chr(97 + n)};" * 10 + '">'
                         for n in range(8)) + "]>")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = body.decode("utf-8")
                text = text.replace("<worksheet", doctype + "<worksheet", 1)
                text = text.replace("<v>", "<v>&i;", 1) if "<v>" in text else text
                body = text.encode("utf-8")
            target.writestr(info.filename, body)
    return out.getvalue()


def corpus_inputs(tmp: Path):
    """Give the period's inputs for the corpus: its returns against a plan in which each of
    their service areas leads an action (Regulatory Services leads 1.a and 1.b)."""
    from conftest import make_action, make_plan

    from reporting.intake.folder import read_returns
    from reporting.period import Period
    from reporting.pipeline import PeriodInputs
    from reporting.settings import READ_NOW

    folder = tmp / "returns" / FOLDER
    build_corpus(folder)
    returns = read_returns(folder, READ_NOW, now=time.time() + 3600)
    services = sorted({r.service_area for r in returns} - {"Regulatory Services"})
    plan = make_plan(make_action("1.a"), make_action("1.b"),
                     *(make_action(f"{n}.a", lead_service_area=s)
                       for n, s in enumerate(services, start=2)))
    return PeriodInputs(Period.parse(FOLDER), plan, tuple(returns), (), tmp)
