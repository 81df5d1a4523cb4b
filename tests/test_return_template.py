"""Templates out: one pre-filled, protected workbook per service area that reads back cleanly."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date

import pytest
from bad_returns import FOLDER, workbook_bytes, write
from conftest import BUNDLED_INPUTS, make_action, make_plan, make_return, make_row
from openpyxl import load_workbook

from reporting.cadence import Cadence
from reporting.intake.returns import read_return
from reporting.plan import Milestone
from reporting.intake.templates import (
    TEMPLATE_COLUMNS,
    template_file_name,
    template_workbook,
    templated_actions,
    write_templates,
)
from reporting.period import Period
from reporting.status import NO_STATUS, Status
from reporting.working_days import returns_deadline

Q2 = Period.parse("2022/23 Q2")
PLAN = make_plan(
    make_action("1.a", milestones=("First", "Second")),
    make_action("1.b", milestones=()),
    make_action("2.a", cadence=Cadence.SIX_MONTHLY, lead_service_area="Housing"),
    make_action("2.b", cadence=Cadence.ANNUAL),
)
COLUMN = {heading: i + 1 for i, (heading, _, _) in enumerate(TEMPLATE_COLUMNS)}


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("period, expected", [
    ("2022/23 Q1", {"Regulatory Services": ["1.a", "1.b"]}),
    ("2022/23 Q2", {"Regulatory Services": ["1.a", "1.b"], "Housing": ["2.a"]}),
    ("2022/23 Q3", {"Regulatory Services": ["1.a", "1.b"]}),
    ("2022/23 Q4", {"Regulatory Services": ["1.a", "1.b", "2.b"], "Housing": ["2.a"]}),
])
def test_a_template_covers_everything_any_report_that_period_covers(period, expected):
    found = templated_actions(PLAN, Period.parse(period))
    assert {s: [a.id for a in actions] for s, actions in found.items()} == expected


def test_the_deadline_is_ten_working_days_after_the_quarter():
    assert returns_deadline(Q2, 10) == date(2022, 10, 14)
    # Monday 2 January 2023 was a bank holiday (for New Year's Day on a Sunday).
    assert returns_deadline(Period.parse("2022/23 Q3"), 10) == date(2023, 1, 16)


def test_one_row_per_action_and_milestone_with_the_plan_locked_and_grey():
    previous = make_return("Regulatory Services",
                           make_row("1.a", status="Amber", update="=cmd|' /C calc'!A0",
                                    milestone="First"))
    wb = _sheet(template_workbook("Regulatory Services", list(PLAN.actions[:2]), Q2, previous))
    ws = wb["Return"]
    assert [ws.cell(r, 1).value for r in range(1, 7)] == [
        "Service area", "Period", "Completed by", "Approved by", "Date completed", "Return by"]
    assert ws["B2"].value == "2022/23 Q2" and ws["B6"].value == "14 October 2022"
    rows = [[ws.cell(r, COLUMN[h]).value for h in ("Action ID", "Milestone")] for r in (9, 10, 11)]
    assert rows == [["1.a", "First"], ["1.a", "Second"], ["1.b", None]]
    # Last period's words for reference, stored as text a spreadsheet never runs.
    cell = ws.cell(9, COLUMN["Last period's update"])
    assert cell.value == "=cmd|' /C calc'!A0" and cell.data_type == "s" and cell.quotePrefix
    assert ws.cell(9, COLUMN["Last period's status"]).value == "At risk"
    assert ws.protection.sheet and not ws.protection.password
    for heading, _, editable in TEMPLATE_COLUMNS:
        cell = ws.cell(9, COLUMN[heading])
        assert cell.protection.locked is (not editable), heading
        assert (cell.fill.fgColor.rgb == "00D9D9D9") is (not editable), heading
    assert not ws["B3"].protection.locked and ws["B1"].protection.locked


def test_a_status_drop_down_date_validation_and_instructions():
    wb = _sheet(template_workbook("Regulatory Services", list(PLAN.actions[:2]), Q2))
    validations = {v.type: v for v in wb["Return"].data_validations.dataValidation}
    assert validations["list"].formula1 == '"Complete,On track,At risk,Off track,Not started"'
    assert str(validations["list"].sqref) == "H9:H11"
    for heading in ("Revised date", "Date achieved"):
        letter = chr(ord("A") + COLUMN[heading] - 1)
        assert f"{letter}9:{letter}11" in str(validations["date"].sqref)
    text = " ".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value)
    assert "14 October 2022" in text
    for status in Status:
        if status not in NO_STATUS:
            assert status.meaning in text


def test_a_returned_template_reads_back_with_no_problems(tmp_path):
    wb = _sheet(template_workbook("Regulatory Services", list(PLAN.actions[:2]), Q2))
    ws = wb["Return"]
    ws["B3"], ws["B4"], ws["B5"] = "A. Officer", "B. Manager", date(2022, 10, 10)
    for r, status in ((9, "On track"), (10, "At risk"), (11, "Complete")):
        ws.cell(r, COLUMN["Status"]).value = status
        ws.cell(r, COLUMN["Progress update"]).value = f"Update {r}."
    ws.cell(10, COLUMN["Revised date"]).value = date(2023, 6, 30)
    ws.cell(10, COLUMN["Reason for revised date"]).value = "Contractor"
    ws.cell(10, COLUMN["Why is it at risk or off track?"]).value = "The contractor went bust."
    folder = tmp_path / FOLDER
    folder.mkdir()
    wb.save(folder / "Regulatory Services.xlsx")
    ret = read_return(folder / "Regulatory Services.xlsx")
    assert ret.problems == () and ret.notes == ()
    assert [(r.action_id, r.milestone, r.status) for r in ret.rows] == [
        ("1.a", "First", Status.ON_TRACK), ("1.a", "Second", Status.AT_RISK),
        ("1.b", "", Status.COMPLETE)]
    assert ret.rows[1].revised_date == date(2023, 6, 30)
    assert [r.status_reason for r in ret.rows] == ["", "The contractor went bust.", ""]
    assert (ret.service_area, ret.approved_by, ret.date_completed) == (
        "Regulatory Services", "B. Manager", date(2022, 10, 10))


def test_templates_for_the_bundled_plan_use_last_periods_returns(tmp_path, bundled_plan):
    inputs = tmp_path / "inputs"
    shutil.copytree(BUNDLED_INPUTS / "returns", inputs / "returns")
    paths = write_templates(bundled_plan, Period.parse("2022/23 Q3"),
                            tmp_path / "out" / "2022-23-Q3" / "templates", inputs / "returns")
    assert {p.name for p in paths} == {template_file_name(s)
                                       for s in templated_actions(bundled_plan,
                                                                  Period.parse("2022/23 Q3"))}
    assert all(p.parent == tmp_path / "out" / "2022-23-Q3" / "templates" for p in paths)
    ws = load_workbook(tmp_path / "out" / "2022-23-Q3" / "templates" / "Regulatory Services.xlsx")[
        "Return"]
    assert ws.cell(9, COLUMN["Last period's update"]).value  # from the Q2 return


def test_a_file_name_for_any_service_area():
    assert template_file_name("Health & Wellbeing") == "Health & Wellbeing.xlsx"
    assert template_file_name("Parks/Open Spaces") == "Parks Open Spaces.xlsx"
    assert template_file_name("../..") == "Service area.xlsx"


def test_the_reader_knows_the_template_columns(tmp_path):
    header = [h for h, _, _ in TEMPLATE_COLUMNS]
    row = ["1.a", "Do", "First", date(2023, 3, 31), "Target", "On track", "Old", "On track",
           "New", "Why", None, "", None, "", ""]
    ret = read_return(write(tmp_path / "r.xlsx", workbook_bytes(rows=[row], header=header)))
    assert ret.notes == () and ret.rows[0].progress_update == "New"
    assert ret.rows[0].status_reason == "Why"


def test_the_reason_sits_beside_status_and_update_and_may_be_left_out(tmp_path):
    assert COLUMN["Why is it at risk or off track?"] == COLUMN["Progress update"] + 1
    assert COLUMN["Progress update"] == COLUMN["Status"] + 1
    # A return made before the column existed is read as it always was.
    header = [h for h, _, _ in TEMPLATE_COLUMNS if h != "Why is it at risk or off track?"]
    row = ["1.a", "Do", "First", date(2023, 3, 31), "Target", "On track", "Old", "At risk",
           "New", None, "", None, "", ""]
    ret = read_return(write(tmp_path / "r.xlsx", workbook_bytes(rows=[row], header=header)))
    assert ret.notes == () and ret.problems == ()
    assert (ret.rows[0].status, ret.rows[0].status_reason) == (Status.AT_RISK, "")


@pytest.mark.parametrize("heading", ["Why is it at risk or off track?", "Reason for status",
                                     "why at risk or off track"])
def test_the_reason_column_is_read_under_the_headings_officers_write(tmp_path, heading):
    header = ["Action ID", "Status", "Progress update", heading, "Reason for revised date"]
    row = ["1.a", "Red", "Paused.", "Two volunteers left.", "Venue closed"]
    ret = read_return(write(tmp_path / "r.xlsx", workbook_bytes(rows=[row], header=header)))
    assert ret.notes == ()
    assert ret.rows[0].status_reason == "Two volunteers left."
    assert ret.rows[0].reason_for_revised_date == "Venue closed"


@pytest.mark.parametrize("period, day", [("2022/23 Q2", "30/09/2022"), ("2024/25 Q4", "31/03/2025"),
                                         ("2025/26 Q3", "31/12/2025")])
def test_the_templates_example_dates_are_the_last_day_of_its_period(period, day):
    wb = _sheet(template_workbook("Regulatory Services", list(PLAN.actions[:2]),
                                  Period.parse(period)))
    text = " ".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value)
    assert f"Dates: write them day first, such as {day}." in text
    [dates] = [v for v in wb["Return"].data_validations.dataValidation if v.type == "date"]
    assert dates.error == f"Enter a date such as {day}." and day in dates.prompt
    assert "B5" in str(dates.sqref)  # Date completed shows the example too
    # No other day is offered as an example anywhere in the workbook.
    every = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value)
    assert set(re.findall(r"\d\d/\d\d/\d{4}", every + dates.error + dates.prompt)) == {day}


def test_the_due_date_column_shows_the_plans_words_as_the_paper_does():
    spring = Milestone("Senior managers trained by Spring 2027", date(2027, 5, 31),
                       "by Spring 2027", due_loose=True)
    undated = Milestone("Annual conference", None, "TBC")
    plan = make_plan(
        make_action("1.a", milestones=(spring, undated, Milestone("Report", date(2027, 3, 31),
                                                                  "31/03/2027"))),
        make_action("1.b", milestones=(), by_when="2027/28", due_date=date(2028, 3, 31),
                    due_loose=True),
        make_action("1.c", milestones=(), by_when="Ongoing", due_date=None),
        make_action("1.d", milestones=()))
    ws = _sheet(template_workbook("Regulatory Services", list(plan.actions), Q2))["Return"]
    due = [ws.cell(r, COLUMN["Due date"]).value for r in range(9, 15)]
    assert due[0] == "Spring 2027 (by 31 May 2027)" == f"{spring.due} (by 31 May 2027)"
    assert due[1] == "TBC"  # the milestone's own words, not its action's day
    assert due[2].date() == date(2027, 3, 31)  # a day stays a day the sheet shows as one
    assert due[3] == "2027/28 (by 31 March 2028)"
    assert due[4] == "Ongoing"
    assert due[5].date() == date(2023, 3, 31)
    assert ws.cell(9, COLUMN["Due date"]).protection.locked
