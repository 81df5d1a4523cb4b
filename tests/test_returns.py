from datetime import date
from pathlib import Path

import pytest
from conftest import BUNDLED_INPUTS, BUNDLED_PLAN
from openpyxl import Workbook

from reporting.intake.folder import read_returns
from reporting.intake.returns import (
    RETURN_COLUMNS,
    latest_period_with_returns,
    normalise_action_id,
    read_return,
    service_area_from_name,
)
from reporting.period import Period
from reporting.pipeline import check_period
from reporting.plan import load_plan
from reporting.settings import READ_NOW
from reporting.status import Status


def write_workbook(path, rows, fields=(("Service area", "Regulatory Services"),
                                       ("Period", "2022/23 Q2"),
                                       ("Completed by", "A. Officer"),
                                       ("Approved by", "B. Manager"),
                                       ("Date completed", date(2022, 10, 11))),
                   header=RETURN_COLUMNS, sheet="Return"):
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    for field in fields:
        ws.append(list(field))
    ws.append([])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    workbook.save(path)
    return path


ROW = ["1.b", "", "", "Green", "32 inspections done.", "30/09/2023", "NPPF changes", None, "",
       "Next", "Amber", ""]


def test_a_workbook_return_gives_its_fields_and_rows(tmp_path):
    ret = read_return(write_workbook(tmp_path / "anything.xlsx", [ROW]))
    assert ret.usable and ret.problems == ()
    assert (ret.service_area, ret.period_text, ret.completed_by, ret.approved_by) == (
        "Regulatory Services", "2022/23 Q2", "A. Officer", "B. Manager")
    assert ret.date_completed == date(2022, 10, 11)
    [row] = ret.rows
    assert (row.action_id, row.status, row.progress_update) == ("1.b", Status.ON_TRACK,
                                                                 "32 inspections done.")
    assert row.revised_date == date(2023, 9, 30)
    assert row.reason_for_revised_date == "NPPF changes"
    assert row.forecast_status is Status.AT_RISK
    assert row.where("Status") == "Return!D8"


def test_columns_may_come_in_any_order(tmp_path):
    header = list(reversed(RETURN_COLUMNS))
    ret = read_return(write_workbook(tmp_path / "r.xlsx", [list(reversed(ROW))], header=header))
    assert ret.rows[0].action_id == "1.b"
    assert ret.rows[0].where("Status") == "Return!I8"


