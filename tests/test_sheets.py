"""The one bounded spreadsheet reader (`reporting.sheets`), as returns and plans both use it.

The header row is looked for in the first 30 rows of every sheet, a return's and a published
plan's alike; a CSV file is read whatever Excel saved it as; a heading is matched in the
officer's own spelling; what is too big is refused naming where.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from bad_returns import FIELDS, workbook_bytes, write
from openpyxl import Workbook

from reporting.intake.plan_import import import_plan
from reporting.intake.returns import COLUMNS, read_return
from reporting.plan import PlanError, load_plan
from reporting.plan.importing.headings import COLUMNS as PLAN_COLUMNS
from reporting.settings import READ_NOW, IntakeSettings
from reporting.sheets import HEADER_SEARCH_ROWS, Headings, Unreadable, check_cells, csv_rows
from reporting.sheets.headings import find_header
from reporting.sheets.workbooks import read_sheets


def return_with_header_on_row(row: int) -> bytes:
    """Give an .xlsx return whose header row is sheet row `row` (1-based)."""
    return workbook_bytes(blank_rows_above=row - 1 - len(FIELDS))


# ---------------------------------------------------------------- one header search, 30 rows


def test_the_header_is_looked_for_in_the_first_30_rows():
    assert HEADER_SEARCH_ROWS == 30


def test_a_return_whose_header_is_on_row_25_is_read(tmp_path):
    ret = read_return(write(tmp_path / "housing.xlsx", return_with_header_on_row(25)))
    assert ret.usable, [str(p) for p in ret.problems]
    assert [r.action_id for r in ret.rows] == ["1.a", "1.b"]
    assert ret.rows[0].where("Status") == "Return!D26"
    assert ret.service_area == "Regulatory Services"


def test_a_return_whose_header_is_on_row_31_is_refused_naming_the_file_and_the_sheet(tmp_path):
    data = workbook_bytes(blank_rows_above=31 - 1 - len(FIELDS), sheet="Q2 update")
    ret = read_return(write(tmp_path / "housing.xlsx", data))
    assert not ret.usable and not ret.rows
    [problem] = ret.problems
    assert str(problem).startswith("housing.xlsx: ")
    assert "no header row naming an 'Action ID' column was found in the first 30 rows of " \
           "the sheet 'Q2 update'" in str(problem)
    assert "return template" in problem.fix


def test_a_csv_return_whose_header_is_on_line_31_is_refused(tmp_path):
    path = tmp_path / "housing.csv"
    path.write_text("\n" * 30 + "Action ID,Status,Progress update\n1.a,Green,Done\n")
    [problem] = read_return(path).problems
    assert problem.fatal and "in the first 30 lines" in problem.message
    path.write_text("\n" * 29 + "Action ID,Status,Progress update\n1.a,Green,Done\n")
    assert read_return(path).usable


def plan_with_header_on_row(path, row: int):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    for _ in range(row - 1):
        sheet.append(["Council plan 2025-27"])
    sheet.append(["Priority", "No.", "Objective", "By when"])
    sheet.append(["Greener", "1.1", "Plant trees", "31/03/2026"])
    workbook.save(path)
    return path


def test_a_plan_looks_for_its_header_as_far_down_as_a_return(tmp_path):
    report = import_plan(plan_with_header_on_row(tmp_path / "plan.xlsx", 30),
                         tmp_path / "out.xlsx")
    assert [a.id for a in load_plan(report.out).actions] == ["1.1"]
    with pytest.raises(PlanError, match="no table has a header row"):
        import_plan(plan_with_header_on_row(tmp_path / "late.xlsx", 31), tmp_path / "late-out.xlsx")


def test_find_header_takes_the_first_row_it_accepts_and_none_past_the_limit():
    headings = Headings({"Action ID": ("Ref",), "Status": ("RAG",)})
    rows = [["Title"], ["Ref"], ["Ref", "RAG"], ["Ref", "RAG"]]
    assert find_header(rows, headings, lambda names: len(names) >= 2) == 2
    assert find_header([[]] * 30 + [["Ref", "RAG"]], headings, bool) is None


# ---------------------------------------------------------------- headings in people's words


def test_a_heading_is_matched_whatever_its_case_spaces_and_punctuation():
    assert COLUMNS.column(" rag  STATUS ") == "Status"
    assert COLUMNS.column("Ref.") == "Action ID"
    assert COLUMNS.column("Budget (£k)") is None
    assert PLAN_COLUMNS.column("Who will deliver this?") == "Who will deliver"


def test_returns_and_plans_know_an_actions_reference_by_the_same_headings():
    for heading in ("No.", "Ref", "Action reference", "Action number", "Ref no"):
        assert COLUMNS.column(heading) == PLAN_COLUMNS.column(heading) == "Action ID"


def test_the_two_tables_keep_their_own_fields():
    # "Action" is the action's words in a return, the objective in a published plan.
    assert (COLUMNS.column("Action"), PLAN_COLUMNS.column("Action")) == ("Action", "Objective")


def test_a_columns_first_heading_wins():
    assert COLUMNS.columns(["Ref", "Status", "RAG", "", "Commentary"]) == {
        0: "Action ID", 1: "Status", 4: "Progress update"}


# ---------------------------------------------------------------- CSV files


@pytest.mark.parametrize("data", [
    "Action ID,Status\r\n1.a,Café\r\n".encode("cp1252"),
    "Action ID;Status\n1.a;Café\n".encode("utf-8-sig"),
    "Action ID,Status\n1.a,Café\n".encode("utf-16"),
], ids=["windows", "semicolons", "utf-16"])
def test_a_csv_file_is_read_whatever_excel_saved_it_as(data):
    assert csv_rows(data, READ_NOW) == [["Action ID", "Status"], ["1.a", "Café"]]


def test_a_csv_file_past_the_limits_is_refused():
    few = IntakeSettings(max_rows=10, max_columns=5)
    with pytest.raises(Unreadable, match="more than 10 rows"):
        csv_rows(b"a,b\n" * 200, few)
    with pytest.raises(Unreadable, match="line 2 has 6 columns"):
        csv_rows(b"a,b\n1,2,3,4,5,6\n", few)


def test_a_cell_too_long_is_refused_naming_it():
    with pytest.raises(Unreadable, match="the cell at Return!B2 holds 11 characters") as refused:
        check_cells([["a"], ["b", "x" * 11]], IntakeSettings(max_field_chars=10),
                    lambda r, c: f"Return!{'AB'[c]}{r + 1}")
    assert "shorten it" in refused.value.fix


# ---------------------------------------------------------------- workbooks


def two_sheets(hidden: bool = False) -> bytes:
    workbook = Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["Read me"])
    other = workbook.create_sheet("RETURN")
    other.append(["Action ID", "Status"])
    if hidden:
        workbook.active.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_preferred_sheet_is_found_in_any_case_and_hidden_sheets_are_passed_over():
    [chosen] = read_sheets(two_sheets(), "xlsx", READ_NOW, preferred="Return")
    assert (chosen.name, chosen.rows) == ("RETURN", [["Action ID", "Status"]])
    assert [s.name for s in read_sheets(two_sheets(), "xlsx", READ_NOW)] == ["Notes", "RETURN"]
    assert [s.name for s in read_sheets(two_sheets(hidden=True), "xlsx", READ_NOW)] == ["RETURN"]


_ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="Plan">{rows}</table:table>'
    '</office:spreadsheet></office:body></office:document-content>')

_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '</manifest:manifest>')


def ods(rows) -> bytes:
    """Give a LibreOffice spreadsheet of one sheet, 'Plan', holding `rows` (texts, numbers)."""
    def cell(value):
        if isinstance(value, float):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p>' \
            "</table:table-cell>"
    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>"
                   for row in rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        archive.writestr("content.xml", _ODS_CONTENT.format(rows=body))
    return buffer.getvalue()


def test_a_sheet_wider_than_a_table_is_refused_naming_it():
    data = ods([["Action ID", "Status", "Progress update"]])
    [sheet] = read_sheets(data, "ods", READ_NOW)
    assert sheet.rows == [["Action ID", "Status", "Progress update"]]
    with pytest.raises(Unreadable, match="the sheet 'Plan' spans 1 rows and 3 columns"):
        read_sheets(data, "ods", IntakeSettings(max_columns=2))
    assert read_sheets(data, "ods", IntakeSettings(max_columns=3))


def test_a_libreoffice_plan_is_imported_and_a_reference_stored_as_a_number_is_said(tmp_path):
    source = tmp_path / "plan.ods"
    source.write_bytes(ods([["Priority", "No.", "Objective"], ["Greener", 1.1, "Plant trees"],
                            ["Greener", 1.2, "Clean rivers"]]))
    report = import_plan(source, tmp_path / "out.xlsx")
    assert [a.id for a in load_plan(report.out).actions] == ["1.1", "1.2"]
    stored = [d.where for d in report.decisions if "stored as a number" in d.message]
    assert stored == ["sheet 'Plan', row 2", "sheet 'Plan', row 3"]
