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
    sheet_names_period,
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


def write_tabs(path, *tabs, active=None):
    """Write a workbook with a tab for each (name, Period or None, status, hidden), in order."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, period, status, hidden in tabs:
        ws = workbook.create_sheet(name)
        ws.append(["Service area", "Regulatory Services"])
        if period is not None:
            ws.append(["Period", period])
        ws.append([])
        ws.append(list(RETURN_COLUMNS))
        ws.append(["1.b", "", "", status, f"The {name} update."])
        if hidden:
            ws.sheet_state = "hidden"
    if active is not None:
        workbook.active = active
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def in_q2(tmp_path, name="regulatory-services.xlsx"):
    return tmp_path / "returns" / "2022-23-Q2" / name


def messages(ret):
    return [n.message for n in ret.notes]


@pytest.mark.parametrize("order", [1, -1])
def test_of_a_tab_per_quarter_the_one_whose_period_is_the_folders_is_read(tmp_path, order):
    tabs = [("Q1", "2022/23 Q1", "On track", False), ("Q2", "2022/23 Q2", "Off track", False)]
    ret = read_return(write_tabs(in_q2(tmp_path), *tabs[::order]))
    assert (ret.sheet, ret.period_text) == ("Q2", "2022/23 Q2")
    assert [r.status_text for r in ret.rows] == ["Off track"]
    assert ret.rows[0].where("Status") == "Q2!D5"
    assert messages(ret) == [
        "the return was read from the sheet 'Q2': its Period field says 2022/23 Q2, the period "
        "of the folder the return is in",
        "the sheet 'Q1' also holds a table (its Period field says '2022/23 Q1'); it was not read"]


def test_a_new_return_2_beside_last_quarters_return_is_read(tmp_path):
    # Excel names a copied tab "Return (2)"; the officer updated the copy, left it active.
    ret = read_return(write_tabs(in_q2(tmp_path), ("Return", "2022/23 Q1", "On track", False),
                                 ("Return (2)", "2022/23 Q2", "Off track", False), active=1))
    assert ret.sheet == "Return (2)" and [r.status_text for r in ret.rows] == ["Off track"]
    assert "the sheet 'Return' also holds a table (its Period field says '2022/23 Q1'); it was " \
           "not read" in messages(ret)


@pytest.mark.parametrize("name", ["Q2", "2022-23 Q2", "Qtr 2", "Quarter 2 22-23", "q2 return"])
def test_with_no_period_field_the_tab_whose_name_names_the_period_is_read(tmp_path, name):
    ret = read_return(write_tabs(in_q2(tmp_path), ("Q1", None, "On track", False),
                                 (name, None, "Off track", False),
                                 ("Q4 2021-22", None, "Complete", False)))
    assert ret.sheet == name and [r.status_text for r in ret.rows] == ["Off track"]
    assert messages(ret)[0] == (
        f"the return was read from the sheet '{name}': its name names 2022/23 Q2, the period "
        "of the folder the return is in, and no sheet's Period field says so")
    assert "the sheet 'Q1' also holds a table (it has no Period field); it was not read" in \
        messages(ret)


def test_of_several_tabs_for_the_period_the_last_visible_one_is_read(tmp_path):
    ret = read_return(write_tabs(in_q2(tmp_path), ("Q2", "2022/23 Q2", "On track", False),
                                 ("Q2 final", "2022/23 Q2", "At risk", False),
                                 ("Q2 old", "2022/23 Q2", "Complete", True),
                                 ("Q1", "2022/23 Q1", "Complete", False)))
    assert ret.sheet == "Q2 final" and [r.status_text for r in ret.rows] == ["At risk"]
    assert messages(ret)[0].endswith("; of the 2 sheets that do, it is the last in tab order "
                                     "(the newest)")
    assert "the hidden sheet 'Q2 old' also holds a table (its Period field says '2022/23 Q2'); " \
           "it was not read, as a hidden sheet is read only when no visible one holds a table" \
           in messages(ret)


def test_a_tab_saying_another_period_is_not_read_while_one_does_not(tmp_path):
    ret = read_return(write_tabs(in_q2(tmp_path), ("Return", "2022/23 Q1", "On track", False),
                                 ("Sheet2", None, "Off track", False)))
    assert ret.sheet == "Sheet2"
    assert messages(ret)[0] == (
        "the return was read from the sheet 'Sheet2': no sheet's Period field or name says "
        "2022/23 Q2, the period of the folder the return is in, so of the sheets whose Period "
        "field does not name another period, it is the first in tab order")


def test_a_sheet_name_names_a_period_with_one_part_and_no_other_year():
    q2 = Period.parse("2022/23 Q2")
    assert [name for name in ("Q2", "2022-23 Q2", "Qtr 2", "Quarter 2", "Q2 22-23", "Q2 (2)",
                              "Return Q2 10-22", "H1", "Q1", "Q2 2021-22", "Q1-Q2", "Q12",
                              "FAQ 2", "Return", "2022-23")
            if sheet_names_period(name, q2)] == [
        "Q2", "2022-23 Q2", "Qtr 2", "Quarter 2", "Q2 22-23", "Q2 (2)", "Return Q2 10-22", "H1"]


def test_the_receipt_names_the_sheet_read_and_why(tmp_path):
    from conftest import make_action, make_plan
    from reporting.report.receipts import receipt_text

    ret = read_return(write_tabs(in_q2(tmp_path), ("Q1", "2022/23 Q1", "On track", False),
                                 ("Q2", "2022/23 Q2", "Off track", False)))
    plan = make_plan(make_action("1.b", lead_service_area="Regulatory Services"))
    text = receipt_text(check_period(plan, [ret], [], Period.parse("2022/23 Q2"),
                                     READ_NOW).receipts[0])
    assert "Sheet: Q2" in text and "Period: 2022/23 Q2" in text
    assert "the return was read from the sheet 'Q2': its Period field says 2022/23 Q2" in text
    assert "the sheet 'Q1' also holds a table (its Period field says '2022/23 Q1')" in text
    assert "Q1 update" not in text


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