def test_the_return_sheet_is_preferred_else_the_first(tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", [ROW], sheet="Q2 update")
    ret = read_return(path)
    assert ret.sheet == "Q2 update" and len(ret.rows) == 1


def test_the_service_area_comes_from_the_file_name_when_not_given(tmp_path):
    ret = read_return(write_workbook(tmp_path / "community-partnerships.xlsx", [ROW], fields=()))
    assert ret.service_area == "Community Partnerships"
    assert service_area_from_name(tmp_path / "health-and-wellbeing.csv") == "Health and Wellbeing"


def test_a_missing_required_column_makes_the_file_unusable(tmp_path):
    header = [c for c in RETURN_COLUMNS if c != "Progress update"]
    ret = read_return(write_workbook(tmp_path / "r.xlsx", [ROW[:4] + ROW[5:]], header=header))
    assert not ret.usable
    assert "'Progress update'" in ret.problems[0].message
    assert ret.problems[0].where == "Return, row 7"


def test_a_bad_date_or_status_is_kept_as_typed_for_the_checks(tmp_path):
    row = ["1.b", "", "", "Purple", "Update", "next year", "", None, "", ""]
    ret = read_return(write_workbook(tmp_path / "r.xlsx", [row]))
    # Reading only reads: the checks judge the cell (MISSING_STATUS, UNREADABLE_DATE).
    assert ret.usable and ret.problems == ()
    [read] = ret.rows
    assert (read.status, read.status_text) == (None, "Purple")
    assert (read.revised_date, read.revised_date_text) == (None, "next year")
    assert read.where("Revised date") == "Return!F8"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_a_csv_return_in_common_encodings(tmp_path, encoding):
    path = tmp_path / "regulatory-services.csv"
    text = ",".join(RETURN_COLUMNS) + "\n1b,,,Amber,Café opening delayed – £5k short,,,,,\n"
    path.write_bytes(text.encode(encoding))
    ret = read_return(path)
    assert ret.usable and ret.service_area == "Regulatory Services"
    assert ret.rows[0].action_id == "1.b"
    assert ret.rows[0].progress_update == "Café opening delayed – £5k short"
    assert ret.rows[0].where("Status") == "line 2, column D"


def test_a_file_that_is_not_a_spreadsheet_is_unusable_not_a_crash(tmp_path):
    path = tmp_path / "housing.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    ret = read_return(path)
    assert not ret.usable
    assert "damaged" in ret.problems[0].message


@pytest.mark.parametrize("typed", ["1b", "1.B", " 1 b ", "1.b.", "1-b"])
def test_action_ids_are_normalised(typed):
    assert normalise_action_id(typed) == "1.b"


def test_lock_and_hidden_files_are_not_read(tmp_path):
    write_workbook(tmp_path / "housing.xlsx", [ROW])
    (tmp_path / "~$housing.xlsx").write_bytes(b"lock")
    (tmp_path / ".hidden.csv").write_text("x")
    (tmp_path / "housing.xlsx.tmp").write_text("x")
    (tmp_path / "Thumbs.db").write_text("x")
    assert [r.file for r in read_returns(tmp_path)] == ["housing.xlsx"]


def test_anything_else_in_the_folder_is_read_and_said_to_be_unusable(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    [ret] = read_returns(tmp_path)
    assert not ret.usable and "not a spreadsheet" in ret.problems[0].message


def test_the_bundled_returns_read_cleanly():
    for period in ("2022-23-Q1", "2022-23-Q2"):
        returns = read_returns(BUNDLED_INPUTS / "returns" / period)
        assert returns and all(r.usable for r in returns)
        # Only what the bundled returns were written to show: the CSV has no 'Approved by'
        # field, and in Q2 Communications left approval and a status blank and Community
        # Partnerships sent a row for 4.d, which is not in the plan.
        the_period = Period.parse(period)
        check = check_period(load_plan(BUNDLED_PLAN), returns,
                             read_returns(BUNDLED_INPUTS / "returns" / the_period.previous().path),
                             the_period, READ_NOW)
        said = {(f.file, f.code) for f in check.findings}
        assert said == ({("health-and-wellbeing.csv", "UNAPPROVED_RETURN")}
                        if period.endswith("Q1") else
                        {("health-and-wellbeing.csv", "UNAPPROVED_RETURN"),
                         ("communications.xlsx", "UNAPPROVED_RETURN"),
                         ("communications.xlsx", "MISSING_STATUS"),
                         ("community-partnerships.xlsx", "UNKNOWN_ACTION")})
        assert [n for r in returns for n in r.notes] == []


def test_the_latest_period_is_the_newest_folder(tmp_path):
    assert latest_period_with_returns(tmp_path) is None
    for name in ("2022-23-Q1", "2022-23-Q4", "2022-23-Q3", "misc"):
        (tmp_path / name).mkdir()
    assert latest_period_with_returns(tmp_path).label == "2022/23 Q4"


@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_an_ods_or_xls_return_reads_like_the_xlsx_it_was_saved_from(kind):
    # tests/fixtures holds the bundled Q2 planning-policy return saved by LibreOffice Calc.
    fixture = Path(__file__).parent / "fixtures" / f"planning-policy.{kind}"
    original = read_return(BUNDLED_INPUTS / "returns" / "2022-23-Q2" / "planning-policy.xlsx")
    ret = read_return(fixture)
    assert ret.usable, ret.problems
    assert (ret.service_area, ret.approved_by, ret.date_completed) == (
        original.service_area, original.approved_by, original.date_completed)
    assert [(r.action_id, r.status, r.progress_update, r.revised_date) for r in ret.rows] == [
        (r.action_id, r.status, r.progress_update, r.revised_date) for r in original.rows]
